// Messages between the extension and the Token Flow webview. Types only: both sides import
// them (the webview cannot import extension code, and needs none).
import type { TraceView } from '../../engine/readModels/traceDiagram/present';

export type { TraceView, MessageView } from '../../engine/readModels/traceDiagram/present';

/** Where the shown trace sits among the recent ones: 0 is the newest. */
export interface HistoryPosition {
  index: number;
  count: number;
}

export type ExportFormat = 'mmd' | 'svg' | 'md';

export type ToWebview =
  | { type: 'show'; trace: TraceView; position: HistoryPosition }
  | { type: 'exportSvg'; requestId: number; traceId: string }
  /** The saved trace on screen is from before a reload: the lab no longer has it. */
  | { type: 'stale' };

export type FromWebview =
  /** The page is up (and shows what it restored from its saved state, if anything). */
  | { type: 'ready' }
  | { type: 'rendered'; traceId: string; participants: string[]; messageCount: number; failures: number; renderMs: number }
  | { type: 'renderFailed'; traceId: string; error: string }
  | { type: 'cspViolation'; directive: string; blocked: string }
  | { type: 'navigate'; to: 'previous' | 'next' | 'latest' }
  | { type: 'export'; format: ExportFormat }
  /** "Why did this fail?" for the trace on screen. */
  | { type: 'diagnose' }
  | { type: 'svg'; requestId: number; svg?: string; error?: string };

/** What the webview keeps with getState/setState, so a reload shows the same diagram. */
export interface SavedState {
  trace: TraceView;
  position: HistoryPosition;
  selected?: number;
}
