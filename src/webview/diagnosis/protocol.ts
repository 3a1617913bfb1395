// Messages between the extension and the Diagnosis webview. Types only: both sides import them.

export interface FixView {
  /** Index within its finding. */
  index: number;
  title: string;
  /** The az twin, when the fix has one. */
  az?: string;
  /** Whether the button runs it (false: shown, the text left placeholders or the lab cannot run it). */
  runnable: boolean;
}

export interface FindingView {
  index: number;
  category: string;
  title: string;
  explanation: string;
  evidence: Array<{ label: string; value: string; inLab?: string }>;
  fixes: FixView[];
  /** "Reproduce in the lab" is offered. */
  reproducible: boolean;
  /** Check Access for this principal, action and scope. */
  checkAccess?: { principalId: string; action: string; scope: string };
  /** Least privilege for this principal. */
  leastPrivilegeFor?: string;
  /** The trace it is about, to show in Token Flow. */
  traceId?: string;
  /** Learning mode kept this finding's answer back: the button that reveals it (e.g. "Show Hint"). */
  hint?: string;
}

export interface DiagnosisView {
  /** e.g. "Diagnosis of the pasted error", "Why did this fail? — Key Vault kv-lab: GET …". */
  heading: string;
  /** The text diagnosed (kept in the paste box). */
  text?: string;
  findings: FindingView[];
}

export type ToDiagnosisWebview =
  | { type: 'show'; view: DiagnosisView }
  | { type: 'status'; text: string; severity: 'info' | 'success' | 'error' }
  | { type: 'busy'; busy: boolean };

export type FromDiagnosisWebview =
  | { type: 'ready' }
  | { type: 'diagnose'; text: string }
  | { type: 'fix'; finding: number; fix: number }
  | { type: 'copy'; text: string }
  | { type: 'reproduce'; finding: number }
  | { type: 'checkAccess'; finding: number }
  | { type: 'leastPrivilege'; finding: number }
  | { type: 'showTrace'; finding: number }
  | { type: 'hint'; finding: number }
  | { type: 'cspViolation'; directive: string; blocked: string };

/** The webview keeps its view across being hidden (getState/setState). */
export interface DiagnosisSavedState {
  view?: DiagnosisView;
  draft?: string;
}
