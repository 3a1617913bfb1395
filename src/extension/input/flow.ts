// A command's questions as a list of steps, each asked only when it applies (what the command
// already knows from its arguments or an earlier answer is not asked). Numbered "2/3" from the
// steps that apply; Back goes to the previous question asked.
import type { InputStep } from './multiStep';
import { MultiStepInput } from './multiStep';

export interface FlowStep {
  /** Whether to ask, given the answers so far. */
  applies?: () => boolean;
  ask(input: MultiStepInput, position: { step: number; totalSteps: number }): Promise<void>;
}

/** Resolves true when every question was answered, false when the person cancelled. */
export function runFlow(steps: readonly FlowStep[]): Promise<boolean> {
  const applicable = (from: number) => steps.slice(from).findIndex(s => s.applies?.() ?? true);
  const stepAt = (index: number): InputStep | undefined => {
    const offset = applicable(index);
    if (offset === -1) return undefined;
    const i = index + offset;
    return async input => {
      const asked = steps.slice(0, i).filter(s => s.applies?.() ?? true).length;
      const remaining = steps.slice(i).filter(s => s.applies?.() ?? true).length;
      await steps[i]!.ask(input, { step: asked + 1, totalSteps: asked + remaining });
      return stepAt(i + 1);
    };
  };
  const first = stepAt(0);
  return first ? MultiStepInput.run(first) : Promise.resolve(true);
}
