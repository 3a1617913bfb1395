// The lab clock as people read it: in the status bar, `milab clock show` and the lab terminal.
import { formatDuration, type ReadonlyLabClock } from '../base/clock';

export interface ClockView {
  mode: ReadonlyLabClock['mode'];
  /** Lab time, ISO 8601 UTC. */
  labTime: string;
  /** Lab time minus real time, ms. */
  offsetMs: number;
  /** `real time`, `real time + 1 h (running)`, `paused at … (real time + 2 h)`. */
  summary: string;
  /** Short, for the status bar: `Lab time`, `Lab +1 h`, `Lab paused`. */
  short: string;
}

const readable = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

export function clockView(clock: ReadonlyLabClock): ClockView {
  const now = clock.now();
  const offset = clock.offsetMs;
  const relative = Math.abs(offset) < 1000 ? 'real time' : `real time ${offset > 0 ? '+' : '-'} ${formatDuration(Math.abs(offset))}`;
  switch (clock.mode) {
    case 'real':
      return {
        mode: 'real',
        labTime: new Date(now).toISOString(),
        offsetMs: 0,
        summary: `${readable(now)} (real time)`,
        short: 'Lab time',
      };
    case 'offset':
      return {
        mode: 'offset',
        labTime: new Date(now).toISOString(),
        offsetMs: offset,
        summary: `${readable(now)} (${relative}, running)`,
        short: `Lab +${formatDuration(offset)}`,
      };
    case 'paused':
      return {
        mode: 'paused',
        labTime: new Date(now).toISOString(),
        offsetMs: offset,
        summary: `${readable(now)} (paused; ${relative})`,
        short: 'Lab paused',
      };
  }
}
