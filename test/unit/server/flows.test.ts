// Flow correlation under a flood of Key Vault challenges: bounded (the oldest are recorded to make
// room), matched by resource application whatever the spelling, a flow nobody continues is
// recorded once its window passes, and a challenge for one resource leaves other resources'
// token requests on the fast path.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { FlowCorrelator, MAX_OPEN_FLOWS } from '../../../src/server/flows';
import { TraceBuilder } from '../../../src/engine/trace/builder';
import { advanceClock } from '../../../src/engine/operations/clock';

describe('server: flow correlation', () => {
  let lab: Lab;
  before(async () => {
    lab = await createLab();
  });

  const challenge = (flows: FlowCorrelator, n: number) => {
    const builder = new TraceBuilder(lab.clock, `challenge ${n}`);
    flows.opened({ builder, app: builder.participant('app', 'App'), service: 'keyvault:kv-lab', resource: 'https://vault.azure.net' });
  };

  it('stays bounded under 20,000 challenges, recording the oldest as they are', () => {
    const flows = new FlowCorrelator(lab);
    let recorded = 0;
    const listening = lab.traces.onDidAdd(() => recorded++);
    for (let n = 0; n < 20_000; n++) challenge(flows, n);
    listening.dispose();
    assert.equal(flows.size, MAX_OPEN_FLOWS);
    assert.equal(recorded, 20_000 - MAX_OPEN_FLOWS);
    // The oldest still open is claimed first, in any spelling of the resource.
    const claimed = flows.claimForToken(
      '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm',
      'https://VAULT.azure.net/',
    );
    assert.equal(claimed?.builder.finish().title, `challenge ${20_000 - MAX_OPEN_FLOWS}`);
    assert.equal(
      flows.claimForRetry('/SUBSCRIPTIONS/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm', 'keyvault:kv-lab'),
      claimed,
    );
    flows.dispose();
    assert.equal(flows.size, 0);
  });

  it('only a challenge for the requested resource takes a token request off the fast path', () => {
    const flows = new FlowCorrelator(lab);
    challenge(flows, 1);
    assert.equal(flows.waitingFor('https://vault.azure.net'), true);
    assert.equal(flows.waitingFor('https://vault.azure.net/'), true);
    assert.equal(flows.waitingFor('https://storage.azure.com/'), false);
    flows.dispose();
  });

  it('records a flow nobody continues once its window has passed', () => {
    let now = 1_000_000;
    const flows = new FlowCorrelator(lab, () => now);
    challenge(flows, 1);
    now += 6_000;
    assert.equal(
      flows.claimForToken('/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm', 'https://vault.azure.net'),
      undefined,
    );
    assert.equal(flows.size, 0);
    flows.dispose();
  });

  it('a flow open when the lab clock moves is recorded as it was: a token request after the move starts its own', () => {
    const flows = new FlowCorrelator(lab);
    challenge(flows, 1);
    const before = lab.clock.now();
    advanceClock(lab, '25h');
    assert.equal(flows.size, 0, 'the challenge from before the move is recorded, not left to be joined');
    assert.equal(lab.traces.latest?.title, 'challenge 1');
    assert.ok(lab.traces.latest!.startedAt <= before, 'it keeps the time it happened at');
    assert.equal(
      flows.claimForToken('/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm', 'https://vault.azure.net'),
      undefined,
    );
    flows.dispose();
  });
});
