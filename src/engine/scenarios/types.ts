// The shape of a scenario, as data, for the scenario catalogue to run: a story, a setup built
// from engine operations, the workload (what the learner's app does, which a check runs again
// over the lab's real endpoints), goals, hints, a reference solution, and a check over the lab's
// state and traces. The check answers in `milab scenario check`'s contract (DESIGN.md): an
// outcome of solved | not-yet | too-broad, each goal met or not, and a sentence.
import type { Lab } from '../lab/lab';

/** One thing the app does. Names are the lab's resource names; the scenario's setup made them. */
export type ScenarioAction =
  /** `holdToken`: one token at start, reused for every call (no SDK renewal). */
  | { kind: 'readSecret'; vault: string; secret: string; holdToken?: boolean }
  | { kind: 'getToken'; scope: string }
  /** The vault's properties from ARM (control plane), as `az keyvault show` or the portal reads them. */
  | { kind: 'readVault'; vault: string }
  | { kind: 'readBlob'; account: string; container: string; blob: string }
  | { kind: 'writeBlob'; account: string; container: string; blob: string; text: string }
  /** A query over Azure SQL (the lab's JSON door: the same engine and rules as TDS). */
  | { kind: 'sqlQuery'; server: string; database: string; query: string }
  /** `count` operations that each need a token, `parallel` at a time, within about a second. */
  | { kind: 'tokenBurst'; scope: string; count: number; parallel: number }
  /** AKS workload identity: the pod's projected service-account token exchanged at Entra for `identity`. */
  | { kind: 'federatedToken'; cluster: string; namespace: string; serviceAccount: string; identity: string; scope: string }
  | { kind: 'sequence'; steps: readonly ScenarioAction[] };

export interface ScenarioWorkload {
  /** Where the app runs: a compute resource's name, or `local` (your machine: `milab env --as local`). */
  runsAs: string;
  /** The same app deployed to these resources too (a check runs it on each). */
  alsoRunsOn?: readonly string[];
  /** The SDK credential the app constructs (no options), or the course material's `curl`. */
  credential: 'DefaultAzureCredential' | 'ManagedIdentityCredential' | 'WorkloadIdentityCredential' | 'curl';
  /** What it does with it. */
  action: ScenarioAction;
  /**
   * Variables on top of what `milab env` prints for `runsAs`: the app's own settings at the start.
   * The learner changes them with `scenario env NAME=VALUE`; see `APP_SETTINGS` for what each means.
   */
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
  /** Lines for the lab terminal: az commands (with `NAME=$(…)` assignments), `sql …` and `clock …`. */
  terminal: readonly string[];
  /** Variables to set for the workload instead (the fix is in the app's environment, not in Azure). */
  environment?: Readonly<Record<string, string>>;
  /** What the solution does, in a sentence. */
  note: string;
}

/** A fix a learner might try that must not pass, with what the check must say about it (the tests run each). */
export interface WrongFix {
  /** What the learner tried, in words. */
  tried: string;
  terminal: readonly string[];
  environment?: Readonly<Record<string, string>>;
  /** The outcome after it: still not solved, or working but broader than needed. */
  outcome: 'not-yet' | 'too-broad';
  /** What the check's message must say (a regular expression's source), naming why. */
  says: string;
}

/** Where in the course material (the seeds) a scenario comes from. */
export interface SeedSource {
  /** The seed file, under the course material's `seeds/`. */
  file: string;
  /** Its section, as the seed titles it. */
  section: string;
  /** The row of its troubleshooting table, when the scenario is one (the walkthrough's last steps). */
  row?: string;
}

/** What one check's re-run of the workload did, request by request (each traced, so drawn). */
export interface WorkloadRun {
  /** Lab time the re-run started. */
  startedAt: number;
  steps: WorkloadStep[];
}

export interface WorkloadStep {
  /** The compute resource it ran as. */
  host: string;
  /** What the step did, in words. */
  did: string;
  ok: boolean;
  status: number;
  errorCode?: string;
  message?: string;
  traceId?: string;
  /** Token requests this step made to the managed-identity endpoint (a burst counts each). */
  tokenRequests?: number;
  /** Of those, how many were refused with 429. */
  throttled?: number;
}

export interface ScenarioDefinition {
  /** Kebab-case, stable: `milab scenario start ID`. */
  id: string;
  title: string;
  /** The troubleshooting row (course material) it brings to life, and what the learner meets (markdown). */
  story: string;
  /** The seed section (and table row) it comes from. */
  seed?: SeedSource;
  /** The README's "Where the course material and Azure disagree" point, when one applies. */
  disagreement?: string;
  /** Builds the starting point in a fresh lab, as the lab itself (never authorized). */
  setup(lab: Lab): void | Promise<void>;
  /** After the warm-up run of the workload, when `workload.warmUp` is set. */
  afterWarmUp?(lab: Lab): void | Promise<void>;
  workload: ScenarioWorkload;
  /** Progressive hints, gentlest first. */
  hints: readonly string[];
  solution: ScenarioSolution;
  /** Fixes that look right and are not (each is tested to stay unsolved, or too broad). */
  wrongFixes?: readonly WrongFix[];
  /**
   * Solved when the result is right: the lab's state and what its traces show the workload did.
   * `run` is the check's own re-run of the workload (absent when the check only reads the traces).
   */
  check(lab: Lab, run?: WorkloadRun): ScenarioCheck;
}
