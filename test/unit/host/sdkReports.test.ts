// A failed request says what the SDKs report for it — in the diagram and in the words a
// notification adds — from one engine table (engine/readModels/sdkReports.ts); and the diagnosis
// of its trace has the fix a notification offers (Enable System-Assigned Identity, the right
// audience, ask once after a pause). Over the lab's real endpoints.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { labServiceUrls } from '../../../src/engine/azure/serviceDomains';
import { reproduce } from '../../../src/engine/diagnosis/reproduce';
import { diagnoseTrace } from '../../../src/engine/diagnosis/diagnose';
import { runWorkload } from '../../../src/host/workload';
import { traceToMermaid } from '../../../src/engine/readModels/traceDiagram/mermaid';
import { sdkReportLine, sdkReportsFor } from '../../../src/engine/readModels/sdkReports';
import type { Category } from '../../../src/engine/diagnosis/categories';
import type { Lab } from '../../../src/engine/lab/lab';

describe('what the SDKs report, and the fix, for each failure a notification shows', function () {
  this.timeout(60_000);
  let lab: Lab;
  let server: RunningLabServer;
  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    lab.serviceUrls = labServiceUrls(server.httpsUrl);
  });
  after(() => server.close());

  async function failed(category: Category) {
    const { workload } = await reproduce(lab, category);
    const result = await runWorkload(lab, server, workload);
    assert.equal(result.ok, false);
    return lab.traces.byId(result.traceId!)!;
  }

  it('no identity: IMDS 400 "Identity not found" is CredentialUnavailableError in @azure/identity, drawn and said; the fix enables the identity', async () => {
    const trace = await failed('mi-not-enabled-or-unavailable');
    const line = sdkReportLine(sdkReportsFor(trace.refusal!, trace.status))!;
    assert.match(
      line,
      /^The SDKs report this as: JavaScript \(@azure\/identity\) CredentialUnavailableError: "ManagedIdentityCredential: /,
    );
    assert.match(line, /Description: Identity not found/);
    assert.match(
      line,
      /Python CredentialUnavailableError \("ManagedIdentityCredential authentication unavailable\. No identity has been assigned/,
    );
    assert.match(line, /\.NET CredentialUnavailableException/);
    const mermaid = traceToMermaid(trace)
      .replace(/<br\/>/g, ' ')
      .replace(/#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)));
    assert.match(
      mermaid,
      /Note over [^:]+: In the SDKs: CredentialUnavailableError \(JavaScript, Python\); CredentialUnavailableException \(\.NET\)/,
    );
    assert.equal(traceToMermaid(trace, { detail: 'compact' }).includes('In the SDKs'), false, 'compact diagrams stay arrows only');
    const fixes = diagnoseTrace(lab, trace).findings[0]!.fixes;
    assert.ok(
      fixes.some(f => f.runnable && f.action?.kind === 'enableSystemAssigned'),
      fixes.map(f => f.title).join(' / '),
    );
  });

  it('an identity that is not attached: the same CredentialUnavailableError, and Python/.NET say "has not been assigned"', async () => {
    const trace = await failed('imds-identity-not-found');
    const line = sdkReportLine(sdkReportsFor(trace.refusal!, trace.status))!;
    assert.match(line, /The requested identity has not been assigned to this resource/);
  });

  it('throttled: IMDS Throttle limit reached; the fix asks once after a pause', async () => {
    const trace = await failed('imds-throttled');
    assert.match(sdkReportLine(sdkReportsFor(trace.refusal!, trace.status))!, /IMDS Throttle limit reached/);
    const fix = diagnoseTrace(lab, trace).findings[0]!.fixes.find(f => f.action?.kind === 'rerun')!;
    assert.match(fix.title, /Wait a second and ask once/);
  });

  it('wrong audience: the service client reports RestError with the 401; the fix asks for the right audience', async () => {
    const trace = await failed('wrong-audience');
    const line = sdkReportLine(sdkReportsFor(trace.refusal!, trace.status))!;
    assert.match(line, /JavaScript \(@azure\/keyvault-secrets\) RestError: "statusCode 401/);
    const fix = diagnoseTrace(lab, trace).findings[0]!.fixes.find(f => f.action?.kind === 'rerun' && f.runnable)!;
    assert.match(fix.title, /Request the token for https:\/\/vault\.azure\.net/);
  });

  it('a success has nothing to report', () => {
    assert.deepEqual(sdkReportsFor({ rule: 'notFound', by: 'keyvault' }, 200), []);
    assert.equal(sdkReportLine([]), undefined);
  });
});
