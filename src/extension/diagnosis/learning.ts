// Whether this window keeps back the least-privileged answer now: the engine's rule
// (engine/scenarios/learning.ts) over the learningMode setting and the running scenario.
import type { Lab } from '../../engine/lab/lab';
import { learningModeNow, withholdsAnswer } from '../../engine/scenarios/learning';
import { readSettings } from '../settings';

export function withholding(lab: Lab, hintAsked = false): boolean {
  return withholdsAnswer(learningModeNow(lab, readSettings().learningMode), hintAsked);
}
