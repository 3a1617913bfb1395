// The lab's recent traces, newest last, bounded so a long session cannot grow without end.
import { Emitter } from '../events';
import type { Trace } from './model';

export class TraceLog {
  private readonly items: Trace[] = [];
  private readonly added = new Emitter<Trace>();
  readonly onDidAdd = this.added.event;

  constructor(readonly capacity = 500) {}

  add(trace: Trace): void {
    this.items.push(trace);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    this.added.fire(trace);
  }

  get all(): readonly Trace[] {
    return this.items;
  }

  get latest(): Trace | undefined {
    return this.items[this.items.length - 1];
  }

  byId(id: string): Trace | undefined {
    return this.items.find(t => t.id === id);
  }

  clear(): void {
    this.items.length = 0;
  }
}
