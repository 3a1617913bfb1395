// What a failure notification adds to its sentence: what the SDKs report for that failure (the
// engine's table, engine/readModels/sdkReports.ts) and buttons for the fixes the diagnosis found in
// its trace — the same findings "Why Did This Fail?" shows; no rule of its own here. In learning
// mode (engine/scenarios/learning.ts) the role-assigning fix is a Show Hint button instead.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import type { Finding, Fix } from '../../engine/diagnosis/model';
import { diagnoseTrace } from '../../engine/diagnosis/diagnose';
import { sdkReportLine, sdkReportsFor } from '../../engine/readModels/sdkReports';
import { courseNoteForRefusal } from '../../engine/readModels/courseDifferences';
import type { FollowUp } from '../feedback/outcome';
import type { CommandContext } from '../commands/context';
import { ASSIGN_ROLE, ENABLE_SYSTEM_IDENTITY, SHOW_HINT, WHY_DID_THIS_FAIL } from '../commandIds';
import { isAnswer, SHOW_HINT as SHOW_HINT_TITLE, WITHHELD } from '../../engine/scenarios/learning';
import { runFindingFix } from './runFix';
import { withholding } from './learning';

export interface FailureHelp {
  /** Sentences to add to the notification: the SDKs' words, and what a fix leads to. */
  words: string;
  followUps: FollowUp[];
  /** The best finding's category, for scripts and tests. */
  category?: string;
  /** Learning mode kept the least-privileged role back (the notification offers Show Hint instead). */
  withheld?: boolean;
}

/** At most this many fix buttons: a notification is not the Diagnosis panel (which has them all). */
const MAX_FIXES = 2;

function followUpFor(ctx: CommandContext, finding: Finding, fix: Fix): FollowUp | undefined {
  const action = fix.action;
  if (!action || !fix.runnable) return undefined;
  // Fixes the palette has a command for go through it: the same notification, undo and az twin as doing it by hand.
  if (action.kind === 'enableSystemAssigned') {
    return {
      title: 'Enable System-Assigned Identity',
      run: () => void vscode.commands.executeCommand(ENABLE_SYSTEM_IDENTITY, { resourceId: action.resourceId }),
    };
  }
  if (action.kind === 'createRoleAssignment') {
    return {
      title: `Assign ${action.role}`,
      run: () =>
        void vscode.commands.executeCommand(ASSIGN_ROLE, { principalId: action.principalId, role: action.role, scope: action.scope }),
    };
  }
  return {
    title: fix.title,
    run: () =>
      void runFindingFix(ctx, finding, fix).then(
        run => ctx.feedback.succeeded(run.message, run.message, run.az, run.ok ? 'info' : 'warning'),
        (error: unknown) => ctx.feedback.failed('Run fix', error),
      ),
  };
}

export function failureHelp(ctx: CommandContext, lab: Lab, traceId: string | undefined): FailureHelp {
  const trace = traceId ? lab.traces.byId(traceId) : undefined;
  if (!trace || trace.outcome !== 'failure') return { words: '', followUps: [] };
  const sdk = trace.refusal ? sdkReportLine(sdkReportsFor(trace.refusal, trace.status)) : undefined;
  const best = diagnoseTrace(lab, trace).findings[0];
  const followUps: FollowUp[] = [];
  // Learning mode keeps the least-privileged role back: a Show Hint button where its Assign button would be.
  const withheld = withholding(lab) && (best?.fixes.some(isAnswer) ?? false);
  if (withheld) {
    followUps.push({ title: SHOW_HINT_TITLE, run: () => void vscode.commands.executeCommand(SHOW_HINT, { traceId: trace.id }) });
  }
  for (const fix of best?.fixes ?? []) {
    if (withheld && isAnswer(fix)) continue;
    const followUp = followUpFor(ctx, best!, fix);
    if (followUp && !followUps.some(f => f.title === followUp.title)) followUps.push(followUp);
    if (followUps.length === MAX_FIXES) break;
  }
  followUps.push({ title: 'Why Did This Fail?', run: () => void vscode.commands.executeCommand(WHY_DID_THIS_FAIL, { traceId: trace.id }) });
  const enables = best?.fixes.some(f => f.action?.kind === 'enableSystemAssigned' && f.runnable);
  const words = [
    enables ? 'Enabling it creates a new principal with no roles: it then needs the role its code uses.' : undefined,
    withheld ? WITHHELD : undefined,
    sdk,
    trace.refusal ? courseNoteForRefusal(trace.refusal) : undefined,
  ].filter(Boolean);
  return { words: words.join(' '), followUps, ...(best ? { category: best.category } : {}), ...(withheld ? { withheld } : {}) };
}
