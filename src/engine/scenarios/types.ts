// The shape of a scenario, as data, for the scenario catalogue to run: a story, a setup built
// from engine operations, the workload (what the learner's app does, for the catalogue to run as
// an SDK child process), goals, hints, a reference solution, and a check over the lab's state
// and traces. The check answers in `milab scenario check`'s contract (DESIGN.md): an outcome of
// solved | not-yet | too-broad, each goal met or not, and a sentence.
import type { Lab } from '../lab/lab';

export interface ScenarioWorkload {
  /** Where the app runs: a compute resource's name, or `local` (your machine: `milab env --as local`). */
  runsAs: string;
  /** The SDK credential the app constructs (no options). */
  credential: 'DefaultAzureCredential' | 'ManagedIdentityCredential';
  /** What it does with it. `holdToken`: one token at start, reused for every call (no SDK renewal). */
  action: { kind: 'readSecret'; vault: string; secret: string; holdToken?: boolean } | { kind: 'getToken'; scope: string };
  /** Variables on top of what `milab env` prints for `runsAs`. */
  environment?: Readonly<Record<string, string>>;
  /** Run the workload once after `setup` and before `afterWarmUp` (so the endpoint has cached a token). */
  warmUp?: boolean;
  /** In words, for the learner. */
  description: string;
}

export interface ScenarioGoal {
  text: string;
  met: boolean;
}

export interface ScenarioCheck {
  id: string;
  outcome: 'solved' | 'not-yet' | 'too-broad';
  goals: ScenarioGoal[];
  message: string;
}

export interface ScenarioSolution {
  /** Lines for the lab terminal: az commands (with `NAME=$(…)` assignments) and `clock …`. */
  terminal: readonly string[];
  /** Variables to set for the workload instead (the fix is in the app's environment, not in Azure). */
  environment?: Readonly<Record<string, string>>;
  /** What the solution does, in a sentence. */
  note: string;
}

export interface ScenarioDefinition {
  /** Kebab-case, stable: `milab scenario start ID`. */
  id: string;
  title: string;
  /** The troubleshooting row (course material) it brings to life, and what the learner meets. */
  story: string;
  /** Builds the starting point in a fresh lab, as the lab itself (never authorized). */
  setup(lab: Lab): void | Promise<void>;
  /** After the warm-up run of the workload, when `workload.warmUp` is set. */
  afterWarmUp?(lab: Lab): void | Promise<void>;
  workload: ScenarioWorkload;
  /** Progressive hints, gentlest first. */
  hints: readonly string[];
  solution: ScenarioSolution;
  /** Solved when the result is right: the lab's state and what its traces show the workload did. */
  check(lab: Lab): ScenarioCheck;
}
