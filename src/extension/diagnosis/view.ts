// Findings as the Diagnosis webview shows them: each fix with its az twin, and the links a
// finding offers (Reproduce, Check Access, least privilege, the trace in Token Flow).
import type { Lab } from '../../engine/lab/lab';
import type { Finding } from '../../engine/diagnosis/model';
import { CATEGORIES, isCategory } from '../../engine/diagnosis/categories';
import type { LeastPrivilegeReport } from '../../engine/diagnosis/leastPrivilege';
import { fixTwin } from '../../az/diagnosisTwins';
import { isGuid } from '../../engine/base/ids';
import type { FindingView } from '../../webview/diagnosis/protocol';

const RBAC = new Set(['rbac-forbidden-keyvault', 'rbac-forbidden-storage', 'rbac-forbidden-arm']);

/** The principal, action and scope an access finding is about, when the lab has the principal. */
export function accessOf(lab: Lab, f: Finding): { principalId: string; action: string; scope: string } | undefined {
  if (!RBAC.has(f.category)) return undefined;
  const assign = f.fixes.map(x => x.action).find(a => a?.kind === 'createRoleAssignment');
  const principalId = assign?.kind === 'createRoleAssignment' ? assign.principalId : f.evidence.find(e => e.label === 'object id')?.value;
  const action = f.evidence.find(e => e.label === 'action')?.value;
  const scope = f.evidence.find(e => e.label === 'scope')?.value ?? (assign?.kind === 'createRoleAssignment' ? assign.scope : undefined);
  if (!principalId || !isGuid(principalId) || !lab.directory.principal(principalId) || !action || !scope?.startsWith('/')) return undefined;
  return { principalId, action, scope };
}

export function findingView(lab: Lab, f: Finding, index: number): FindingView {
  const access = accessOf(lab, f);
  return {
    index,
    category: f.category,
    title: f.title,
    explanation: f.explanation,
    evidence: f.evidence.map(e => ({ label: e.label, value: e.value, ...(e.inLab ? { inLab: e.inLab } : {}) })),
    fixes: f.fixes.map((fix, i) => {
      const az = fixTwin(fix.action, lab);
      return { index: i, title: fix.title, runnable: fix.runnable && !!fix.action, ...(az ? { az } : {}) };
    }),
    reproducible: isCategory(f.category) && CATEGORIES[f.category].simulated,
    ...(access ? { checkAccess: access, leastPrivilegeFor: access.principalId } : {}),
    ...(f.traceId && lab.traces.byId(f.traceId) ? { traceId: f.traceId } : {}),
  };
}

/** A least-privilege report as one finding: the proposal, what was used, and the fixes. */
export function leastPrivilegeFinding(report: LeastPrivilegeReport): Finding {
  return {
    category: 'unknown',
    title: `Least privilege for ${report.principal?.words ?? report.principalId}`,
    explanation: report.summary,
    evidence: report.used.map(u => ({ label: u.allowed ? 'used' : 'denied', value: `${u.action} at ${u.scope} (${u.count}×)` })),
    fixes: report.fixes,
    confidence: 1,
    source: 'trace',
  };
}
