// The diagnosis entry points. `diagnoseText`: a pasted error (any SDK, tool or log), bound to a
// lab when one is given. `diagnoseTrace`: a failed trace, from its facts. Both return ranked
// findings, best first, never empty; neither changes the lab.
import type { Lab } from '../lab/lab';
import type { Trace } from '../trace/model';
import type { Decision } from '../state/accessDecisions';
import type { Diagnosis, Evidence, Workload } from './model';
import { readText } from './readText';
import { readTrace, workloadOf } from './readTrace';
import { rankFindings, unknownFinding } from './findings';

export interface TextOptions {
  /** Bind ids and names in the text to this lab: findings in its words, fixes with its ids. */
  lab?: Lab;
}

export function diagnoseText(text: string, options: TextOptions = {}): Diagnosis {
  const input = typeof text === 'string' ? text : '';
  const reading = readText(input);
  const ctx = { lab: options.lab, names: reading.names, source: reading.source };
  const findings = rankFindings(reading.symptoms, ctx, reading.text.flat.length);
  const notes: Evidence[] = [];
  if (reading.source) notes.push({ label: 'looks like', value: reading.source });
  if (reading.text.cut) {
    notes.push({ label: 'read', value: `the first ${reading.text.flat.length.toLocaleString('en-US')} characters of a longer paste` });
  }
  if (findings[0]) findings[0].evidence.push(...notes);
  return { findings, charactersRead: reading.text.flat.length };
}

export interface TraceOptions {
  /** The request that produced the trace, when the caller knows it better than the trace does. */
  workload?: Workload;
}

/** "Why did this fail?" for a trace the lab recorded. A trace that succeeded gets one `unknown` finding saying so. */
export function diagnoseTrace(lab: Lab, trace: Trace, options: TraceOptions = {}): Diagnosis {
  if (trace.outcome !== 'failure') {
    const finding = unknownFinding({ lab, trace });
    finding.title = 'This request succeeded: nothing to diagnose';
    finding.explanation = `${trace.title} ended with ${trace.status ?? 'success'}.`;
    return { findings: [finding], charactersRead: 0 };
  }
  const workload = options.workload ?? workloadOf(lab, trace);
  const findings = rankFindings(readTrace(lab, trace), { lab, trace, workload });
  return { findings, charactersRead: 0 };
}

/** A Check Access decision as a diagnosis: for a denial, the same finding a 403 for it would get. */
export function diagnoseDecision(lab: Lab, decision: Decision): Diagnosis {
  const service =
    /^microsoft\.keyvault\//i.test(decision.action) && decision.plane === 'data'
      ? 'keyvault'
      : /^microsoft\.storage\//i.test(decision.action) && decision.plane === 'data'
        ? 'storage'
        : 'arm';
  // The decision's reasons: what granted, and why each other assignment of the principal did not.
  const evidence: Evidence[] = [
    { label: 'decision', value: decision.summary },
    ...decision.grants.map(g => ({
      label: 'granted by',
      value: `${g.roleName} at ${g.scope}${g.inherited ? ' (inherited)' : ''} via ${g.grantedBy}`,
    })),
    ...decision.considered.map(c => ({ label: 'not granted by', value: `${c.roleName} at ${c.scope}: ${c.reason}` })),
  ];
  if (decision.allowed) {
    const finding = unknownFinding({ lab });
    finding.title = `Allowed: ${decision.grants[0]?.roleName ?? 'a role'} grants ${decision.action}`;
    finding.explanation = decision.summary;
    finding.evidence = evidence;
    return { findings: [finding], charactersRead: 0 };
  }
  const findings = rankFindings(
    [
      {
        kind: 'rbacDenied',
        service,
        strong: true,
        principalId: decision.principalId,
        action: decision.action,
        scope: decision.scope,
        evidence,
      },
    ],
    { lab },
  );
  return { findings, charactersRead: 0 };
}
