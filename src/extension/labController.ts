// Owns the lab this window runs: starts it lazily (activation stays light), and relays the
// engine's events to VS Code's.
import * as vscode from 'vscode';
import type { Lab } from '../engine/lab';
import type { Trace } from '../engine/trace/model';
import { LabHost } from '../host/labHost';

export class LabController implements vscode.Disposable {
  private starting: Promise<LabHost> | undefined;
  private host: LabHost | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly traced = new vscode.EventEmitter<Trace>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.traced];
  readonly onDidChangeLab = this.changed.event;
  readonly onDidAddTrace = this.traced.event;

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

  private async start(): Promise<LabHost> {
    const started = Date.now();
    try {
      const host = await LabHost.start({ stateDir: this.stateDir, ...(this.port ? { port: this.port } : {}) });
      this.host = host;
      const a = host.lab.onDidChange(() => this.changed.fire());
      const b = host.lab.traces.onDidAdd(trace => this.traced.fire(trace));
      this.disposables.push({ dispose: () => (a.dispose(), b.dispose()) });
      this.log.info(`Lab endpoints listening on ${host.server.url} (state in ${this.stateDir}, started in ${Date.now() - started} ms)`);
      this.changed.fire();
      return host;
    } catch (error) {
      this.starting = undefined;
      this.log.error(`The lab could not start: ${(error as Error).message}`);
      throw error;
    }
  }

  async dispose(): Promise<void> {
    for (const d of this.disposables) d.dispose();
    await this.host?.close();
  }
}
