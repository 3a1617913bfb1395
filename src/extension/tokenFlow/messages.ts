// Messages between the extension and the Token Flow webview (the webview has its own copy
// of these types: it cannot import extension code).
export interface TraceForView {
  id: string;
  title: string;
  outcome: 'success' | 'failure';
  status?: number;
  errorCode?: string;
  startedAt: number;
  mermaid: string;
}

export type ToWebview = { type: 'show'; trace: TraceForView };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'rendered'; traceId: string; participants: string[]; messageCount: number }
  | { type: 'renderFailed'; traceId: string; error: string }
  | { type: 'cspViolation'; directive: string; blocked: string };
