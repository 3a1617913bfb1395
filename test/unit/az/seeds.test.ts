// Every az line of the course material, run in a lab that has the names the lessons use:
// as written, each either works or is answered with why it cannot (a placeholder, a missing
// argument) and changes nothing; after the learner puts real values in place of the
// placeholders, each works — or fails for the reason real az would give.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLab } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { logicalLines } from '../../../src/az/replay';
import { az } from './helpers';

interface SeedCommand {
  source: string;
  line: string;
}

function seedCommands(): SeedCommand[] {
  const text = fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/seeds-az.txt'), 'utf8');
  const commands: SeedCommand[] = [];
  for (const block of text.split(/\n(?=# source: )/).slice(1)) {
    const lines = block.trimEnd().split('\n');
    const source = lines.shift()!.replace('# source: ', '');
    const joined = lines[0] === '# joined';
    const inline = lines[0] === '# inline';
    const body = lines.filter(l => !l.startsWith('# joined') && !l.startsWith('# inline'));
    const line = joined || inline ? body.map(l => l.trim()).join(' ') : logicalLines(body.join('\n')).join(' ');
    commands.push({ source, line });
  }
  return commands;
}

/** A lab with the resources the lessons name (myRG/myVM…, myResourceGroup/myVm…). */
async function lessonLab(): Promise<Lab> {
  const lab = await createLab();
  for (const line of [
    'az group create -n myRG -l eastus',
    'az vm create -g myRG -n myVM --image Ubuntu2204 --generate-ssh-keys --assign-identity --only-show-errors',
    'az appservice plan create -g myRG -n myPlan',
    'az webapp create -g myRG -n myWebApp -p myPlan',
    'az storage account create -g myRG -n mystorage',
    'az functionapp create -g myRG -n myFunctionApp -s mystorage -c eastus',
    'az keyvault create -g myRG -n myKeyVault',
    'az group create -n myResourceGroup -l eastus',
    'az vm create -g myResourceGroup -n myVm --image Ubuntu2204 --generate-ssh-keys',
    // The lesson's role assignment needs the SQL server it is scoped to.
    'az sql server create -g myRG -n myserver -u sqladmin -p Lab-Passw0rd!',
  ]) {
    const r = await az(lab, line);
    assert.equal(r.exitCode, 0, `${line}: ${r.stderr}`);
  }
  return lab;
}

/** What a learner types in place of each placeholder. */
function substitute(lab: Lab, line: string): string {
  const sub = lab.defaultSubscriptionId;
  const vmPrincipal = lab.arm.resources.find(r => r.name === 'myVM')!.identity!.systemAssigned!.principalId;
  return line
    .replace(/\{sub\}|<sub>/g, sub)
    .replace(/<managed-identity-id>|<principal-id>/g, vmPrincipal)
    .replace(/<rg>/g, 'myRG')
    .replace(/<kv>/g, 'myKeyVault')
    .replace(/--scope mySubscription|--scope <SUBSCRIPTION>/g, `--scope /subscriptions/${sub}`)
    .replace(/<RESOURCE GROUP>/g, 'myResourceGroup')
    .replace(/<VM NAME>/g, 'myVm')
    .replace(/<USER NAME>/g, 'azureuser')
    .replace(/<PASSWORD>/g, 'Lab-Passw0rd-1234')
    .replace(/<USER ASSIGNED IDENTITY NAME>|<USER ASSIGNED IDENTITY>/g, 'myUserAssignedIdentity')
    .replace(/<ROLE>/g, 'Reader');
}

const hasPlaceholder = (line: string) => /<[^<>]+>|\{sub\}|mySubscription/.test(line);

describe("the course material's az lines (test/fixtures/seeds-az.txt)", function () {
  this.timeout(60_000);
  const commands = seedCommands();

  it('finds every az command of the seeds', () => {
    assert.equal(commands.length, 19);
    assert.ok(commands.every(c => c.line.startsWith('az ')));
  });

  it('as written: each runs, or is answered with the reason it cannot — and a failure changes nothing', async () => {
    const lab = await lessonLab();
    const outcomes: string[] = [];
    for (const { source, line } of commands) {
      const before = JSON.stringify(lab.toState());
      const result = await az(lab, line);
      outcomes.push(`${source} → ${result.exitCode}`);
      assert.doesNotMatch(result.stderr, /unexpected error/, `${source}: ${result.stderr}`);
      if (result.exitCode === 0) {
        assert.ok(!hasPlaceholder(line), `${source} ran although it holds a placeholder: ${line}`);
        continue;
      }
      assert.equal(JSON.stringify(lab.toState()), before, `${source} failed but changed the lab`);
      if (hasPlaceholder(line)) {
        assert.equal(result.exitCode, 1, source);
        assert.match(result.stderr, /is a placeholder from the course material, not a value\. The lab expected /, source);
        if (/\{sub\}|<sub>|mySubscription|<SUBSCRIPTION>/.test(line)) {
          assert.ok(result.stderr.includes(lab.defaultSubscriptionId), `${source} shows the real subscription id`);
        }
        if (/<principal-id>|<managed-identity-id>/.test(line)) {
          const principal = lab.arm.resources.find(r => r.name === 'myVM')!.identity!.systemAssigned!.principalId;
          assert.ok(result.stderr.includes(principal), `${source} shows the principal ids the learner probably meant`);
        }
      } else {
        assert.equal(result.exitCode, 2, `${source}: ${result.stderr}`);
        assert.match(result.stderr, /^ERROR: the following arguments are required: /, source);
      }
    }
    // The lessons' own commands without placeholders all run.
    assert.deepEqual(
      outcomes.filter(o => o.endsWith('→ 0')).map(o => o.split(' ')[0]),
      [
        '001_c9de0b23652fd1b1.txt:111',
        '001_c9de0b23652fd1b1.txt:116',
        '001_c9de0b23652fd1b1.txt:121',
        '001_c9de0b23652fd1b1.txt:126',
        '001_c9de0b23652fd1b1.txt:136',
        '001_c9de0b23652fd1b1.txt:142',
        '003_7d5dbaf2777594bf.txt:54',
        '003_7d5dbaf2777594bf.txt:68',
      ],
    );
  });

  it('with real values in place of the placeholders: each works, or fails as real az would', async () => {
    const lab = await lessonLab();
    for (const { source, line } of commands) {
      if (line === 'az vm identity assign' || line === 'az role assignment create') continue;
      const result = await az(lab, substitute(lab, line));
      if (source === '003_7d5dbaf2777594bf.txt:74') {
        // The lesson assigns only a user-assigned identity and asks for a role: az refuses that combination.
        assert.equal(result.exitCode, 1);
        assert.equal(result.stderr, "ERROR: usage error: '--scope'/'--role' is only applicable when assign system identity\n");
        continue;
      }
      assert.equal(result.exitCode, 0, `${source}: ${substitute(lab, line)}\n${result.stderr}`);
    }
    const vm = lab.arm.resources.find(r => r.name === 'myVM')!;
    assert.ok(vm.identity?.systemAssigned, 'myVM has its system-assigned identity');
    assert.equal(vm.identity?.userAssigned.length, 1, 'and myAppIdentity');
    const roles = lab.assignments
      .forPrincipal(vm.identity!.systemAssigned!.principalId)
      .map(a => lab.roles.byGuid(a.roleGuid)!.roleName)
      .sort();
    assert.deepEqual(roles, ['Key Vault Secrets User', 'SQL DB Contributor', 'Storage Blob Data Reader']);
    const created = lab.arm.resources.find(r => r.name.toLowerCase() === 'myvm' && r.id.includes('myResourceGroup'));
    assert.ok(created?.identity?.systemAssigned, "the lesson's az vm create --assign-identity made a VM with its identity");
    const contributor = lab.assignments.forPrincipal(created!.identity!.systemAssigned!.principalId).map(a => a.state.scope);
    assert.deepEqual(contributor, [`/subscriptions/${lab.defaultSubscriptionId}`], '--role contributor --scope <subscription> granted it');
  });
});
