// Runs one of a finding's fixes as the learner — an engine operation through the host adapter, or
// the app's request again — and, after a change, the finding's own rerun, so Token Flow shows the
// result. Shared by the Diagnosis panel's buttons and the fix buttons on failure notifications.
import type { Finding, Fix } from '../../engine/diagnosis/model';
import { carryOutFix, describeWorkload, runWorkload } from '../../host/workload';
import { fixTwin } from '../../az/diagnosisTwins';
import { ArgumentError } from '../feedback/outcome';
import type { CommandContext } from '../commands/context';

export interface FixRun {
  message: string;
  ok: boolean;
  az?: string | undefined;
}

export async function runFindingFix(ctx: CommandContext, finding: Finding, fix: Fix | undefined): Promise<FixRun> {
  const host = await ctx.host();
  const lab = host.lab;
  if (!fix?.action || !fix.runnable) throw new ArgumentError('That fix cannot be run in the lab (it is shown for reference).');
  const action = fix.action;
  if (action.kind === 'rerun') ctx.tokenFlow.show();
  const done = await carryOutFix(lab, host.server, action, lab.learner);
  let message = done.message;
  let ok = done.result ? done.result.ok : true;
  const again = action.kind === 'rerun' ? undefined : finding.fixes.find(f => f.action?.kind === 'rerun' && f.runnable)?.action;
  if (again?.kind === 'rerun') {
    ctx.tokenFlow.show();
    const result = await runWorkload(lab, host.server, again.workload);
    ok = result.ok;
    const outcome = result.ok ? `${result.status}, it works.` : `still ${result.status} ${result.errorCode ?? ''}.`;
    message += ` Ran the request again: ${describeWorkload(lab, again.workload)} — ${outcome}`;
  }
  return { message, ok, az: fixTwin(action, lab) };
}
