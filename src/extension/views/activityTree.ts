// The Activity view: the lab's token requests and service calls, newest first, failures
// marked with their status and error code. Selecting one shows its diagram in Token Flow.
import * as vscode from 'vscode';
import type { Trace } from '../../engine/trace/model';
import type { LabController } from '../labController';
import type { ActivityNode } from './nodes';
import { tooltip } from './markdown';
import { SHOW_TRACE } from '../commandIds';
import { traceTitle } from '../../engine/readModels/traceDiagram/present';

/** The tree lists the newest traces only; the lab keeps more (see TraceLog's capacity). */
export const ACTIVITY_LIMIT = 200;
const REDRAW_DELAY_MS = 50;

export class ActivityTreeProvider implements vscode.TreeDataProvider<ActivityNode> {
  private readonly changed = new vscode.EventEmitter<ActivityNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly controller: LabController) {
    controller.onDidAddTrace(() => this.scheduleRefresh());
    controller.onDidStart(() => this.refresh());
  }

  /** Traces can arrive in bursts (an SDK retrying, a benchmark): redraw once per burst. */
  private scheduleRefresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, REDRAW_DELAY_MS);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: ActivityNode): ActivityNode[] {
    if (node) return [];
    const traces = this.controller.current?.traces.all ?? [];
    const newest: ActivityNode[] = [];
    for (let i = traces.length - 1; i >= 0 && newest.length < ACTIVITY_LIMIT; i--) newest.push({ kind: 'trace', traceId: traces[i]!.id });
    return newest;
  }

  /** A flat list: every item is at the root (reveal needs to be told). */
  getParent(): undefined {
    return undefined;
  }

  getTreeItem(node: ActivityNode): vscode.TreeItem {
    if (node.kind === 'message') return new vscode.TreeItem(node.text);
    const trace = this.controller.current?.traces.byId(node.traceId);
    if (!trace) return new vscode.TreeItem('(no longer kept)');
    return traceItem(trace);
  }
}

function outcomeText(trace: Trace): string {
  const code = trace.errorCode ? ` ${trace.errorCode}` : '';
  return trace.outcome === 'failure' ? `failed ${trace.status ?? ''}${code}`.trim() : `${trace.status ?? 'ok'}`;
}

function traceItem(trace: Trace): vscode.TreeItem {
  // A name with a right-to-left override (U+202E) would otherwise read backwards here.
  const title = traceTitle(trace);
  const item = new vscode.TreeItem(title);
  const time = new Date(trace.startedAt).toLocaleTimeString();
  item.description = `${outcomeText(trace)} · ${time}`;
  item.tooltip = tooltip(
    { bold: trace.outcome === 'failure' ? 'Failed' : 'Succeeded' },
    { text: ` — ${title}` },
    { line: true },
    {
      text:
        `Status ${trace.status ?? '?'}${trace.outcome === 'failure' && trace.errorCode ? `, error ${trace.errorCode}` : ''} · ` +
        `${trace.messages.length} messages · ${trace.durationMs} ms · ${new Date(trace.startedAt).toLocaleString()}`,
    },
  );
  item.iconPath =
    trace.outcome === 'failure'
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
      : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  item.contextValue = `trace ${trace.outcome}`;
  item.id = `trace:${trace.id}`;
  item.command = { command: SHOW_TRACE, title: 'Show in Token Flow', arguments: [{ traceId: trace.id }] };
  item.accessibilityInformation = { label: `${title}, ${outcomeText(trace)}, ${time}` };
  return item;
}
