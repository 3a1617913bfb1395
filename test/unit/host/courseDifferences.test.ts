// Where the course material and Azure disagree is said in the UI when it matters, from one engine
// table (engine/readModels/courseDifferences.ts): an expired federated assertion (AADSTS700024) and
// a refused SQL login in the diagram and the notification's words; SQL DB Contributor and Key
// Vault Reader in the role picker and the role-fit warning. Over the lab's real endpoints.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { traceToMermaid } from '../../../src/engine/readModels/traceDiagram/mermaid';
import { COURSE_DIFFERENCES, courseNoteForRefusal, courseNoteForRole } from '../../../src/engine/readModels/courseDifferences';
import { roleFit } from '../../../src/engine/readModels/overview/roleFit';
import { shownText, useLiveLab } from './liveLab';

describe('where the course material and Azure disagree, said where it matters', function () {
  this.timeout(60_000);
  const live = useLiveLab();
  const failed = live.failed;

  it('an expired federated assertion: AADSTS700024 is a time range, not a wrong audience — in the words and the diagram', async () => {
    const trace = await failed('aadsts-client-assertion-expired');
    assert.equal(trace.refusal?.errorCode, 'AADSTS700024');
    assert.match(
      courseNoteForRefusal(trace.refusal!)!,
      /^Course vs Azure: AADSTS700024 means the client assertion is not within its valid time range/,
    );
    assert.match(courseNoteForRefusal(trace.refusal!)!, /not a wrong audience; a wrong audience is AKV10022 at Key Vault/);
    assert.match(
      shownText(traceToMermaid(trace)),
      /Note over [^:]+: Course vs Azure: AADSTS700024 is an expired client assertion .*not a wrong audience/,
    );
    assert.equal(traceToMermaid(trace, { detail: 'compact' }).includes('Course vs Azure'), false, 'compact diagrams stay arrows only');
  });

  it('a refused SQL login: SQL DB Contributor grants no login, a contained user FROM EXTERNAL PROVIDER does', async () => {
    const trace = await failed('sql-token-principal-login-failed');
    assert.equal(trace.refusal?.rule, 'sqlLogin');
    assert.match(courseNoteForRefusal(trace.refusal!)!, /"SQL DB Contributor" manages databases and grants no database login/);
    assert.match(courseNoteForRefusal(trace.refusal!)!, /contained user created FROM EXTERNAL PROVIDER/);
    assert.match(
      shownText(traceToMermaid(trace)),
      /Course vs Azure: SQL DB Contributor gives no login; a contained user FROM EXTERNAL PROVIDER/,
    );
  });

  it('a wrong audience has no course note (the course is not wrong there)', async () => {
    const trace = await failed('wrong-audience');
    assert.equal(courseNoteForRefusal(trace.refusal!), undefined);
  });

  it('the role picker and the role-fit warning: SQL DB Contributor and Key Vault Reader say what they cannot do', () => {
    const role = (name: string) => live.lab.roles.named(name)[0]!;
    assert.match(courseNoteForRole('SQL DB Contributor')!, /grants no database login/);
    assert.match(roleFit(role('SQL DB Contributor'), 'Microsoft.Sql/servers/databases/read').course!, /FROM EXTERNAL PROVIDER/);
    const reader = roleFit(role('Key Vault Reader'), 'Microsoft.KeyVault/vaults/secrets/getSecret/action');
    assert.equal(reader.grants, false);
    assert.match(reader.course!, /"Key Vault Reader" cannot read secret values.*"Key Vault Secrets User" is the role that can/);
    assert.equal(courseNoteForRole('Key Vault Secrets User'), undefined);
  });

  it("every point of README's section has its sentence in the table", () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Where the course material and Azure disagree'));
    const points = section.slice(0, section.indexOf('\n## ', 3)).match(/^- \*\*[^*]+\*\*/gm)!;
    assert.equal(points.length, Object.keys(COURSE_DIFFERENCES).length);
    const table = Object.values(COURSE_DIFFERENCES).join('\n');
    for (const word of [
      'Container Instances',
      'Azure DevOps Pipelines',
      'AADSTS700024',
      'SQL DB Contributor',
      'Key Vault Reader',
      'authentication unavailable',
      'Azure Arc',
    ]) {
      assert.ok(table.includes(word), word);
    }
  });
});
