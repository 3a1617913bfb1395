// Learning mode: what the lab keeps back until the learner asks for a hint — the least-privileged
// role for what was denied (the role a fix would assign, and every sentence naming it as the answer).
// On while a scenario runs unless the person chose a mode; the practitioner mode shows it at once.
import type { Lab } from '../lab/lab';
import type { Finding, Fix } from '../diagnosis/model';

export const LEARNING_MODES = ['practitioner', 'learning'] as const;
export type LearningMode = (typeof LEARNING_MODES)[number];

/** The button and command title that reveal what learning mode kept back. */
export const SHOW_HINT = 'Show Hint';

/** Said where the answer would have been. */
export const WITHHELD =
  'Learning mode keeps back which role would fix it: find the role that grants exactly the denied action and nothing more, or Show Hint.';

/** The mode in effect: the one the person chose, else learning while a scenario runs, else practitioner. */
export function learningModeNow(lab: Lab, chosen: LearningMode | undefined): LearningMode {
  return chosen ?? (lab.scenarios.active ? 'learning' : 'practitioner');
}

/** Whether the least-privileged answer is kept back: in learning mode, until the learner asked for the hint. */
export function withholdsAnswer(mode: LearningMode, hintAsked: boolean): boolean {
  return mode === 'learning' && !hintAsked;
}

/** A fix that is the answer: assigning a role. */
export function isAnswer(fix: Fix): boolean {
  return fix.action?.kind === 'createRoleAssignment';
}

function answerRoles(fixes: readonly Fix[]): string[] {
  return fixes.flatMap(f => (f.action?.kind === 'createRoleAssignment' ? [f.action.role] : []));
}

/** A sentence gives the answer away when it names one of the roles as what would grant (the least-privileged one). */
function namesAnswer(sentence: string, roles: readonly string[]): boolean {
  return roles.some(r => sentence.includes(r)) && /least-privileged|would grant|would:/i.test(sentence);
}

/** The text without its sentences that name one of `roles` as the answer; the WITHHELD line in their place. */
export function withholdFromText(text: string, roles: readonly string[]): string {
  if (!roles.length) return text;
  const sentences = text.split(/(?<=[.!?])\s+/);
  const kept = sentences.filter(s => !namesAnswer(s, roles));
  return kept.length === sentences.length ? text : [...kept, WITHHELD].join(' ');
}

/** A finding as learning mode shows it before the hint: no role-assigning fix, no sentence or evidence naming that role. */
export function withholdFromFinding(finding: Finding): Finding {
  const roles = answerRoles(finding.fixes);
  if (!roles.length) return finding;
  return {
    ...finding,
    explanation: withholdFromText(finding.explanation, roles),
    evidence: finding.evidence.filter(e => e.label !== 'would grant'),
    fixes: finding.fixes.filter(f => !isAnswer(f)),
  };
}

/** Whether any finding has an answer to keep back (then the Show Hint button is offered). */
export function hasAnswer(findings: readonly Finding[]): boolean {
  return findings.some(f => f.fixes.some(isAnswer));
}

/** The hint: the answer in one sentence. */
export function hintSentence(role: string, action: string, where: string): string {
  return `Hint: '${role}' at ${where} is the least-privileged built-in role that grants ${action}.`;
}
