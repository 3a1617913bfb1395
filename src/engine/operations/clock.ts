// Moving the lab clock: advance it (5 min, 1 h, 24 h…), pause it, let it run again, or go back
// to real time. Saved with the lab. Every time-based thing reads it: token times and caches,
// RBAC propagation, federated assertions, signing-key overlap, IMDS throttling windows.
import type { Lab } from '../lab/lab';
import { mutable } from '../lab/mutable';
import { LabError } from '../base/errors';
import { MAX_ADVANCE_MS, parseDuration } from '../base/clock';

export type ClockAction = 'advance' | 'pause' | 'resume' | 'real';

/** Moves the lab clock forward by `duration` (`10m`, `1h`, `24h`, `1h30m`, or milliseconds). */
export function advanceClock(lab: Lab, duration: string | number): number {
  const ms = typeof duration === 'number' ? duration : parseDuration(duration);
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0 || ms > MAX_ADVANCE_MS) {
    throw new LabError(
      'InvalidArgument',
      `'${String(duration).slice(0, 40)}' is not a duration the clock can advance by: use e.g. 90s, 5m, 1h, 24h or 1h30m (at most 366d).`,
      400,
      'duration',
    );
  }
  const parts = mutable(lab);
  parts.clock.advance(ms);
  parts.removedAssignments.prune(parts.clock.now());
  lab.notify('clock');
  return ms;
}

export function pauseClock(lab: Lab): void {
  if (lab.clock.mode === 'paused') return;
  mutable(lab).clock.pause();
  lab.notify('clock');
}

export function resumeClock(lab: Lab): void {
  if (lab.clock.mode !== 'paused') return;
  mutable(lab).clock.resume();
  lab.notify('clock');
}

/** Back to real time. Tokens issued "in the future" stay signed as they were: the endpoint's cache forgets them. */
export function useRealTime(lab: Lab): void {
  if (lab.clock.mode === 'real') return;
  mutable(lab).clock.real();
  lab.notify('clock');
}

/** One of the clock actions by name, as the CLI, the lab terminal and the extension send them. */
export function changeClock(lab: Lab, action: ClockAction, duration?: string): void {
  switch (action) {
    case 'advance':
      if (duration === undefined) {
        throw new LabError('InvalidArgument', 'Say how far to advance the clock, e.g. 10m, 1h or 24h.', 400, 'duration');
      }
      advanceClock(lab, duration);
      return;
    case 'pause':
      return pauseClock(lab);
    case 'resume':
      return resumeClock(lab);
    case 'real':
      return useRealTime(lab);
  }
}
