// The scenario service of a running lab: start (set the learner's lab aside, build the
// scenario's), check (run the workload again over the real endpoints, then judge state and
// traces), hint, solve (the reference solution's lines, as the lab terminal runs them), stop
// (the learner's lab comes back). One operation at a time. Every surface uses it: the CLI, the
// lab terminal, the Scenarios view and the walkthrough.
import type { Lab } from '../engine/lab/lab';
import type { RunningLabServer } from '../server/labServer';
import { LabError } from '../engine/base/errors';
import { SCENARIOS, scenarioById } from '../engine/scenarios';
import type { ScenarioCheck, ScenarioDefinition, WorkloadRun } from '../engine/scenarios/types';
import { planWorkload } from '../engine/scenarios/plan';
import { hintsFor } from '../engine/scenarios/hints';
import {
  enterScenario,
  leaveScenario,
  markSetupDone,
  recordCheck,
  recordHint,
  recordSolutionShown,
  setScenarioEnvironment,
} from '../engine/operations/scenarioProgress';
import { runPlan } from './scenarioRun';

export interface LineResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A command the shell runs beside az, given the words after its name. */
export type ShellCommand = (words: string[]) => Promise<LineResult>;

/** Runs one line as the lab terminal does (az, `sql`, NAME=$(…)), with `commands` besides. */
export type Shell = (lab: Lab, line: string, variables: Map<string, string>, commands: Record<string, ShellCommand>) => Promise<LineResult>;

export type ScenarioState = 'not-started' | 'in-progress' | 'solved' | 'over-privileged';

export interface ScenarioStatus {
  id: string;
  title: string;
  state: ScenarioState;
  /** It is the one running now. */
  active: boolean;
  hintsUsed: number;
  checks: number;
  seed?: ScenarioDefinition['seed'];
}

export interface CheckReport {
  check: ScenarioCheck;
  run: WorkloadRun;
  /** Set when the lab could not run the workload itself (an app on your machine). */
  notRunHere?: string;
}

export interface HintReport {
  id: string;
  number: number;
  of: number;
  text: string;
}

export interface SolveReport {
  lines: Array<{ line: string } & LineResult>;
  environment: Record<string, string>;
  report: CheckReport;
}

export interface ScenarioServiceOptions {
  lab: Lab;
  /** The lab's running endpoints (started on demand by a CLI that runs on saved state). */
  server: () => Promise<RunningLabServer>;
  shell: Shell;
}

export function scenarioState(lab: Lab, id: string): ScenarioState {
  const progress = lab.scenarios.progress[id];
  if (!progress) return 'not-started';
  if (progress.solvedAt !== undefined) return 'solved';
  return progress.lastOutcome === 'too-broad' ? 'over-privileged' : 'in-progress';
}

export class ScenarioService {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly checked = new Set<(report: CheckReport) => void>();

  constructor(private readonly options: ScenarioServiceOptions) {}

  get lab(): Lab {
    return this.options.lab;
  }

  /** Called after every check (the extension sets the walkthrough's context keys and draws the run). */
  onDidCheck(listener: (report: CheckReport) => void): { dispose(): void } {
    this.checked.add(listener);
    return { dispose: () => this.checked.delete(listener) };
  }

  /** One operation at a time: a check never runs while another scenario is being set up. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  list(): ScenarioStatus[] {
    const lab = this.lab;
    return SCENARIOS.map(s => {
      const progress = lab.scenarios.progress[s.id];
      return {
        id: s.id,
        title: s.title,
        state: scenarioState(lab, s.id),
        active: lab.scenarios.active?.id === s.id,
        hintsUsed: progress?.hintsUsed ?? 0,
        checks: progress?.checks ?? 0,
        ...(s.seed ? { seed: s.seed } : {}),
      };
    });
  }

  /** The scenario running now, if one is. */
  get active(): ScenarioDefinition | undefined {
    const id = this.lab.scenarios.active?.id;
    return id ? scenarioById(id) : undefined;
  }

  definition(id: string): ScenarioDefinition {
    const scenario = scenarioById(id.trim());
    if (!scenario) {
      throw new LabError(
        'NotFound',
        `There is no scenario '${id.slice(0, 80)}'. The scenarios: ${SCENARIOS.map(s => s.id).join(', ')}.`,
        404,
        'id',
      );
    }
    return scenario;
  }

  private requireActive(): ScenarioDefinition {
    const active = this.active;
    if (!active) {
      throw new LabError('InvalidState', 'No scenario is running. Start one: scenario start ID (scenario list shows them).', 400);
    }
    return active;
  }

  start(id: string): Promise<ScenarioDefinition> {
    return this.exclusive(async () => {
      const scenario = this.definition(id);
      const lab = this.lab;
      enterScenario(lab, scenario.id);
      try {
        await scenario.setup(lab);
        markSetupDone(lab, scenario.workload.environment ?? {});
        if (scenario.workload.warmUp) {
          await runPlan(lab, await this.options.server(), planWorkload(lab, scenario.workload, this.environment()));
        }
        await scenario.afterWarmUp?.(lab);
      } catch (error) {
        // Nothing half-built stays: the learner's own lab comes back.
        leaveScenario(lab);
        throw error;
      }
      return scenario;
    });
  }

  /** The app's environment for the running scenario's workload: its own settings, as the learner changed them. */
  environment(): Record<string, string> {
    return { ...(this.lab.scenarios.active?.environment ?? {}) };
  }

  setEnvironment(name: string, value: string | undefined): Record<string, string> {
    this.requireActive();
    setScenarioEnvironment(this.lab, name, value);
    return this.environment();
  }

  check(): Promise<CheckReport> {
    return this.exclusive(() => this.checkNow());
  }

  private async checkNow(): Promise<CheckReport> {
    const scenario = this.requireActive();
    const lab = this.lab;
    const plan = planWorkload(lab, scenario.workload, this.environment());
    const run = await runPlan(lab, await this.options.server(), plan);
    const check = scenario.check(lab, run);
    recordCheck(lab, scenario.id, check.outcome);
    const report: CheckReport = { check, run, ...(plan.notRunHere ? { notRunHere: plan.notRunHere } : {}) };
    for (const listener of this.checked) listener(report);
    return report;
  }

  /** The next hint (the last one again once all were shown). */
  hint(): HintReport {
    const scenario = this.requireActive();
    const hints = hintsFor(this.lab, scenario);
    const number = recordHint(this.lab, scenario.id, hints.length);
    return { id: scenario.id, number, of: hints.length, text: hints[number - 1] ?? '' };
  }

  /** Runs the reference solution's lines as the lab terminal would, sets its environment, then checks. */
  solve(): Promise<SolveReport> {
    return this.exclusive(async () => {
      const scenario = this.requireActive();
      const lab = this.lab;
      recordSolutionShown(lab, scenario.id);
      const variables = new Map<string, string>();
      const lines: SolveReport['lines'] = [];
      for (const line of scenario.solution.terminal) {
        const result = await this.runLine(line, variables);
        lines.push({ line, ...result });
        if (result.exitCode !== 0) break;
      }
      for (const [name, value] of Object.entries(scenario.solution.environment ?? {})) setScenarioEnvironment(lab, name, value);
      return { lines, environment: this.environment(), report: await this.checkNow() };
    });
  }

  /**
   * One line of the lab terminal's language inside a scenario: az, `sql`, NAME=$(…) and
   * `scenario env …` (the app's environment). Used by solve and by tests that try fixes.
   */
  runLine(line: string, variables: Map<string, string>): Promise<LineResult> {
    return this.options.shell(this.lab, line, variables, { scenario: async words => this.environmentCommand(words) });
  }

  /** `scenario env NAME=VALUE … | --unset NAME`, the one scenario command a line may run. */
  private async environmentCommand(words: string[]): Promise<LineResult> {
    if (words[0] !== 'env') return { exitCode: 1, stdout: '', stderr: 'Inside a solution only "scenario env" can run.\n' };
    try {
      applyEnvironmentWords(words.slice(1), (name, value) => this.setEnvironment(name, value));
      return { exitCode: 0, stdout: '', stderr: '' };
    } catch (error) {
      return { exitCode: 1, stdout: '', stderr: `${(error as Error).message}\n` };
    }
  }

  stop(): Promise<string | undefined> {
    return this.exclusive(async () => leaveScenario(this.lab));
  }
}

/** `NAME=VALUE` sets, `--unset NAME` (or `-u NAME`) unsets; anything else is a usage error. */
export function applyEnvironmentWords(words: readonly string[], set: (name: string, value: string | undefined) => void): void {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--unset' || word === '-u') {
      const name = words[++i];
      if (!name) throw new LabError('InvalidArgument', 'argument --unset: expected a variable name', 400);
      set(name, undefined);
      continue;
    }
    const equals = word.indexOf('=');
    if (equals <= 0) throw new LabError('InvalidArgument', `'${word.slice(0, 80)}' is not NAME=VALUE (or --unset NAME).`, 400);
    set(word.slice(0, equals), word.slice(equals + 1));
  }
}
