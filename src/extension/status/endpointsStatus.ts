// The status-bar item: whether the lab's endpoints are up, and where. Clicking it lists the
// URLs (and copies the environment that runs an app as a resource).
import * as vscode from 'vscode';
import type { LabController, LabStatus } from '../labController';
import { SHOW_ENDPOINTS, SHOW_LOG } from '../commandIds';

export class EndpointsStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('managedIdentityLab.endpoints', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(controller: LabController) {
    this.item.name = 'Managed Identity Lab Endpoints';
    this.subscription = controller.onDidChangeStatus(status => this.render(status));
    this.render(controller.status);
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
  }

  private render(status: LabStatus): void {
    this.item.backgroundColor = undefined;
    switch (status.state) {
      case 'starting':
        this.item.text = '$(loading~spin) Lab starting';
        this.item.tooltip = 'Managed Identity Lab: starting its endpoints…';
        this.item.command = SHOW_LOG;
        return;
      case 'running': {
        const where = status.url.replace(/^http:\/\//, '');
        this.item.text = `$(broadcast) Lab ${where}`;
        this.item.tooltip =
          `Managed Identity Lab endpoints are up on ${status.url} (IMDS, identity endpoint) and ${status.httpsUrl} (Entra ID, ARM, Key Vault, Storage). ` +
          "Click for the URLs and an app's environment.";
        this.item.command = SHOW_ENDPOINTS;
        return;
      }
      case 'failed':
        this.item.text = '$(error) Lab stopped';
        this.item.tooltip = `Managed Identity Lab could not start: ${status.message}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        this.item.command = SHOW_LOG;
        return;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
