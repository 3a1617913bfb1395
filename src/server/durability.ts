// Acknowledged means durable: a response to a request that changed the lab leaves only once the
// change is on disk. The host provides the saving (LabHost: fsync, rename, group commit); the
// server marks each request with the lab's change count when it arrives and, before writing the
// answer, waits for the save when the count moved. When the save fails the client gets a 500
// saying so, not the success it would otherwise have been told.
import { ServerResponse, type IncomingMessage } from 'node:http';

export interface Durability {
  /** How many changes the lab has had so far. */
  changeCount(): number;
  /** Resolves when every change so far is on disk; rejects with the save's error. */
  persist(): Promise<void>;
  /** The sentence a client gets when its change could not be saved. */
  failureMessage(error: Error): string;
}

/**
 * The response class of the lab's servers (`createServer({ ServerResponse: LabResponse })`): what
 * the request found as it arrived, in fields every response has from construction. Properties
 * added to Node's own responses later would change their shape and slow every request, and a
 * side table (a WeakMap) costs an insertion and GC work per request on the token hot path.
 */
export class LabResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  durability: Durability | undefined = undefined;
  changesAtStart = 0;
}

const markOf = (res: ServerResponse): LabResponse | undefined => (res instanceof LabResponse && res.durability ? res : undefined);

/** Remembers the lab's change count as the request arrives. */
export function markRequest(res: ServerResponse, durability: Durability): void {
  if (!(res instanceof LabResponse)) return;
  res.durability = durability;
  res.changesAtStart = durability.changeCount();
}

/** The endpoint dealt with durability itself (e.g. `milab az` reports a failed save in its own words): answer as is. */
export function settled(res: ServerResponse): void {
  if (res instanceof LabResponse) res.durability = undefined;
}

/** For an endpoint that reports save failures itself: whether this request changed the lab. */
export function changedSinceStart(res: ServerResponse): boolean {
  const mark = markOf(res);
  return mark !== undefined && mark.durability!.changeCount() !== mark.changesAtStart;
}

/** Undefined when the answer may go now; otherwise a promise of the save failure (undefined once saved). */
export function durabilityBarrier(res: ServerResponse): Promise<Error | undefined> | undefined {
  const mark = markOf(res);
  if (mark === undefined || mark.durability!.changeCount() === mark.changesAtStart) return undefined;
  const durability = mark.durability!;
  return durability.persist().then(
    () => undefined,
    (error: Error) => new Error(durability.failureMessage(error)),
  );
}
