// The Diagnosis panel: one per window, beside the editor. It shows the findings it is given and
// passes the person's clicks (diagnose a paste, run a fix, reproduce, check access…) to the
// handler the commands set. Messages from the page are checked before they are used.
import * as vscode from 'vscode';
import type { DiagnosisView, FromDiagnosisWebview, ToDiagnosisWebview } from '../../webview/diagnosis/protocol';
import { diagnosisHtml } from './html';

export const DIAGNOSIS_VIEW_TYPE = 'managedIdentityLab.diagnosis';

export class DiagnosisPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private pending: ToDiagnosisWebview[] = [];
  private listeners: vscode.Disposable[] = [];
  /** What the panel shows now (tests read it). */
  view: DiagnosisView | undefined;
  /** What the webview's Content Security Policy blocked (tests assert it stays empty). */
  readonly cspViolations: string[] = [];
  /** The last status line shown (tests read it). */
  lastStatus: { text: string; severity: 'info' | 'success' | 'error' } | undefined;
  onMessage: ((message: FromDiagnosisWebview) => void) | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the panel (or brings it forward) and shows `view`; with no view, an empty paste box. */
  show(view?: DiagnosisView): void {
    if (view) this.view = view;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        DIAGNOSIS_VIEW_TYPE,
        'Diagnosis',
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
        {
          enableScripts: true,
          retainContextWhenHidden: true,
          localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
        },
      );
      this.panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activitybar.svg');
      this.ready = false;
      this.panel.webview.html = diagnosisHtml(this.panel.webview, this.extensionUri);
      this.listeners = [
        this.panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
        this.panel.onDidDispose(() => {
          this.panel = undefined;
          this.ready = false;
          for (const d of this.listeners) d.dispose();
          this.listeners = [];
        }),
      ];
    } else this.panel.reveal(undefined, false);
    if (view) this.post({ type: 'show', view });
  }

  status(text: string, severity: 'info' | 'success' | 'error' = 'info'): void {
    this.lastStatus = { text, severity };
    this.post({ type: 'status', text, severity });
  }

  busy(busy: boolean): void {
    this.post({ type: 'busy', busy });
  }

  private post(message: ToDiagnosisWebview): void {
    if (!this.panel) return;
    if (!this.ready) {
      // Only the newest view matters; statuses keep their order after it.
      if (message.type === 'show') this.pending = this.pending.filter(p => p.type !== 'show');
      this.pending.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    if (!isFromWebview(raw)) {
      this.log.warn('Diagnosis: ignored a malformed message from the webview');
      return;
    }
    if (raw.type === 'ready') {
      this.ready = true;
      const queued = this.pending;
      this.pending = [];
      if (this.view && !queued.some(q => q.type === 'show')) queued.unshift({ type: 'show', view: this.view });
      for (const m of queued) void this.panel?.webview.postMessage(m);
      return;
    }
    if (raw.type === 'cspViolation') {
      this.log.warn(`Diagnosis webview blocked by its Content Security Policy: ${raw.directive} ${raw.blocked}`);
      this.cspViolations.push(`${raw.directive} ${raw.blocked}`);
      return;
    }
    this.onMessage?.(raw);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1000;

function isFromWebview(m: unknown): m is FromDiagnosisWebview {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  switch (r['type']) {
    case 'ready':
      return true;
    case 'diagnose':
      return typeof r['text'] === 'string';
    case 'copy':
      return typeof r['text'] === 'string' && (r['text'] as string).length < 10_000;
    case 'fix':
      return isIndex(r['finding']) && isIndex(r['fix']);
    case 'reproduce':
    case 'checkAccess':
    case 'leastPrivilege':
    case 'showTrace':
      return isIndex(r['finding']);
    case 'cspViolation':
      return typeof r['directive'] === 'string' && typeof r['blocked'] === 'string';
    default:
      return false;
  }
}
