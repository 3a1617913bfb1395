// The Scenarios view: every scenario with its state (not started, in progress, solved,
// over-privileged), the running one marked; selecting one opens its story. Start, Check, Hint,
// Show Solution and Stop are its inline and context actions (package.json menus).
import * as vscode from 'vscode';
import type { LabController } from '../labController';
import type { ScenarioStatus } from '../../host/scenarios';
import { tooltip } from '../views/markdown';
import { SCENARIO_OPEN_STORY } from '../commandIds';

export const VIEW_SCENARIOS = 'managedIdentityLab.scenarios';

const STATE_WORDS: Record<ScenarioStatus['state'], string> = {
  'not-started': 'not started',
  'in-progress': 'in progress',
  solved: 'solved',
  'over-privileged': 'works, but over-privileged',
};

const ICONS: Record<ScenarioStatus['state'], vscode.ThemeIcon> = {
  'not-started': new vscode.ThemeIcon('circle-large-outline'),
  'in-progress': new vscode.ThemeIcon('circle-large-filled', new vscode.ThemeColor('charts.yellow')),
  solved: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  'over-privileged': new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
};

export interface ScenarioNode {
  id: string;
}

export class ScenariosTreeProvider implements vscode.TreeDataProvider<ScenarioNode> {
  private readonly changed = new vscode.EventEmitter<ScenarioNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly controller: LabController) {
    controller.onDidChangeLab(() => this.refresh());
    controller.onDidStart(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** What the view shows, as data (the integration tests read it). */
  statuses(): ScenarioStatus[] {
    return this.controller.scenarios?.list() ?? [];
  }

  getChildren(node?: ScenarioNode): ScenarioNode[] {
    return node ? [] : this.statuses().map(s => ({ id: s.id }));
  }

  getTreeItem(node: ScenarioNode): vscode.TreeItem {
    const status = this.statuses().find(s => s.id === node.id);
    if (!status) return new vscode.TreeItem(node.id);
    const item = new vscode.TreeItem(status.title);
    item.id = `scenario:${status.id}`;
    item.description = `${status.active ? '▶ running · ' : ''}${STATE_WORDS[status.state]}`;
    item.iconPath = ICONS[status.state];
    item.contextValue = `scenario ${status.state}${status.active ? ' active' : ''}`;
    item.tooltip = tooltip(
      { bold: status.title },
      { text: ` (${status.id})` },
      { line: true },
      {
        text: `${STATE_WORDS[status.state]}${status.hintsUsed ? ` · ${status.hintsUsed} hint${status.hintsUsed === 1 ? '' : 's'} used` : ''}`,
      },
      ...(status.seed?.row ? [{ line: true } as const, { text: `Course material's troubleshooting row: ${status.seed.row}` }] : []),
    );
    item.command = { command: SCENARIO_OPEN_STORY, title: 'Open Story', arguments: [{ id: status.id }] };
    item.accessibilityInformation = { label: `${status.title}, ${STATE_WORDS[status.state]}${status.active ? ', running' : ''}` };
    return item;
  }
}
