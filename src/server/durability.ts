// Acknowledged means durable: a response to a request that changed the lab leaves only once the
// change is on disk. The host provides the saving (LabHost: fsync, rename, group commit); the
// server marks each request with the lab's change count when it arrives and, before writing the
// answer, waits for the save when the count moved. When the save fails the client gets a 500
// saying so, not the success it would otherwise have been told.
import type { ServerResponse } from 'node:http';

export interface Durability {
  /** How many changes the lab has had so far. */
  changeCount(): number;
  /** Resolves when every change so far is on disk; rejects with the save's error. */
  persist(): Promise<void>;
  /** The sentence a client gets when its change could not be saved. */
  failureMessage(error: Error): string;
}

const DURABILITY = Symbol('milab.durability');
const CHANGES_AT_START = Symbol('milab.changesAtStart');

interface MarkedResponse extends ServerResponse {
  [DURABILITY]?: Durability;
  [CHANGES_AT_START]?: number;
}

/** Remembers the lab's change count as the request arrives. */
export function markRequest(res: ServerResponse, durability: Durability): void {
  const marked = res as MarkedResponse;
  marked[DURABILITY] = durability;
  marked[CHANGES_AT_START] = durability.changeCount();
}

/** The endpoint dealt with durability itself (e.g. `milab az` reports a failed save in its own words): answer as is. */
export function settled(res: ServerResponse): void {
  (res as MarkedResponse)[DURABILITY] = undefined;
}

/** For an endpoint that reports save failures itself: whether this request changed the lab. */
export function changedSinceStart(res: ServerResponse): boolean {
  const marked = res as MarkedResponse;
  const durability = marked[DURABILITY];
  return durability !== undefined && durability.changeCount() !== marked[CHANGES_AT_START];
}

/** Undefined when the answer may go now; otherwise a promise of the save failure (undefined once saved). */
export function durabilityBarrier(res: ServerResponse): Promise<Error | undefined> | undefined {
  const marked = res as MarkedResponse;
  const durability = marked[DURABILITY];
  if (durability === undefined || durability.changeCount() === marked[CHANGES_AT_START]) return undefined;
  return durability.persist().then(
    () => undefined,
    (error: Error) => new Error(durability.failureMessage(error)),
  );
}
