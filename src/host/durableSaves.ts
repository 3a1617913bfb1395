// When is a change safe? Every change to the lab is counted; `persist()` resolves once a save
// that began after it has reached the disk (fsync, rename, fsync), and rejects with that save's
// error. Saves never overlap, and every change made while one is being written joins the next:
// concurrent writers share one fsync (group commit). A change nobody waits for is saved at
// once in the background; a failure then goes to `onError` (nobody else would hear of it).

export interface DurableSavesOptions {
  /** Writes the lab's current state; the snapshot must be taken synchronously, before the first await. */
  write: () => Promise<void>;
  /** A save failed. `delivered`: someone waiting in persist() got the error too. */
  onError: (error: Error, delivered: boolean) => void;
}

interface Attempt {
  promise: Promise<void>;
  /** Changes counted when this save took its snapshot (set when it starts). */
  covers: number;
  waiters: number;
}

export class DurableSaves {
  private changes = 0;
  private savedThrough = 0;
  private running: Attempt | undefined;
  private queued: Attempt | undefined;
  private backgroundScheduled = false;
  private closed = false;

  constructor(private readonly options: DurableSavesOptions) {}

  /** How many changes the lab has had; compare two readings to see whether anything changed in between. */
  get changeCount(): number {
    return this.changes;
  }

  /** Whether some change is not yet on disk. */
  get dirty(): boolean {
    return this.savedThrough < this.changes;
  }

  /** Counts a change and saves it soon (changes of the same tick share one save). */
  changed(): void {
    this.changes++;
    if (this.backgroundScheduled || this.closed) return;
    this.backgroundScheduled = true;
    setImmediate(() => {
      this.backgroundScheduled = false;
      this.save(false).catch(() => undefined);
    });
  }

  /** Resolves when every change made so far is on disk; rejects with the error of the save that should have written it. */
  persist(): Promise<void> {
    return this.save(true);
  }

  /** No more background saves (a final persist() still works). */
  close(): void {
    this.closed = true;
  }

  private save(waiting: boolean): Promise<void> {
    const target = this.changes;
    if (this.savedThrough >= target) return Promise.resolve();
    let attempt: Attempt;
    if (this.running && this.running.covers >= target) attempt = this.running;
    else attempt = this.queued ??= this.next();
    if (waiting) attempt.waiters++;
    return attempt.promise;
  }

  private next(): Attempt {
    const attempt: Attempt = { promise: Promise.resolve(), covers: -1, waiters: 0 };
    const after = this.running ? this.running.promise.catch(() => undefined) : Promise.resolve();
    attempt.promise = after.then(() => this.run(attempt));
    return attempt;
  }

  private async run(attempt: Attempt): Promise<void> {
    if (this.queued === attempt) this.queued = undefined;
    this.running = attempt;
    attempt.covers = this.changes;
    try {
      await this.options.write();
      this.savedThrough = Math.max(this.savedThrough, attempt.covers);
    } catch (error) {
      this.options.onError(error as Error, attempt.waiters > 0);
      throw error;
    } finally {
      if (this.running === attempt) this.running = undefined;
    }
  }
}
