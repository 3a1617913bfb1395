// A command's questions as a list of steps, each asked only when it applies (what the command
// already knows from its arguments or an earlier answer is not asked). Numbered "2/4" with a
// total fixed when the flow starts (flowPlan.ts); Back goes to the previous question asked.
import type { InputStep } from './multiStep';
import { MultiStepInput } from './multiStep';
import { planFlow, type PlannedStep } from './flowPlan';

export interface FlowStep extends PlannedStep {
  ask(input: MultiStepInput, position: { step: number; totalSteps: number }): Promise<void>;
}

/** Resolves true when every question was answered, false when the person cancelled. */
export function runFlow(steps: readonly FlowStep[]): Promise<boolean> {
  const plan = planFlow(steps);
  const stepAt = (from: number): InputStep | undefined => {
    const i = plan.next(from);
    if (i === undefined) return undefined;
    return async input => {
      await steps[i]!.ask(input, { step: plan.numberOf(i), totalSteps: plan.totalSteps });
      return stepAt(i + 1);
    };
  };
  const first = stepAt(0);
  return first ? MultiStepInput.run(first) : Promise.resolve(true);
}
