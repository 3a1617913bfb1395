// The live stores behind a Lab, for the engine's own operations and services: the one way to
// change a lab, so every change is validated, undoable where it should be, and announced.
// Adapters (server, az, extension, cli) read through Lab's read-only getters; the import
// test (test/unit/importDirection.test.ts) keeps this file out of their reach.
import type { Lab, LabParts } from './lab';

// A registered symbol, not a module-level map: the extension and its tests are separate
// bundles, each with its own copy of this module, and both must reach the same lab.
const LIVE = Symbol.for('managed-identity-lab/live-parts');

type WithLiveParts = { [LIVE]?: () => LabParts };

/** Called once by each Lab (its parts are replaced on undo and reset, so this is a getter). */
export function registerLiveParts(lab: Lab, parts: () => LabParts): void {
  Object.defineProperty(lab, LIVE, { value: parts, enumerable: false });
}

/** The lab's live stores. Whoever changes them must end with `lab.notify(kind)`. */
export function mutable(lab: Lab): LabParts {
  const parts = (lab as unknown as WithLiveParts)[LIVE];
  if (!parts) throw new Error('not a Lab');
  return parts();
}
