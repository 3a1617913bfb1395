// Which of a flow's questions are asked and how they are numbered, without VS Code: what the
// command's arguments leave open is decided once, when the flow starts, and gives the total
// shown on every step ("2/4"), so the count stays the same while the person answers.

export interface PlannedStep {
  /** Whether the command still needs this answer, from its arguments: decided once, when the flow starts. */
  applies?: () => boolean;
  /** Whether an earlier answer calls for this question; one skipped this way keeps its number, so the total does not change. */
  when?: () => boolean;
}

export interface FlowPlan {
  totalSteps: number;
  /** The index of the next question to ask at or after `from`, or undefined when the flow is done. */
  next(from: number): number | undefined;
  /** The number shown for the question at `index` (1-based), the same each time it is asked. */
  numberOf(index: number): number;
}

export function planFlow(steps: readonly PlannedStep[]): FlowPlan {
  const open = steps.map(s => s.applies?.() ?? true);
  return {
    totalSteps: open.filter(Boolean).length,
    next: from => {
      for (let i = from; i < steps.length; i++) if (open[i] && (steps[i]!.when?.() ?? true)) return i;
      return undefined;
    },
    numberOf: index => open.slice(0, index + 1).filter(Boolean).length,
  };
}
