// Keeps the Activity view and Token Flow in step the other way too: when the diagram shows another
// trace (Previous/Next/Latest, a new request followed), its Activity item is selected — without
// taking focus, and only while the view is showing (revealing would open it).
import * as vscode from 'vscode';
import type { ActivityNode } from './nodes';
import type { TokenFlowPanel } from '../tokenFlow/tokenFlowPanel';

export function selectShownTrace(view: vscode.TreeView<ActivityNode>, tokenFlow: TokenFlowPanel): vscode.Disposable {
  return tokenFlow.onDidRender(({ traceId }) => {
    if (!view.visible) return;
    const selected = view.selection[0];
    if (selected?.kind === 'trace' && selected.traceId === traceId) return;
    void Promise.resolve(view.reveal({ kind: 'trace', traceId }, { select: true, focus: false })).catch(() => undefined);
  });
}
