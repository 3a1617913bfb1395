// What a finding is explained with: the lab (when there is one, findings speak its words and
// fixes are concrete), what the text named, and for a failed trace the trace and the request
// that failed (so a fix can run it again, changed).
import type { Lab } from '../lab/lab';
import type { Trace } from '../trace/model';
import type { Evidence, Fix, Workload } from './model';
import type { TextReading } from './readText';

export interface DiagnosisContext {
  lab?: Lab | undefined;
  names?: TextReading['names'] | undefined;
  trace?: Trace | undefined;
  /** The request that failed, when the lab knows it. */
  workload?: Workload | undefined;
  /** The SDK or tool the text came from. */
  source?: string | undefined;
}

/** What a category's explainer returns; the category, score and source are added around it. */
export interface FindingDraft {
  title: string;
  explanation: string;
  evidence: Evidence[];
  fixes: Fix[];
}

/** Parts joined into prose (empty parts left out); a leading "the …" gets its capital (lab names keep their own case). */
export function sentence(...parts: Array<string | false | undefined>): string {
  const text = parts.filter(Boolean).join(' ');
  return text.startsWith('the ') ? `T${text.slice(1)}` : text;
}

/** An action's last word, for people: `…/secrets/getSecret/action` → `getSecret`. */
export function actionWords(action: string): string {
  const parts = action.split('/').filter(p => p && p.toLowerCase() !== 'action');
  const last = parts[parts.length - 1] ?? action;
  return last === 'read' || last === 'write' || last === 'delete' ? `${parts[parts.length - 2] ?? ''}/${last}` : last;
}
