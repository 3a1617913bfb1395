// The lab's recent traces, newest last, in a ring of fixed capacity so a long session cannot
// grow without end. Endpoints may add a trace lazily (a function that builds it): every
// request is recorded, but the formatting (headers, redacted bodies) happens only if someone
// looks — which keeps the token endpoint's hot path close to the machine's limit.
import { Emitter } from '../base/events';
import type { Trace } from './model';

type Entry = { trace: Trace } | { id?: string; build: () => Trace };

export class TraceLog {
  private readonly ring: Array<Entry | undefined>;
  /** Index of the oldest entry. */
  private start = 0;
  private count = 0;
  private readonly added = new Emitter<Trace>();
  readonly onDidAdd = this.added.event;

  constructor(readonly capacity = 500) {
    this.ring = new Array<Entry | undefined>(capacity);
  }

  add(trace: Trace): void {
    this.push({ trace });
  }

  /** Records a trace built only when read (or at once, when something is listening). */
  addLazy(build: () => Trace): void {
    this.push(this.added.size > 0 ? { trace: build() } : { build });
  }

  /**
   * Records a trace that is still growing (a TDS session: login, then each batch), built
   * lazily: the entry with the same id is replaced, so readers see one trace, as it is now.
   */
  putLazy(id: string, build: () => Trace): void {
    for (let i = this.count - 1; i >= 0; i--) {
      const slot = (this.start + i) % this.capacity;
      const entry = this.ring[slot]!;
      if (('trace' in entry ? entry.trace.id : entry.id) !== id) continue;
      this.ring[slot] = this.added.size > 0 ? { trace: build() } : { id, build };
      if (this.added.size > 0) this.added.fire(this.at(i));
      return;
    }
    this.push(this.added.size > 0 ? { trace: build() } : { id, build });
  }

  private push(entry: Entry): void {
    const slot = (this.start + this.count) % this.capacity;
    this.ring[slot] = entry;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
    if (this.added.size > 0) this.added.fire(this.at(this.count - 1));
  }

  /** The i-th trace, oldest first, built if it was recorded lazily. */
  private at(index: number): Trace {
    const slot = (this.start + index) % this.capacity;
    const entry = this.ring[slot]!;
    if ('trace' in entry) return entry.trace;
    const trace = entry.build();
    this.ring[slot] = { trace };
    return trace;
  }

  get all(): readonly Trace[] {
    return Array.from({ length: this.count }, (_, i) => this.at(i));
  }

  get size(): number {
    return this.count;
  }

  get latest(): Trace | undefined {
    return this.count ? this.at(this.count - 1) : undefined;
  }

  byId(id: string): Trace | undefined {
    for (let i = this.count - 1; i >= 0; i--) {
      const trace = this.at(i);
      if (trace.id === id) return trace;
    }
    return undefined;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
