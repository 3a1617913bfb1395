// A failed request says what the SDKs report for it — in the diagram and in the words a
// notification adds — from one engine table (engine/readModels/sdkReports.ts); and the diagnosis
// of its trace has the fix a notification offers (Enable System-Assigned Identity, the right
// audience, ask once after a pause). Over the lab's real endpoints.
import * as assert from 'node:assert/strict';
import { diagnoseTrace } from '../../../src/engine/diagnosis/diagnose';
import { traceToMermaid } from '../../../src/engine/readModels/traceDiagram/mermaid';
import { sdkReportLine, sdkReportsFor } from '../../../src/engine/readModels/sdkReports';
import { shownText, useLiveLab } from './liveLab';

describe('what the SDKs report, and the fix, for each failure a notification shows', function () {
  this.timeout(60_000);
  const live = useLiveLab();
  const failed = live.failed;

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
    const mermaid = shownText(traceToMermaid(trace));
    assert.match(
      mermaid,
      /Note over [^:]+: In the SDKs: CredentialUnavailableError \(JavaScript, Python\); CredentialUnavailableException \(\.NET\)/,
    );
    assert.equal(traceToMermaid(trace, { detail: 'compact' }).includes('In the SDKs'), false, 'compact diagrams stay arrows only');
    const fixes = diagnoseTrace(live.lab, trace).findings[0]!.fixes;
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
    const fix = diagnoseTrace(live.lab, trace).findings[0]!.fixes.find(f => f.action?.kind === 'rerun')!;
    assert.match(fix.title, /Wait a second and ask once/);
  });

  it('wrong audience: the service client reports RestError with the 401; the fix asks for the right audience', async () => {
    const trace = await failed('wrong-audience');
    const line = sdkReportLine(sdkReportsFor(trace.refusal!, trace.status))!;
    assert.match(line, /JavaScript \(@azure\/keyvault-secrets\) RestError: "statusCode 401/);
    const fix = diagnoseTrace(live.lab, trace).findings[0]!.fixes.find(f => f.action?.kind === 'rerun' && f.runnable)!;
    assert.match(fix.title, /Request the token for https:\/\/vault\.azure\.net/);
  });

  it('a success has nothing to report', () => {
    assert.deepEqual(sdkReportsFor({ rule: 'notFound', by: 'keyvault' }, 200), []);
    assert.equal(sdkReportLine([]), undefined);
  });
});
