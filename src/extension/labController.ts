// Owns the lab this window runs: starts it in the background (activation does not wait), and relays the
// engine's events to VS Code's: lab changes (debounced, so a burst redraws once) and traces.
import * as vscode from 'vscode';
import type { Lab } from '../engine/lab/lab';
import type { Trace } from '../engine/trace/model';
import { LabHost } from '../host/labHost';
import { labShell } from '../az/labShell';
import type { ScenarioService } from '../host/scenarios';

export type LabStatus = { state: 'starting' } | { state: 'running'; url: string; httpsUrl: string } | { state: 'failed'; message: string };

const REDRAW_DELAY_MS = 30;

export class LabController implements vscode.Disposable {
  private starting: Promise<LabHost> | undefined;
  private host: LabHost | undefined;
  private redrawTimer: NodeJS.Timeout | undefined;
  private currentStatus: LabStatus = { state: 'starting' };
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly changedNow = new vscode.EventEmitter<void>();
  private readonly traced = new vscode.EventEmitter<Trace>();
  private readonly statusChanged = new vscode.EventEmitter<LabStatus>();
  private readonly started = new vscode.EventEmitter<Lab>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.changedNow, this.traced, this.statusChanged, this.started];
  /** The lab's state changed (resources, identities, assignments…); fired at most every few milliseconds, for redraws. */
  readonly onDidChangeLab = this.changed.event;
  /** The same, at once and for every change: for caches that must never be stale. */
  readonly onWillRedraw = this.changedNow.event;
  readonly onDidAddTrace = this.traced.event;
  readonly onDidChangeStatus = this.statusChanged.event;
  /** The lab is up (fires once per start). */
  readonly onDidStart = this.started.event;

  constructor(
    private readonly stateDir: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly port: number | undefined,
  ) {}

  /** The running lab, starting it on first use. */
  ready(): Promise<LabHost> {
    this.starting ??= this.start();
    return this.starting;
  }

  get current(): Lab | undefined {
    return this.host?.lab;
  }

  /** The running host, if the lab has started. */
  get running(): LabHost | undefined {
    return this.host;
  }

  /** The running lab's scenario service (once the lab is up). */
  get scenarios(): ScenarioService | undefined {
    return this.host?.scenarios;
  }

  get status(): LabStatus {
    return this.currentStatus;
  }

  get stateDirectory(): string {
    return this.stateDir;
  }

  private setStatus(status: LabStatus): void {
    this.currentStatus = status;
    this.statusChanged.fire(status);
  }

  private scheduleRedraw(): void {
    if (this.redrawTimer) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      this.changed.fire();
    }, REDRAW_DELAY_MS);
  }

  private async start(): Promise<LabHost> {
    const started = Date.now();
    this.setStatus({ state: 'starting' });
    try {
      const host = await LabHost.start({
        stateDir: this.stateDir,
        ...(this.port ? { port: this.port } : {}),
        owner: 'VS Code',
        // With the lab terminal's language, the host serves scenarios (the view, the walkthrough, `milab scenario`).
        shell: (lab, line, variables, commands) => labShell(lab, line, variables, commands),
        onSaveError: (error, delivered) => {
          this.log.error(`Saving the lab failed (the next change retries): ${error.message}`);
          // A command that waited for its save reports the failure itself; anything else (a setting, an HTTP client's change) is told here.
          if (!delivered) {
            void vscode.window.showErrorMessage(`The lab could not save its latest change to ${this.stateDir}: ${error.message}`);
          }
        },
      });
      this.host = host;
      const a = host.lab.onDidChange(() => {
        this.changedNow.fire();
        this.scheduleRedraw();
      });
      const b = host.lab.traces.onDidAdd(trace => this.traced.fire(trace));
      this.disposables.push({ dispose: () => (a.dispose(), b.dispose()) });
      this.log.info(`Lab endpoints listening on ${host.server.url} (state in ${this.stateDir}, started in ${Date.now() - started} ms)`);
      this.setStatus({ state: 'running', url: host.server.url, httpsUrl: host.server.httpsUrl });
      this.started.fire(host.lab);
      this.changed.fire();
      return host;
    } catch (error) {
      this.starting = undefined;
      const message = (error as Error).message;
      this.log.error(`The lab could not start: ${message}`);
      this.setStatus({ state: 'failed', message });
      throw error;
    }
  }

  async dispose(): Promise<void> {
    clearTimeout(this.redrawTimer);
    for (const d of this.disposables) d.dispose();
    await this.host?.close();
  }
}
