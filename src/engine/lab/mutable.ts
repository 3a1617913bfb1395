// The live stores behind a Lab, for the engine's own operations and services: the one way to
// change a lab, so every change is validated, undoable where it should be, and announced.
// Adapters (server, az, extension, cli) read through Lab's read-only getters; the import
// test (test/unit/importDirection.test.ts) keeps this file out of their reach.
import type { Lab, LabParts } from './lab';

const live = new WeakMap<Lab, () => LabParts>();

/** Called once by each Lab (its parts are replaced on undo and reset, so this is a getter). */
export function registerLiveParts(lab: Lab, parts: () => LabParts): void {
  live.set(lab, parts);
}

/** The lab's live stores. Whoever changes them must end with `lab.notify(kind)`. */
export function mutable(lab: Lab): LabParts {
  const parts = live.get(lab);
  if (!parts) throw new Error('not a Lab');
  return parts();
}
