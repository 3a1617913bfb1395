// "Filter Resources…" and "Clear Filter" on the Resources view: the text goes to the engine's
// filter rule (readModels/overview/resourceFilter.ts), which refuses what no filter can be.
import * as vscode from 'vscode';
import { MAX_FILTER_LENGTH } from '../../engine/readModels/overview/resourceFilter';
import type { Feedback, CommandOutcome } from '../feedback/outcome';
import { ArgumentError } from '../feedback/outcome';
import { classify } from '../input/args';
import type { FilterResult, ResourcesTreeProvider } from '../views/resourcesTree';
import { CLEAR_RESOURCE_FILTER, FILTER_RESOURCES } from '../commandIds';

async function filterResources(tree: ResourcesTreeProvider, input: unknown): Promise<CommandOutcome<FilterResult> | undefined> {
  const parsed = classify<{ text: unknown }>(typeof input === 'string' ? { text: input } : input);
  let text: unknown;
  if (parsed.from === 'args') {
    if (!('text' in parsed.args)) throw new ArgumentError("'text' is required: the words to find in resource names, types and groups.");
    text = parsed.args.text;
  } else {
    text = await vscode.window.showInputBox({
      title: 'Filter Resources',
      prompt: 'Words to find in resource names, types (e.g. vm, Key Vault) and resource groups; empty shows everything',
      value: tree.filterText ?? '',
      validateInput: value => (value.trim().length > MAX_FILTER_LENGTH ? `At most ${MAX_FILTER_LENGTH} characters.` : undefined),
    });
    if (text === undefined) return undefined;
  }
  const result = await tree.setFilter(text);
  const message = result.filter
    ? `Resources: ${result.shown} of ${result.total} match "${result.filter}".`
    : `Resources: filter cleared (${result.total} shown).`;
  return { ok: true, value: result, message };
}

async function clearResourceFilter(tree: ResourcesTreeProvider): Promise<CommandOutcome<FilterResult>> {
  const result = await tree.setFilter('');
  return { ok: true, value: result, message: `Resources: filter cleared (${result.total} shown).` };
}

export function registerResourceFilter(tree: ResourcesTreeProvider, feedback: Feedback): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(FILTER_RESOURCES, (input: unknown) =>
      filterResources(tree, input).catch(error => feedback.failed('Filter resources', error)),
    ),
    vscode.commands.registerCommand(CLEAR_RESOURCE_FILTER, () =>
      clearResourceFilter(tree).catch(error => feedback.failed('Clear filter', error)),
    ),
  ];
}
