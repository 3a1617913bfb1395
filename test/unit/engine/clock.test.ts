// The lab clock: real, ahead of real time, paused; saved with the lab and kept through undo;
// durations as people type them; traces stamped with lab time and real elapsed time.
import * as assert from 'node:assert/strict';
import { formatDuration, LabClock, parseDuration, type Clock } from '../../../src/engine/base/clock';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { advanceClock, changeClock, pauseClock, resumeClock, useRealTime } from '../../../src/engine/operations/clock';
import { Lab } from '../../../src/engine/lab/lab';
import { parseLabState } from '../../../src/engine/state/schema';
import { clockView } from '../../../src/engine/readModels/clock';
import { TraceBuilder } from '../../../src/engine/trace/builder';
import { createOrUpdateResourceGroup } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';

/** Real time that only moves when the test says so. */
function fakeTime(start = Date.UTC(2026, 0, 1, 10, 0, 0)): Clock & { tick(ms: number): void } {
  let now = start;
  return { now: () => now, tick: ms => (now += ms) };
}

describe('engine: the lab clock', () => {
  it('runs with real time, ahead of it once advanced, and stands still when paused', () => {
    const real = fakeTime();
    const clock = new LabClock({ offsetMs: 0 }, real);
    assert.equal(clock.mode, 'real');
    assert.equal(clock.now(), real.now());
    clock.advance(3_600_000);
    assert.equal(clock.mode, 'offset');
    assert.equal(clock.now() - real.now(), 3_600_000);
    real.tick(1000);
    assert.equal(clock.now() - real.now(), 3_600_000, 'an offset clock runs with real time');
    clock.pause();
    const stopped = clock.now();
    real.tick(60_000);
    assert.equal(clock.now(), stopped, 'a paused clock stands still');
    clock.advance(300_000);
    assert.equal(clock.now(), stopped + 300_000, 'a paused clock can still be advanced');
    clock.resume();
    assert.equal(clock.mode, 'offset');
    assert.equal(clock.now(), stopped + 300_000, 'it runs again from where it stood');
    clock.real();
    assert.equal(clock.now(), real.now());
    assert.deepEqual(clock.toState(), { offsetMs: 0 });
  });

  it('never runs behind real time after a long pause', () => {
    const real = fakeTime();
    const clock = new LabClock({ offsetMs: 0 }, real);
    clock.pause();
    real.tick(3_600_000);
    clock.resume();
    assert.equal(clock.now(), real.now());
  });

  it('reads durations as people type them, and refuses anything else', () => {
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('24h'), 86_400_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration(' 90s '), 90_000);
    assert.equal(parseDuration('2D'), 172_800_000);
    for (const bad of ['', '10', 'm', '-5m', '1 h', '5x', '1h-2m', '0m']) assert.equal(parseDuration(bad), undefined, bad);
    assert.equal(formatDuration(3_660_000), '1 h 1 min');
    assert.equal(formatDuration(42_000), '42 s');
    assert.equal(formatDuration(86_400_000), '1 d');
  });

  it('is saved with the lab, survives a reload, and undo does not turn it back', async () => {
    const lab = await createLab();
    const before = lab.clock.now();
    advanceClock(lab, '24h');
    const saved = JSON.parse(lab.toJson());
    assert.ok(saved.clock.offsetMs >= 86_400_000);
    const parsed = parseLabState(saved);
    assert.ok(parsed.ok);
    const reloaded = new Lab(parsed.state);
    assert.ok(reloaded.clock.now() - before >= 86_400_000, 'the reloaded lab is still a day ahead');
    createOrUpdateResourceGroup(lab, LAB_CALLER, { name: 'rg-undo', location: 'eastus' });
    lab.checkpoint('test');
    lab.undo();
    assert.ok(lab.clock.now() - before >= 86_400_000, 'undo keeps the time');
    pauseClock(lab);
    assert.equal(clockView(lab.clock).mode, 'paused');
    assert.match(clockView(lab.clock).summary, /paused; real time \+ 1 d/);
    resumeClock(lab);
    useRealTime(lab);
    assert.equal(clockView(lab.clock).summary.endsWith('(real time)'), true);
  });

  it('keeps a rotated-out signing key published for 48 hours of lab time, then drops it', async () => {
    const lab = await createLab();
    const old = lab.jwks().keys[0]!.kid;
    await lab.rotateSigningKey();
    advanceClock(lab, '47h');
    assert.ok(
      lab.jwks().keys.some(k => k.kid === old),
      'still published within the overlap',
    );
    advanceClock(lab, '2h');
    assert.equal(
      lab.jwks().keys.some(k => k.kid === old),
      false,
      'gone once the lab clock is past the overlap',
    );
  });

  it('refuses a duration it cannot use, and changes nothing', async () => {
    const lab = await createLab();
    for (const bad of ['soon', '-1h', '400d']) {
      assert.throws(() => changeClock(lab, 'advance', bad), /is not a duration the clock can advance by/);
    }
    assert.throws(() => changeClock(lab, 'advance'), /Say how far/);
    assert.equal(lab.clock.mode, 'real');
  });

  it('stamps trace messages with lab time and real elapsed time, even while paused', async () => {
    const lab = await createLab();
    advanceClock(lab, '1h');
    pauseClock(lab);
    const builder = new TraceBuilder(lab.clock, 'timed');
    const app = builder.participant('app', 'App');
    const imds = builder.participant('imds', 'IMDS');
    builder.add({ from: app, to: imds, kind: 'request', label: 'probe' });
    await new Promise(resolve => setTimeout(resolve, 60));
    builder.add({ from: imds, to: app, kind: 'response', status: 200, label: 'late' });
    const trace = builder.finish();
    const [first, second] = trace.messages;
    assert.equal(first!.labTime, second!.labTime, 'the lab clock stood still');
    assert.ok(second!.at >= 50, `real elapsed time is kept (${second!.at} ms)`);
    assert.ok(trace.durationMs >= 50);
    assert.ok(trace.startedAt - Date.now() > 3_500_000, 'the trace starts at lab time, an hour ahead');
  });
});
