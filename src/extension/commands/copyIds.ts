// "Copy Resource ID" and "Copy Principal ID": the ids people paste into az and the portal.
import * as vscode from 'vscode';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, requireText } from '../input/args';
import { resourceItems } from '../input/items';
import { listManagedIdentities } from '../../engine/readModels/overview/identities';
import type { CommandContext } from './context';
import { principalOf, scopeOf } from './resolve';

async function copy(ctx: CommandContext, what: string, text: string): Promise<CommandOutcome<string>> {
  await vscode.env.clipboard.writeText(text);
  ctx.feedback.log.info(`Copied ${what}: ${text}`);
  void vscode.window.setStatusBarMessage(`Copied ${what}`, 3000);
  return { ok: true, value: text, message: `Copied ${what}: ${text}` };
}

export async function copyResourceId(ctx: CommandContext, input: unknown): Promise<CommandOutcome<string> | undefined> {
  const lab = await ctx.lab();
  const parsed = classify<{ id: string }>(input);
  let id: string | undefined;
  if (parsed.from === 'args') id = requireText(parsed.args, 'id', 'the ARM id to copy');
  else if (parsed.from === 'node') id = scopeOf(parsed.node) ?? (parsed.node.kind === 'identity' ? parsed.node.resourceId : undefined);
  else {
    id = (
      await vscode.window.showQuickPick(
        resourceItems(lab, () => true),
        { title: 'Copy Resource ID', placeHolder: 'Which resource?' },
      )
    )?.value;
  }
  if (!id) return undefined;
  if (!lab.arm.exists(id)) throw new ArgumentError(`There is nothing at '${id}' in the lab.`);
  return await copy(ctx, 'resource id', id);
}

export async function copyPrincipalId(ctx: CommandContext, input: unknown): Promise<CommandOutcome<string> | undefined> {
  const lab = await ctx.lab();
  const parsed = classify<{ principalId: string }>(input);
  let id: string | undefined;
  if (parsed.from === 'args') id = requireText(parsed.args, 'principalId', 'the object id to copy');
  else if (parsed.from === 'node') id = principalOf(lab, parsed.node);
  else {
    const items = listManagedIdentities(lab).map(i => ({
      label: i.name,
      description: `${i.kind === 'SystemAssigned' ? 'system' : 'user'}-assigned`,
      detail: i.principalId,
      value: i.principalId,
    }));
    if (!items.length) throw new ArgumentError('The lab has no managed identity yet.');
    id = (await vscode.window.showQuickPick(items, { title: 'Copy Principal ID', placeHolder: 'Which identity?' }))?.value;
    if (!id) return undefined;
  }
  if (!id) throw new ArgumentError('That item has no principal (turn its identity on first).');
  return await copy(ctx, 'principal id', id);
}
