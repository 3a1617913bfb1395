// The Scenarios view in a real VS Code, read as the person sees it (each row's label,
// description, context value and tooltip, and which of the view's actions its menus offer):
// every scenario listed with its state; Start from the view sets the learner's lab aside;
// Check says which goal fails; a wrong fix (Reader) is still not solved; a hint; the solution
// solves it; Stop brings the learner's own lab back exactly as it was.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateLab, EXTENSION_ID, ok, resetLab, waitFor } from './helpers';
import type { LabExtensionApi } from '../../src/extension/api';
import type { ScenarioNode } from '../../src/extension/scenarios/scenariosTree';
import type { ResourceNode } from '../../src/extension/views/nodes';
import type { ScenarioCheck } from '../../src/engine/scenarios/types';
import type { HintReport } from '../../src/host/scenarios';
import type { Lab } from '../../src/engine/lab/lab';
import type { RoleAssignmentState } from '../../src/engine/state/labState';
import { SCENARIOS } from '../../src/engine/scenarios';
import { SCENARIO_CHECK, SCENARIO_HINT, SCENARIO_SHOW_SOLUTION, SCENARIO_START, SCENARIO_STOP } from '../../src/extension/commandIds';

interface Row {
  node: ScenarioNode;
  label: string;
  description: string;
  contextValue: string;
  tooltip: string;
  /** The view's item actions its menus offer on this row (package.json's `when` clauses, as VS Code evaluates them). */
  actions: string[];
}

type MenuEntry = { command: string; when?: string };

/** Evaluates the `when` clauses the Scenarios view's item menus use: `view == …`, `viewItem =~ /…/` and their `!( … )`. */
function offered(entry: MenuEntry, contextValue: string): boolean {
  return (entry.when ?? '').split('&&').every(raw => {
    const clause = raw.trim();
    const view = /^view == (\S+)$/.exec(clause);
    if (view) return view[1] === 'managedIdentityLab.scenarios';
    const negated = /^!\(viewItem =~ \/(.+)\/\)$/.exec(clause);
    if (negated) return !new RegExp(negated[1]!).test(contextValue);
    const matches = /^viewItem =~ \/(.+)\/$/.exec(clause);
    if (matches) return new RegExp(matches[1]!).test(contextValue);
    throw new Error(`a when clause this test does not read: ${clause}`);
  });
}

function itemActions(contextValue: string): string[] {
  const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus['view/item/context'] as MenuEntry[];
  const mine = menus.filter(m => (m.when ?? '').includes('view == managedIdentityLab.scenarios'));
  return [...new Set(mine.filter(m => offered(m, contextValue)).map(m => m.command.replace('managedIdentityLab.', '')))].sort();
}

/** A tooltip's Markdown as the hover shows it: escapes and non-breaking spaces read as the characters they are. */
const asShown = (markdown: string): string =>
  markdown
    .replace(/&nbsp;/g, ' ')
    .replace(/(?<!\\)\*\*/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');

async function rows(api: LabExtensionApi): Promise<Row[]> {
  const tree = api.scenariosTree;
  return (await tree.getChildren()).map(node => {
    const item = tree.getTreeItem(node);
    const contextValue = String(item.contextValue ?? '');
    return {
      node,
      label: String(item.label),
      description: String(item.description ?? ''),
      contextValue,
      tooltip: item.tooltip instanceof vscode.MarkdownString ? asShown(item.tooltip.value) : String(item.tooltip ?? ''),
      actions: itemActions(contextValue),
    };
  });
}

async function row(api: LabExtensionApi, id: string): Promise<Row> {
  const found = (await rows(api)).find(r => r.node.id === id);
  assert.ok(found, `the Scenarios view lists ${id}`);
  return found;
}

/** Every resource name the Resources view shows, walking subscriptions → groups → resources. */
async function resourceNames(api: LabExtensionApi): Promise<string[]> {
  const tree = api.resourcesTree;
  const names: string[] = [];
  const walk = async (node: ResourceNode | undefined, depth: number): Promise<void> => {
    for (const child of await tree.getChildren(node)) {
      if (child.kind === 'resource') names.push(String(tree.getTreeItem(child).label));
      if (depth < 3 && (child.kind === 'subscription' || child.kind === 'group' || child.kind === 'resource')) await walk(child, depth + 1);
    }
  };
  await walk(undefined, 0);
  return names.sort();
}

/** The learner's lab as saved, without the scenario bookkeeping (progress is meant to change). */
const ownLab = (lab: Lab): string => {
  const { scenarios: _progress, ...rest } = lab.toState();
  return JSON.stringify(rest);
};

const lastShown = (api: LabExtensionApi) => api.shownMessages.at(-1);

describe('scenarios: the Scenarios view, from Start to Stop', () => {
  let api: LabExtensionApi;
  let lab: Lab;
  let before403: string;
  let ownResources: string[];
  let wrongFix: string;

  before(async () => {
    lab = await resetLab();
    api = await activateLab();
    // Something of the learner's own, so that "back as it was" is about their lab, not the sample's.
    await ok('createUserIdentity', { resourceGroup: 'rg-lab', name: 'id-mine' });
    ownResources = await resourceNames(api);
    assert.ok(ownResources.includes('id-mine') && ownResources.includes('kv-lab'), ownResources.join(', '));
    before403 = ownLab(lab);
  });

  it('lists every scenario with its title, "not started", and Start offered', async () => {
    const listed = await rows(api);
    assert.deepEqual(
      listed.map(r => r.node.id),
      SCENARIOS.map(s => s.id),
    );
    assert.ok(listed.length >= 20, `${listed.length} scenarios`);
    // Progress outlives a reset (by design): a scenario an earlier suite in this window started stays "in progress".
    const touched = new Set(Object.keys(lab.scenarios.progress));
    assert.ok(listed.length - touched.size >= 18, `${touched.size} scenarios already touched: ${[...touched].join(', ')}`);
    for (const [i, r] of listed.entries()) {
      assert.equal(r.label, SCENARIOS[i]!.title);
      if (touched.has(r.node.id)) {
        assert.equal(r.description, 'in progress', `${r.label}: started earlier, not running now`);
        continue;
      }
      assert.equal(r.description, 'not started', r.label);
      assert.equal(r.contextValue, 'scenario not-started');
      assert.ok(r.tooltip.startsWith(`${SCENARIOS[i]!.title} (${SCENARIOS[i]!.id})\n\nnot started`), r.tooltip);
      assert.deepEqual(r.actions, ['scenarioOpenStory', 'scenarioStart'], `${r.label}: only Start and the story before it runs`);
    }
    const forbidden = listed.find(r => r.node.id === 'forbidden-403')!;
    assert.match(
      forbidden.tooltip,
      /^A VM reads a secret and gets 403 \(forbidden-403\)\n\n(not started|in progress)\n\nCourse material's troubleshooting row: Forbidden \(403\)$/,
    );
  });

  it('Start from the view: the row says running, in progress; the learner’s lab is set aside for the scenario’s', async () => {
    const target = await row(api, 'forbidden-403');
    // A view item's action receives the item's element, as VS Code passes it.
    const started = await vscode.commands.executeCommand<{ id: string }>(SCENARIO_START, target.node);
    assert.deepEqual(started, { id: 'forbidden-403' });
    const now = await row(api, 'forbidden-403');
    assert.equal(now.description, '▶ running · in progress');
    assert.equal(now.contextValue, 'scenario in-progress active');
    assert.deepEqual(now.actions, [
      'scenarioCheck',
      'scenarioHint',
      'scenarioOpenStory',
      'scenarioShowSolution',
      'scenarioStart',
      'scenarioStop',
    ]);
    assert.match(lastShown(api)?.text ?? '', /Started forbidden-403: .*Your own lab is set aside until you stop the scenario\./);
    const scenarioResources = await resourceNames(api);
    assert.ok(scenarioResources.includes('kv-web') && scenarioResources.includes('vm-web'), scenarioResources.join(', '));
    assert.ok(!scenarioResources.includes('id-mine') && !scenarioResources.includes('kv-lab'), 'the learner’s own resources are set aside');
  });

  it('Check before any fix: not yet, and the message names the goal that fails and why', async () => {
    const check = await vscode.commands.executeCommand<ScenarioCheck>(SCENARIO_CHECK);
    assert.equal(check.outcome, 'not-yet');
    const failing = check.goals.find(g => !g.met);
    assert.ok(failing, JSON.stringify(check.goals));
    const shown = lastShown(api);
    assert.equal(shown?.severity, 'warning');
    assert.equal(shown?.text, check.message);
    assert.ok(shown.text.startsWith(`Not yet: ${failing.text}`), shown.text);
    assert.match(shown.text, /403 ForbiddenByRbac/);
    const now = await row(api, 'forbidden-403');
    assert.equal(now.description, '▶ running · in progress');
    // The workload's run is drawn in Token Flow: its last request, Key Vault's 403, as the scenario's vm-web
    // (not a 403 an earlier suite left on screen from the learner's own vm-web).
    const scenarioVm = lab.arm.resources.find(r => r.name === 'vm-web')!.id;
    const drawn = await waitFor(
      () => {
        const traceId = api.tokenFlow.lastRender?.traceId;
        const trace = traceId ? lab.traces.byId(traceId) : undefined;
        return trace?.hostResourceId === scenarioVm ? trace : undefined;
      },
      15_000,
      'the check’s run drawn in Token Flow',
    );
    assert.equal(drawn.status, 403);
    assert.ok(
      drawn.participants.some(p => p.kind === 'keyvault'),
      'Key Vault refused it',
    );
  });

  it('a wrong fix, Reader on the vault: still not solved, and the message says Reader has no data actions', async () => {
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const vault = lab.arm.resources.find(r => r.name === 'kv-web')!;
    const reader = await ok<RoleAssignmentState>('assignRole', {
      principalId: vm.identity!.systemAssigned!.principalId,
      role: 'Reader',
      scope: vault.id,
    });
    wrongFix = `${reader.value.scope}/providers/Microsoft.Authorization/roleAssignments/${reader.value.name}`;
    const check = await vscode.commands.executeCommand<ScenarioCheck>(SCENARIO_CHECK);
    assert.equal(check.outcome, 'not-yet');
    assert.match(lastShown(api)?.text ?? '', /^Not yet: .*403 ForbiddenByRbac.*Reader .*is a data action, and Reader has no dataActions/);
    const now = await row(api, 'forbidden-403');
    assert.equal(now.description, '▶ running · in progress');
    assert.equal(now.contextValue, 'scenario in-progress active');
  });

  it('Hint: the first hint opens as markdown, and the row’s tooltip counts it', async () => {
    const hint = await vscode.commands.executeCommand<HintReport>(SCENARIO_HINT);
    assert.equal(hint.number, 1);
    assert.equal(hint.text, SCENARIOS.find(s => s.id === 'forbidden-403')!.hints[0]);
    const opened = vscode.workspace.textDocuments.find(d => d.getText().startsWith(`# Hint 1 of ${hint.of}`));
    assert.ok(opened, 'the hint is open as a markdown document');
    assert.equal(opened.languageId, 'markdown');
    assert.ok(opened.getText().includes(hint.text));
    assert.match((await row(api, 'forbidden-403')).tooltip, /in progress · 1 hint used/);
  });

  it('Show Solution applies the reference solution: the row says solved (and still running)', async () => {
    // The wrong fix goes first, as a learner would take it back: left in place, Reader is more than needed.
    await ok('removeRoleAssignment', { assignment: wrongFix });
    const check = await vscode.commands.executeCommand<ScenarioCheck>(SCENARIO_SHOW_SOLUTION);
    assert.equal(check.outcome, 'solved');
    const now = await row(api, 'forbidden-403');
    assert.equal(now.description, '▶ running · solved');
    assert.equal(now.contextValue, 'scenario solved active');
    assert.match(now.tooltip, /solved · 1 hint used/);
    const solution = vscode.workspace.textDocuments.find(d => d.getText().startsWith('# The reference solution'));
    assert.ok(solution?.getText().includes('Key Vault Secrets User'), 'the solution’s az lines are shown');
  });

  it('Stop: the row says solved, not running; the learner’s own lab is back exactly as it was', async () => {
    const stopped = await vscode.commands.executeCommand<{ stopped: string | null }>(SCENARIO_STOP);
    assert.deepEqual(stopped, { stopped: 'forbidden-403' });
    const now = await row(api, 'forbidden-403');
    assert.equal(now.description, 'solved');
    assert.equal(now.contextValue, 'scenario solved');
    assert.deepEqual(now.actions, ['scenarioOpenStory', 'scenarioStart']);
    assert.match(lastShown(api)?.text ?? '', /Stopped forbidden-403: your own lab is back as you left it\./);
    assert.deepEqual(await resourceNames(api), ownResources);
    assert.equal(ownLab(lab), before403, 'the learner’s lab, compared as saved');
    for (const other of (await rows(api)).filter(r => r.node.id !== 'forbidden-403')) assert.equal(other.description, 'not started');
  });
});
