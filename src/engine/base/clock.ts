// Time as the lab sees it. The lab's clock is real time, real time shifted by an offset the
// learner advanced it by, or paused; everything time-based in the lab reads it (token times,
// caches, propagation, throttling), and it is saved with the lab. Durations people type
// (`5m`, `1h`, `24h`, `1h30m`) are parsed here once for every surface.

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const epochSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000);

/** The lab clock as it is saved: how far it is ahead of real time, and where it stopped when paused. */
export interface ClockState {
  /** Milliseconds added to real time while the clock runs. */
  offsetMs: number;
  /** Set while paused: the lab time (ms since the epoch) the clock stands at. */
  pausedAt?: number;
}

export type ClockMode = 'real' | 'offset' | 'paused';

/** Reading a lab clock: what adapters and views may do. */
export interface ReadonlyLabClock extends Clock {
  readonly mode: ClockMode;
  /** Lab time minus real time, ms (negative only while paused for longer than it was ahead). */
  readonly offsetMs: number;
  toState(): ClockState;
}

export class LabClock implements ReadonlyLabClock {
  private offset: number;
  private pausedAt: number | undefined;

  constructor(
    state: ClockState = { offsetMs: 0 },
    private readonly base: Clock = systemClock,
  ) {
    this.offset = state.offsetMs;
    this.pausedAt = state.pausedAt;
  }

  now(): number {
    return this.pausedAt ?? this.base.now() + this.offset;
  }

  get mode(): ClockMode {
    return this.pausedAt !== undefined ? 'paused' : this.offset === 0 ? 'real' : 'offset';
  }

  get offsetMs(): number {
    return this.now() - this.base.now();
  }

  /** Moves the lab clock forward; a paused clock stays paused, later. */
  advance(ms: number): void {
    if (this.pausedAt !== undefined) this.pausedAt += ms;
    else this.offset += ms;
  }

  pause(): void {
    this.pausedAt ??= this.now();
  }

  /**
   * Runs again from where it stood, or from real time if real time has passed it meanwhile: the
   * lab never runs behind real time, because the SDKs and TLS it talks to read the real clock.
   */
  resume(): void {
    if (this.pausedAt === undefined) return;
    this.offset = Math.max(0, this.pausedAt - this.base.now());
    this.pausedAt = undefined;
  }

  /** Back to real time: no offset, running. */
  real(): void {
    this.offset = 0;
    this.pausedAt = undefined;
  }

  /** Takes over another clock's state (a lab replaced by a reset or an import). */
  restore(state: ClockState): void {
    this.offset = state.offsetMs;
    this.pausedAt = state.pausedAt;
  }

  toState(): ClockState {
    return this.pausedAt !== undefined ? { offsetMs: this.offset, pausedAt: this.pausedAt } : { offsetMs: this.offset };
  }
}

const UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** The longest advance one command may make: a year is more than any lesson needs. */
export const MAX_ADVANCE_MS = 366 * UNITS['d']!;

/** `90s`, `5m`, `1h`, `24h`, `1h30m`, `2d` → milliseconds; undefined when the text is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?[dhms])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)([dhms])/g)) total += Number(amount) * UNITS[unit!]!;
  return Number.isFinite(total) && total > 0 ? Math.round(total) : undefined;
}

/** 3_660_000 → `1 h 1 min`; under a minute, seconds; under a second, `0 s`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms) / 1000);
  if (rest < 60) return `${sign}${rest} s`;
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count) parts.push(`${count} ${unit}`);
    rest -= count * size;
  }
  return sign + parts.join(' ');
}

/** When something happened: the lab's time (what it tells the learner) and real time (how long things took, even paused). */
export interface Moment {
  lab: number;
  real: number;
}

export const momentOf = (clock: Clock): Moment => ({ lab: clock.now(), real: Date.now() });

/**
 * `10:52:03 UTC`, a lab time of day, as messages about propagation and caching show it; with the
 * date in front (`2026-01-02 10:52:03 UTC`) when it is not the same day as `sameDayAs`.
 */
export function timeOfDay(ms: number, sameDayAs = ms): string {
  const iso = new Date(ms).toISOString();
  const day = iso.slice(0, 10) === new Date(sameDayAs).toISOString().slice(0, 10) ? '' : `${iso.slice(0, 10)} `;
  return `${day}${iso.slice(11, 19)} UTC`;
}
