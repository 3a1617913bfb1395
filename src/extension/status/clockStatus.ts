// The status-bar item of the lab clock: real time, ahead of it, or paused. Clicking it opens the
// clock's menu (pause, advance, back to real time).
import * as vscode from 'vscode';
import type { LabController } from '../labController';
import { CLOCK_MENU } from '../commandIds';
import { clockView } from '../../engine/readModels/clock';

const ICONS = { real: '$(clock)', offset: '$(history)', paused: '$(debug-pause)' } as const;

export class ClockStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('managedIdentityLab.clock', vscode.StatusBarAlignment.Left, 9);
  private readonly subscriptions: vscode.Disposable[];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly controller: LabController) {
    this.item.name = 'Managed Identity Lab Clock';
    this.item.command = CLOCK_MENU;
    this.subscriptions = [controller.onDidChangeLab(() => this.render()), controller.onDidStart(() => this.render())];
    // The tooltip shows the lab time: keep it current while the clock runs.
    this.timer = setInterval(() => this.render(), 30_000);
    this.render();
  }

  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
  }

  private render(): void {
    const lab = this.controller.current;
    if (!lab) return void this.item.hide();
    const view = clockView(lab.clock);
    this.item.text = `${ICONS[view.mode]} ${view.short}`;
    this.item.tooltip = `Lab time: ${view.summary}. Tokens, caches and RBAC propagation follow it. Click to pause, advance or return to real time.`;
    this.item.backgroundColor = view.mode === 'real' ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
