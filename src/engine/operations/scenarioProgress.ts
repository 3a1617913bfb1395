// The operations behind scenarios: starting one sets the learner's lab aside (whole, inside the
// state) and puts a fresh lab of the same tenant in its place; stopping brings the learner's lab
// back exactly. Progress (started, checks, hints, solved) is recorded here too, and so is the app
// environment the learner sets for a scenario's workload.
import type { Lab } from '../lab/lab';
import { DEFAULT_SETTINGS } from '../lab/lab';
import { mutable } from '../lab/mutable';
import { LabError } from '../base/errors';
import type { LabState, ScenarioProgressState } from '../state/labState';
import { CURRENT_SCHEMA_VERSION } from '../state/labState';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A lab with nothing in it but the same tenant, learner, subscriptions and keys: a scenario builds on it. */
export function emptyWorldOf(state: LabState, clockOffset = 0): LabState {
  return copy({
    schemaVersion: CURRENT_SCHEMA_VERSION,
    tenant: state.tenant,
    user: state.user,
    subscriptions: state.subscriptions,
    resourceGroups: [],
    resources: [],
    servicePrincipals: [],
    roleDefinitions: [],
    roleAssignments: [],
    dataPlane: {},
    signingKeys: state.signingKeys,
    ...(state.secretSeed ? { secretSeed: state.secretSeed } : {}),
    ...(state.workloadIssuerKey ? { workloadIssuerKey: state.workloadIssuerKey } : {}),
    // The running endpoints serve with this CA: a scenario keeps it, so apps keep trusting them.
    ...(state.tls ? { tls: state.tls } : {}),
    settings: { ...DEFAULT_SETTINGS },
    groups: [],
    removedRoleAssignments: [],
    // Running, and never behind the learner's lab time: traces already recorded stay in the past.
    clock: { offsetMs: Math.max(0, clockOffset) },
  });
}

function withoutScenarios(state: LabState): LabState {
  const { scenarios: _scenarios, ...rest } = state;
  return rest;
}

/**
 * Puts an empty lab in place for scenario `id` (its setup comes next). The learner's own lab is
 * set aside the first time; starting another scenario while one runs replaces only the scenario's lab.
 */
export function enterScenario(lab: Lab, id: string): void {
  const scenarios = mutable(lab).scenarios;
  const learner = scenarios.active ? scenarios.active.setAside : withoutScenarios(lab.toState());
  lab.replaceState(emptyWorldOf(lab.toState(), lab.clock.offsetMs), `Start scenario ${id}`);
  const now = lab.clock.now();
  const live = mutable(lab).scenarios;
  live.active = { id, startedAt: now, environment: {}, setAside: learner };
  live.progress[id] ??= { startedAt: now, hintsUsed: 0, checks: 0 };
  lab.notify('scenarios');
}

/** Brings the learner's own lab back as it was when the first scenario started; undefined when none runs. */
export function leaveScenario(lab: Lab): string | undefined {
  const active = lab.scenarios.active;
  if (!active) return undefined;
  lab.replaceState(copy(active.setAside) as LabState, `Stop scenario ${active.id}`);
  delete mutable(lab).scenarios.active;
  lab.notify('scenarios');
  return active.id;
}

function progressOf(lab: Lab, id: string): ScenarioProgressState {
  const progress = mutable(lab).scenarios.progress;
  return (progress[id] ??= { startedAt: lab.clock.now(), hintsUsed: 0, checks: 0 });
}

/** A check's outcome; the first `solved` is remembered for good. */
export function recordCheck(lab: Lab, id: string, outcome: NonNullable<ScenarioProgressState['lastOutcome']>): ScenarioProgressState {
  const progress = progressOf(lab, id);
  progress.checks++;
  progress.lastOutcome = outcome;
  if (outcome === 'solved') progress.solvedAt ??= lab.clock.now();
  lab.notify('scenarios');
  return progress;
}

/** One more hint shown, up to `available`. Returns how many have been shown. */
export function recordHint(lab: Lab, id: string, available: number): number {
  const progress = progressOf(lab, id);
  progress.hintsUsed = Math.min(progress.hintsUsed + 1, available);
  lab.notify('scenarios');
  return progress.hintsUsed;
}

/** After the scenario's setup: remembers what it built, so checks can tell it from what the learner did. */
export function markSetupDone(lab: Lab, environment: Readonly<Record<string, string>>): void {
  const active = mutable(lab).scenarios.active;
  if (!active) return;
  active.setupAssignments = lab.assignments.all.map(a => a.name);
  active.environment = { ...environment, ...active.environment };
  lab.notify('scenarios');
}

export function recordSolutionShown(lab: Lab, id: string): void {
  progressOf(lab, id).solutionShown = true;
  lab.notify('scenarios');
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const MAX_VALUE = 2048;

/** Sets (or, with `undefined`, unsets) a variable of the running scenario's app environment. */
export function setScenarioEnvironment(lab: Lab, name: string, value: string | undefined): void {
  const active = mutable(lab).scenarios.active;
  if (!active) throw new LabError('InvalidState', 'No scenario is running: start one first (scenario start ID).', 400);
  if (!VARIABLE.test(name)) {
    throw new LabError(
      'InvalidArgument',
      `'${name.slice(0, 60)}' is not a variable name: letters, digits and _, not starting with a digit.`,
      400,
      'name',
    );
  }
  if (value !== undefined && (value.length > MAX_VALUE || /[\0\r\n]/.test(value))) {
    throw new LabError('InvalidArgument', `The value of ${name} must be one line of at most ${MAX_VALUE} characters.`, 400, 'value');
  }
  if (value === undefined) delete active.environment[name];
  else active.environment[name] = value;
  lab.notify('scenarios');
}

/** The token the running scenario's app on `host` keeps (or, with `undefined`, lets go of: it gets a new one next time). */
export function holdWorkloadToken(lab: Lab, host: string, token: string | undefined): void {
  const active = mutable(lab).scenarios.active;
  if (!active) return;
  const held = (active.heldTokens ??= {});
  if (token === undefined) delete held[host.toLowerCase()];
  else held[host.toLowerCase()] = token;
  lab.notify('scenarios');
}

/** Remembers walkthrough steps seen done (a step once done stays done); notifies only when one is new. */
export function recordWalkthroughSteps(lab: Lab, done: Iterable<string>): readonly string[] {
  const scenarios = mutable(lab).scenarios;
  const known = new Set(scenarios.walkthrough ?? []);
  const added = [...done].filter(id => !known.has(id));
  if (added.length) {
    scenarios.walkthrough = [...known, ...added];
    lab.notify('scenarios');
  }
  return scenarios.walkthrough ?? [];
}
