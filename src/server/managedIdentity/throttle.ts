// IMDS's rate limits, per host: 20 requests in any second and 5 in flight (identity
// category, IMDS docs "Rate limiting"). Over either, IMDS answers 429.
import { IMDS_LIMITS } from '../../engine/operations/faults';

interface HostLoad {
  recent: number[];
  inFlight: number;
}

export class ThrottleTracker {
  private readonly hosts = new Map<string, HostLoad>();

  /** Admits a request, or returns false when it is over the limits. Call `release` when admitted requests end. */
  admit(hostKey: string, now = performance.now()): boolean {
    let load = this.hosts.get(hostKey);
    if (!load) this.hosts.set(hostKey, (load = { recent: [], inFlight: 0 }));
    while (load.recent.length && now - load.recent[0]! >= 1000) load.recent.shift();
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
