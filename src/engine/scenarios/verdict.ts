// How the catalogue's checks reach their verdict: goals (each with why it is not met), the
// failing request's own explanation (the diagnosis of its trace: the rule that refused it, the
// decision's reasons), and "works but broader than needed" read from the principal's role
// assignments against what the workload needs and the least-privileged built-in role for it.
import type { Lab } from '../lab/lab';
import type { ScenarioCheck, WorkloadRun, WorkloadStep } from './types';
import { diagnoseTrace } from '../diagnosis/diagnose';
import { idKey, isAtOrAbove } from '../azure/resourceId';
import { evaluatePermissions } from '../azure/permissions';
import { planeOf } from '../azure/actions';
import { resourceScope, scopeWords } from '../diagnosis/fixes';

export interface Goal {
  text: string;
  met: boolean;
  /** Why it is not met, in the lab's words (shown when it is the first goal not met). */
  why?: string;
}

export const goal = (text: string, met: boolean, why?: string): Goal => (why === undefined ? { text, met } : { text, met, why });

/** Solved when every goal is met and nothing is broader than needed; otherwise the first unmet goal, and why. */
export function verdict(id: string, goals: readonly Goal[], solved: string, tooBroad?: string): ScenarioCheck {
  const contract = goals.map(g => ({ text: g.text, met: g.met }));
  const failing = goals.find(g => !g.met);
  if (failing) {
    return { id, outcome: 'not-yet', goals: contract, message: `Not yet: ${failing.text}${failing.why ? ` — ${failing.why}` : '.'}` };
  }
  if (tooBroad) return { id, outcome: 'too-broad', goals: contract, message: `It works, but it is broader than needed: ${tooBroad}` };
  return { id, outcome: 'solved', goals: contract, message: `Solved: ${solved}` };
}

/** The run's steps on one host (all of them when `host` is absent). */
export const stepsOf = (run: WorkloadRun | undefined, host?: string): WorkloadStep[] =>
  (run?.steps ?? []).filter(s => host === undefined || s.host.toLowerCase() === host.toLowerCase());

export const allOk = (steps: readonly WorkloadStep[]): boolean => steps.length > 0 && steps.every(s => s.ok);

/**
 * Why a step failed, from its trace: the diagnosis' title and the decision's first reason (which
 * names the role assignment looked at and why it did not grant), or the endpoint's answer.
 */
export function whyFailed(lab: Lab, step: WorkloadStep | undefined): string {
  if (!step) return 'the workload did not run.';
  if (step.ok) return `${step.did} worked.`;
  const answer = `${step.did}: ${step.status || 'no answer'}${step.errorCode ? ` ${step.errorCode}` : ''}`;
  const trace = step.traceId ? lab.traces.byId(step.traceId) : undefined;
  if (!trace) return `${answer}${step.message ? ` (${step.message.slice(0, 200)})` : ''}.`;
  const finding = diagnoseTrace(lab, trace).findings[0];
  const note = trace.messages.flatMap(m => m.checks ?? (m.authorization ? [m.authorization] : [])).find(n => !n.allowed);
  // Every assignment looked at, newest (the learner's latest try) last: each says why it did not grant.
  const reasons = (note?.reasons ?? []).filter(r => !r.startsWith('would be granted by')).slice(-3);
  const service = step.message ? step.message.split(/\r?\n/)[0]!.slice(0, 160) : '';
  return [
    `${answer}${service ? ` ("${service}")` : ''}.`,
    finding && finding.category !== 'unknown' ? `${finding.title}.` : '',
    reasons.length ? `(${reasons.join('; ')}.)` : '',
  ]
    .filter(Boolean)
    .join(' ')
    .replace(/\.\./g, '.');
}

/** The first step that failed, explained; or undefined when every step worked. */
export function firstFailure(lab: Lab, steps: readonly WorkloadStep[]): string | undefined {
  const failed = steps.find(s => !s.ok);
  return failed ? whyFailed(lab, failed) : steps.length === 0 ? 'the workload did not run.' : undefined;
}

/** What the workload needs of a principal: an action (control or data) on a resource. */
export interface Need {
  action: string;
  /** The resource (or an item under it: a secret, a container) the action is on. */
  scope: string;
}

/** The learner's role assignments (not the setup's) of one principal. */
function learnersAssignments(lab: Lab, principalId: string) {
  const setup = new Set(lab.scenarios.active?.setupAssignments ?? []);
  return lab.assignments
    .forPrincipal(principalId)
    .map(a => a.state)
    .filter(a => !setup.has(a.name));
}

/**
 * Broader than needed: one of the learner's assignments for `principalId` sits above the resource
 * it is needed on, holds a role beyond the least-privileged built-in one for what it grants, or
 * grants nothing the workload needs. Returns the sentence to say, naming the least-privileged fix.
 */
export function broaderThanNeeded(lab: Lab, principalId: string, needs: readonly Need[], who: string): string | undefined {
  const problems: string[] = [];
  const all = lab.assignments.forPrincipal(principalId).map(a => a.state);
  const grants = (a: (typeof all)[number], n: Need): boolean => {
    const role = lab.roles.get(a.roleDefinitionId);
    return Boolean(role) && isAtOrAbove(a.scope, n.scope) && evaluatePermissions(role!.permissions, n.action, planeOf(n.action)).granted;
  };
  for (const a of learnersAssignments(lab, principalId)) {
    const role = lab.roles.get(a.roleDefinitionId);
    const roleName = role?.roleName ?? a.roleDefinitionId;
    const where = scopeWords(lab, a.scope);
    const granted = needs.filter(n => grants(a, n));
    // What only this assignment serves: the least-privileged role is named for that (Reader may already serve the rest).
    const own = granted.filter(n => !all.some(other => other.name !== a.name && grants(other, n)));
    if (granted.length === 0) {
      problems.push(`${roleName} at ${where} is not needed for what ${who} does: remove it`);
      continue;
    }
    const need = granted[0]!;
    const resource = resourceScope(need.scope);
    const least = leastCovering(lab, own.length ? own : granted);
    const leastWords = `${least?.roleName ?? roleName} on ${scopeWords(lab, resource)}`;
    if (idKey(a.scope) !== idKey(resource) && isAtOrAbove(a.scope, resource)) {
      problems.push(`${roleName} at ${where} reaches far beyond ${scopeWords(lab, resource)}; ${leastWords} itself is enough`);
    } else if (least && !granted.some(n => lab.access.leastPrivileged(n.action, planeOf(n.action))?.name === role!.name)) {
      problems.push(`${roleName} grants far more than ${who} needs; ${leastWords} is the least-privileged role for it`);
    }
  }
  return problems.length ? `${problems.join('; ')}.` : undefined;
}

/**
 * The least-privileged built-in role for several needs at once: of the roles least-privileged for
 * each need, the first that grants them all (Storage Blob Data Contributor for a read and a write).
 */
function leastCovering(lab: Lab, needs: readonly Need[]) {
  const candidates = needs.map(n => lab.access.leastPrivileged(n.action, planeOf(n.action))).filter(r => r !== undefined);
  const coversAll = (role: (typeof candidates)[number]) =>
    needs.every(n => evaluatePermissions(role.permissions, n.action, planeOf(n.action)).granted);
  return candidates.find(coversAll) ?? candidates[0];
}
