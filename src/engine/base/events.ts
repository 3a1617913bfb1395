/** A small typed event emitter, so the engine needs nothing from its platform. */
export type Listener<T> = (event: T) => void;
export interface Disposable {
  dispose(): void;
}

export class Emitter<T> {
  private listeners = new Set<Listener<T>>();

  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A failing view must not break the engine or the other listeners.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
