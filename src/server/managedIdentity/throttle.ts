// IMDS's rate limits, per host: 20 requests in any second and 5 in flight (identity
// category, IMDS docs "Rate limiting"). Over either, IMDS answers 429. The second is the lab
// clock's: advancing it opens a new window; while it is paused, the window never ends.
import { IMDS_LIMITS } from '../../engine/operations/faults';

interface HostLoad {
  recent: number[];
  inFlight: number;
}

export class ThrottleTracker {
  private readonly hosts = new Map<string, HostLoad>();

  /** Admits a request at lab time `now` (ms), or returns false when it is over the limits. Call `release` when admitted requests end. */
  admit(hostKey: string, now: number): boolean {
    let load = this.hosts.get(hostKey);
    if (!load) this.hosts.set(hostKey, (load = { recent: [], inFlight: 0 }));
    // A clock set back (to real time) also ends the window.
    while (load.recent.length && (now - load.recent[0]! >= 1000 || now < load.recent[0]!)) load.recent.shift();
    if (load.recent.length >= IMDS_LIMITS.requestsPerSecond || load.inFlight >= IMDS_LIMITS.concurrent) return false;
    load.recent.push(now);
    load.inFlight++;
    return true;
  }

  release(hostKey: string): void {
    const load = this.hosts.get(hostKey);
    if (load && load.inFlight > 0) load.inFlight--;
  }
}
