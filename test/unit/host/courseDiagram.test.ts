// The diagram reads like the course's picture: the app, the managed-identity endpoint, Microsoft
// Entra ID and the service, in that order; a cached token keeps Entra's place (marked not asked);
// a bare token request shows the service it is for; Key Vault's 401 challenge is a normal step;
// epochs read as times ("in 24 h"). Real requests over the lab's endpoints.
import * as assert from 'node:assert/strict';
import { SAMPLE } from '../../../src/engine/operations/sampleLab';
import { readSecretAs, requestTokenAs } from '../../../src/host/appClient';
import { NOT_ASKED, NOT_CALLED, traceToMermaid } from '../../../src/engine/readModels/traceDiagram/mermaid';
import { presentTrace } from '../../../src/engine/readModels/traceDiagram/present';
import { annotateEpochs, epochWords } from '../../../src/engine/readModels/epochWords';
import { shownText, useLiveLab } from './liveLab';

const participants = (mermaid: string) => [...mermaid.matchAll(/^ {2}participant (\w+) as /gm)].map(m => m[1]);

describe('the diagram in the course’s order and words', function () {
  this.timeout(30_000);
  const live = useLiveLab();
  const vm = () => live.lab.arm.resources.find(r => r.name === SAMPLE.vm)!;

  it('reading a secret: app, IMDS, Entra, Key Vault — though the app asked Key Vault first — and the 401 challenge is a normal step', async () => {
    await readSecretAs(live.lab, live.server, vm(), SAMPLE.vault, 'db-password');
    const mermaid = traceToMermaid(live.lab.traces.latest!);
    assert.deepEqual(participants(mermaid), ['app', 'imds', 'entra', 'keyvault']);
    const challenge = mermaid.split('\n').find(l => /401 AKV10000/.test(l))!;
    assert.match(challenge, /^ {2}keyvault-->>-app: /, 'a normal reply arrow, outside any failure rect');
    const listed = presentTrace(live.lab.traces.latest!).messages;
    assert.deepEqual(
      listed.filter(m => m.failed).map(m => [m.status, m.recovered ?? false]),
      [
        [401, true],
        [403, false],
      ],
      'the message list colours only the 403 as a failure',
    );
  });

  it('a cached token: Entra keeps its place, marked not asked; a bare token request names the audience as the fourth party', async () => {
    await requestTokenAs(live.lab, live.server, vm(), 'https://vault.azure.net');
    const trace = live.lab.traces.latest!;
    const mermaid = traceToMermaid(trace);
    assert.deepEqual(participants(mermaid), ['app', 'imds', 'entraNotAsked', 'audienceNotCalled']);
    const text = shownText(mermaid);
    assert.match(text, /participant entraNotAsked as Microsoft Entra ID \(not asked\)/);
    assert.match(text, new RegExp(`Note over entraNotAsked: ${NOT_ASKED} the endpoint answered from its cache`));
    assert.match(text, /participant audienceNotCalled as Azure Key Vault \(the audience\)/);
    assert.match(text, new RegExp(`Note over audienceNotCalled: ${NOT_CALLED} the app sends this token to https://vault.azure.net`));
    assert.equal(traceToMermaid(trace, { detail: 'compact' }).includes('Note over'), false, 'compact diagrams have no notes');
    assert.doesNotMatch(text, /\b\d{10}\b(?! \()/, 'no bare epoch: every time is in words');
  });

  it('a first token request (no cache): the four parties, Entra asked', async () => {
    await requestTokenAs(live.lab, live.server, vm(), 'https://storage.azure.com');
    const mermaid = traceToMermaid(live.lab.traces.latest!);
    assert.deepEqual(participants(mermaid), ['app', 'imds', 'entra', 'audienceNotCalled']);
    assert.doesNotMatch(shownText(mermaid), /\b\d{10}\b(?! \()/, 'no bare epoch: every time is in words');
  });

  it('epochs in words', () => {
    const at = Date.UTC(2026, 11, 1, 12, 0);
    assert.equal(epochWords(at / 1000 + 86_400, at), '2026-12-02 12:00 UTC, in 24 h');
    assert.equal(epochWords(at / 1000 - 180, at), '2026-12-01 11:57 UTC, 3 min ago');
    assert.equal(annotateEpochs('exp 1796197501 and id 12345678901', at).includes('id 12345678901 ('), false, 'only named epochs');
  });
});
