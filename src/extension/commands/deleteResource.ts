// "Delete Resource…" (and "Delete User-Assigned Identity…"): asks first, saying what happens to
// identities and role assignments (previewDeletion), then deletes as ARM does. Undoable.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import {
  deleteResource as armDeleteResource,
  deleteResourceGroup,
  previewDeletion,
  requireGroup,
  requireResource,
} from '../../engine/operations/resources';
import { parseResourceId, tryParseResourceId } from '../../engine/azure/resourceId';
import { resourceTypeOf } from '../../engine/azure/resourceTypes';
import { describeDeletion } from '../../engine/readModels/overview/deletion';
import type { DeletionReport } from '../../engine/operations/resources';
import { deleteResourceGroupTwin, deleteResourceTwin } from '../../az/twin';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, optionalBoolean, requireText } from '../input/args';
import { resourceItems, type ValueItem } from '../input/items';
import { twin, type CommandContext } from './context';

export interface DeleteResourceArgs {
  /** ARM id of a resource or a resource group. */
  id: string;
  /** For scripts and tests: do not ask. */
  skipConfirmation?: boolean;
}

function nodeTarget(node: ReturnType<typeof classify>): string | undefined {
  if (node.from !== 'node') return undefined;
  const n = node.node;
  if (n.kind === 'resource') return n.id;
  if (n.kind === 'group') return n.id;
  if (n.kind === 'identity' && n.identityKind === 'UserAssigned') return n.resourceId;
  return undefined;
}

async function pickTarget(lab: Lab, onlyIdentities: boolean): Promise<string | undefined> {
  const items: Array<ValueItem<string>> = resourceItems(lab, (_r, info) => !onlyIdentities || info?.key === 'identity');
  if (!onlyIdentities) {
    items.push(
      ...lab.arm.groups.map(g => ({
        label: `$(folder-library) ${g.name}`,
        description: 'resource group, with everything in it',
        value: `/subscriptions/${g.subscriptionId}/resourceGroups/${g.name}`,
      })),
    );
  }
  if (!items.length) throw new ArgumentError(onlyIdentities ? 'The lab has no user-assigned identity.' : 'The lab has nothing to delete.');
  const picked = await vscode.window.showQuickPick(items, {
    title: onlyIdentities ? 'Delete User-Assigned Identity' : 'Delete Resource',
    placeHolder: 'What should be deleted?',
    matchOnDescription: true,
  });
  return picked?.value;
}

function outcomeMessage(lab: Lab, name: string, report: DeletionReport): string {
  const parts = [`Deleted ${name}.`];
  if (report.principals.length) {
    parts.push(
      `${report.principals.length === 1 ? 'Its identity was' : `${report.principals.length} identities were`} deleted from Microsoft Entra ID.`,
    );
  }
  if (report.orphanedAssignments.length) {
    parts.push(`${report.orphanedAssignments.length} role assignment(s) stay behind as "Identity not found".`);
  }
  if (report.danglingReferences.length) parts.push(`${report.danglingReferences.length} resource(s) still point at the deleted identity.`);
  parts.push(lab.undoLabels.length ? 'Run "Undo" to bring it back.' : '');
  return parts.filter(Boolean).join(' ');
}

async function remove(ctx: CommandContext, input: unknown, onlyIdentities: boolean): Promise<CommandOutcome<DeletionReport> | undefined> {
  const lab = await ctx.lab();
  let id: string | undefined;
  let skip = false;
  const request = classify<DeleteResourceArgs>(input);
  if (request.from === 'args') {
    id = requireText(request.args, 'id', 'the ARM id of the resource or resource group to delete');
    skip = optionalBoolean(request.args, 'skipConfirmation') ?? false;
  } else id = nodeTarget(request) ?? (await pickTarget(lab, onlyIdentities));
  if (!id) return undefined;
  const parsedId = tryParseResourceId(id);
  if (!parsedId || (parsedId.kind !== 'resource' && parsedId.kind !== 'resourceGroup')) {
    throw new ArgumentError(`'${id}' is not the id of a resource or a resource group.`);
  }
  if (parsedId.kind === 'resourceGroup') requireGroup(lab, parsedId.subscriptionId!, parsedId.resourceGroup!);
  else {
    const resource = requireResource(lab, id);
    if (onlyIdentities && resourceTypeOf(resource.type)?.key !== 'identity') {
      throw new ArgumentError(`${resource.name} is not a user-assigned identity.`);
    }
  }
  const target = id;
  const summary = describeDeletion(lab, target, previewDeletion(lab, target));
  if (!skip) {
    const choice = await vscode.window.showWarningMessage(
      summary.question,
      { modal: true, detail: summary.consequences.join('\n\n') },
      'Delete',
    );
    if (choice !== 'Delete') return undefined;
  }
  const parsed = parseResourceId(target);
  const resource = lab.arm.resource(target);
  const az =
    parsed.kind === 'resourceGroup'
      ? deleteResourceGroupTwin(parsed.resourceGroup!)
      : twin(() => deleteResourceTwin(target, resource?.kind));
  const name = parsed.kind === 'resourceGroup' ? `resource group ${parsed.resourceGroup}` : parsed.names.join('/');
  return ctx.act(() => {
    const report =
      parsed.kind === 'resourceGroup'
        ? deleteResourceGroup(lab, lab.learner, parsed.subscriptionId, parsed.resourceGroup!)
        : armDeleteResource(lab, lab.learner, target);
    return { value: report, message: outcomeMessage(lab, name, report), az };
  });
}

export const deleteResource = (ctx: CommandContext, input: unknown) => remove(ctx, input, false);
export const deleteUserIdentity = (ctx: CommandContext, input: unknown) => remove(ctx, input, true);
