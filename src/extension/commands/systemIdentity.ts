// "Enable / Disable System-Assigned Identity": turning it off deletes its principal and
// leaves its role assignments behind as "Identity not found", so that asks first.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import { disableSystemAssigned, enableSystemAssigned, type IdentityRemoval } from '../../engine/operations/identities';
import { requireResource } from '../../engine/operations/resources';
import { resourceTypeOf } from '../../engine/azure/resourceTypes';
import { assignmentOverview } from '../../engine/readModels/overview/identities';
import { disableSystemAssignedTwin, enableSystemAssignedTwin } from '../../az/twin';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, optionalBoolean, requireText } from '../input/args';
import { resourceItems } from '../input/items';
import { twin, type CommandContext } from './context';
import { hostOf } from './resolve';
import { identityIds, labelledId } from '../../engine/readModels/idWords';

export interface SystemIdentityArgs {
  /** ARM id of the resource. */
  resourceId: string;
  /** Disable only: do not ask. */
  skipConfirmation?: boolean;
}

async function target(lab: Lab, input: unknown, wantOn: boolean): Promise<{ id: string; skip: boolean } | undefined> {
  const parsed = classify<SystemIdentityArgs>(input);
  if (parsed.from === 'args') {
    return {
      id: requireText(parsed.args, 'resourceId', 'the ARM id of the resource'),
      skip: optionalBoolean(parsed.args, 'skipConfirmation') ?? false,
    };
  }
  const fromNode = parsed.from === 'node' ? hostOf(lab, parsed.node) : undefined;
  if (fromNode) return { id: fromNode, skip: false };
  const items = resourceItems(lab, (r, info) => info?.systemAssigned === true && (r.identity?.systemAssigned !== undefined) === wantOn);
  if (!items.length) {
    throw new ArgumentError(
      wantOn
        ? 'No resource has a system-assigned identity to turn off.'
        : 'Every resource that supports one already has a system-assigned identity (or there is none yet).',
    );
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `${wantOn ? 'Disable' : 'Enable'} System-Assigned Identity`,
    placeHolder: 'Which resource?',
    matchOnDescription: true,
  });
  return picked && { id: picked.value, skip: false };
}

export async function enableSystemIdentity(
  ctx: CommandContext,
  input: unknown,
): Promise<CommandOutcome<{ principalId: string; clientId: string }> | undefined> {
  const lab = await ctx.lab();
  const chosen = await target(lab, input, false);
  if (!chosen) return undefined;
  const id = chosen.id;
  return ctx.act(() => {
    const resource = requireResource(lab, id);
    const already = resource.identity?.systemAssigned !== undefined;
    const ids = enableSystemAssigned(lab, lab.learner, id);
    return {
      value: { principalId: ids.principalId, clientId: ids.clientId },
      message: already
        ? `${resource.name} already has its system-assigned identity (${identityIds(ids)}).`
        : `Turned on the system-assigned identity of ${resource.name}: ${identityIds(ids)}. Give it a role so a service lets it in.`,
      az: twin(() => enableSystemAssignedTwin(resource.id, resource.kind)),
    };
  });
}

export async function disableSystemIdentity(ctx: CommandContext, input: unknown): Promise<CommandOutcome<IdentityRemoval> | undefined> {
  const lab = await ctx.lab();
  const chosen = await target(lab, input, true);
  if (!chosen) return undefined;
  const { id, skip } = chosen;
  const host = requireResource(lab, id);
  if (!resourceTypeOf(host.type, host.kind)?.systemAssigned) {
    throw new ArgumentError(`A ${host.type} has no system-assigned identity to turn off.`);
  }
  const resource = lab.arm.resource(id)!;
  const system = resource.identity?.systemAssigned;
  if (system && !skip) {
    const assignments = lab.assignments.forPrincipal(system.principalId).map(a => assignmentOverview(lab, a.state));
    const detail = [
      `Its service principal ${system.principalId} is deleted from Microsoft Entra ID; turning it on again creates a new one with a new id.`,
      assignments.length
        ? `Its ${assignments.length} role assignment(s) stay behind as "Identity not found": ` +
          `${assignments.map(a => `${a.roleName} on ${a.scope.text}`).join('; ')}.`
        : 'It has no role assignments.',
    ].join('\n\n');
    const choice = await vscode.window.showWarningMessage(
      `Turn off the system-assigned identity of ${resource.name}?`,
      { modal: true, detail },
      'Turn Off',
    );
    if (choice !== 'Turn Off') return undefined;
  }
  return ctx.act(() => {
    const removal = disableSystemAssigned(lab, lab.learner, id);
    const orphaned = removal.orphanedAssignments.length;
    return {
      value: removal,
      message: removal.deletedPrincipal
        ? `Turned off the system-assigned identity of ${resource.name}; its service principal ` +
          `(${labelledId('principal', removal.deletedPrincipal.objectId)}) was deleted` +
          `${orphaned ? ` and ${orphaned} role assignment(s) are now "Identity not found"` : ''}.`
        : `${resource.name} had no system-assigned identity.`,
      az: twin(() => disableSystemAssignedTwin(resource.id, resource.kind)),
    };
  });
}
