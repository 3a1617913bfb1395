// "Create User-Assigned Identity…" (a resource of its own) and "Attach / Detach User-Assigned
// Identity…" (attaching needs the linked .../assign/action on the identity, as in Azure).
import type { Lab } from '../../engine/lab/lab';
import { assignUserIdentities, removeUserIdentities } from '../../engine/operations/identities';
import { requireResource } from '../../engine/operations/resources';
import { idKey } from '../../engine/azure/resourceId';
import { attachUserAssignedTwin, detachUserAssignedTwin } from '../../az/twin';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, requireText } from '../input/args';
import { runFlow } from '../input/flow';
import { resourceItems } from '../input/items';
import { twin, type CommandContext, type Done } from './context';
import { createResource, type CreatedResource } from './createResource';
import { hostOf, userIdentityOf } from './resolve';
import { identityIds } from '../../engine/readModels/idWords';

export interface UserIdentityArgs {
  /** ARM id of the resource that uses the identity. */
  resourceId: string;
  /** ARM id of the user-assigned identity. */
  identityId: string;
}

export interface CreateUserIdentityArgs {
  resourceGroup: string;
  name: string;
  location?: string;
}

export async function createUserIdentity(ctx: CommandContext, input: unknown): Promise<CommandOutcome<CreatedResource> | undefined> {
  const parsed = classify<CreateUserIdentityArgs>(input);
  if (parsed.from === 'args') return createResource(ctx, { ...parsed.args, type: 'identity' });
  const lab = await ctx.lab();
  const answers: { group?: string; name?: string } = {
    ...(parsed.from === 'node' && parsed.node.kind === 'group' ? { group: parsed.node.name } : {}),
  };
  const fixedGroup = answers.group !== undefined;
  const title = 'Create User-Assigned Identity';
  const done = await runFlow([
    {
      applies: () => !fixedGroup,
      ask: async (input, at) => {
        const groups = lab.arm.groups.map(g => ({ label: g.name, description: g.location, value: g.name }));
        if (!groups.length) throw new ArgumentError('Create a resource group first.');
        answers.group = (await input.showQuickPick({ title, ...at, items: groups, placeholder: 'In which resource group?' })).value;
      },
    },
    {
      ask: async (input, at) => {
        answers.name = await input.showInputBox({
          title,
          ...at,
          value: answers.name ?? '',
          prompt: 'Name of the identity (3-128 letters, digits, hyphens and underscores)',
          placeholder: 'myAppIdentity',
          validate: v =>
            /^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/.test(v)
              ? lab.arm.resourcesIn(lab.defaultSubscriptionId, answers.group!).some(r => r.name.toLowerCase() === v.toLowerCase())
                ? `${answers.group} already has a resource named ${v}.`
                : undefined
              : '3-128 letters, digits, hyphens and underscores, starting with a letter or digit.',
        });
      },
    },
  ]);
  if (!done) return undefined;
  return createResource(ctx, { type: 'identity', resourceGroup: answers.group!, name: answers.name! });
}

interface Pair {
  resourceId: string;
  identityId: string;
}

async function askPair(lab: Lab, input: unknown, attaching: boolean): Promise<Pair | undefined> {
  const parsed = classify<UserIdentityArgs>(input);
  if (parsed.from === 'args') {
    return {
      resourceId: requireText(parsed.args, 'resourceId', 'the ARM id of the resource'),
      identityId: requireText(parsed.args, 'identityId', 'the ARM id of the user-assigned identity'),
    };
  }
  const known: Partial<Pair> = {};
  if (parsed.from === 'node') {
    const node = parsed.node;
    const identity = userIdentityOf(node);
    if (identity) known.identityId = identity;
    if (node.kind === 'resource' && lab.arm.resource(node.id)?.managedIdentity) known.identityId = node.id;
    else if (node.kind !== 'identity') known.resourceId = hostOf(lab, node);
  }
  const title = attaching ? 'Attach User-Assigned Identity' : 'Detach User-Assigned Identity';
  const done = await runFlow([
    {
      applies: () => !known.resourceId,
      ask: async (q, at) => {
        const items = resourceItems(
          lab,
          (r, info) =>
            (attaching ? info?.userAssigned === true && info.role === 'compute' : (r.identity?.userAssigned.length ?? 0) > 0) &&
            (!known.identityId || attaching || r.identity!.userAssigned.some(u => idKey(u.resourceId) === idKey(known.identityId!))),
        );
        if (!items.length) {
          throw new ArgumentError(
            attaching ? 'No resource here can use a user-assigned identity.' : 'No resource has a user-assigned identity attached.',
          );
        }
        known.resourceId = (
          await q.showQuickPick({
            title,
            ...at,
            items,
            placeholder: attaching ? 'Attach it to which resource?' : 'Detach it from which resource?',
          })
        ).value;
      },
    },
    {
      applies: () => !known.identityId,
      ask: async (q, at) => {
        const host = lab.arm.resource(known.resourceId!);
        const attached = new Set((host?.identity?.userAssigned ?? []).map(u => idKey(u.resourceId)));
        const items = attaching
          ? resourceItems(lab, (r, info) => info?.key === 'identity' && !attached.has(idKey(r.id)))
          : (host?.identity?.userAssigned ?? []).map(u => ({
              label: `$(person) ${u.resourceId.split('/').pop()}`,
              description: identityIds(u),
              value: u.resourceId,
            }));
        if (!items.length) {
          throw new ArgumentError(
            attaching
              ? 'There is no user-assigned identity to attach: create one first.'
              : `${host?.name ?? 'It'} has no user-assigned identity.`,
          );
        }
        known.identityId = (await q.showQuickPick({ title, ...at, items, placeholder: 'Which identity?' })).value;
      },
    },
  ]);
  return done ? { resourceId: known.resourceId!, identityId: known.identityId! } : undefined;
}

/** Asks which resource and identity (unless given), then applies `change` to that pair. */
async function changeAttachment(
  ctx: CommandContext,
  input: unknown,
  attaching: boolean,
  change: (lab: Lab, pair: Pair) => Done<Pair>,
): Promise<CommandOutcome<Pair> | undefined> {
  const lab = await ctx.lab();
  const pair = await askPair(lab, input, attaching);
  if (!pair) return undefined;
  return ctx.act(() => change(lab, pair));
}

export function attachUserIdentity(ctx: CommandContext, input: unknown): Promise<CommandOutcome<Pair> | undefined> {
  return changeAttachment(ctx, input, true, (lab, { resourceId, identityId }) => {
    const host = requireResource(lab, resourceId);
    const already = host.identity?.userAssigned.some(u => idKey(u.resourceId) === idKey(identityId)) ?? false;
    assignUserIdentities(lab, lab.learner, resourceId, [identityId]);
    const name = identityId.split('/').pop();
    return {
      value: { resourceId: host.id, identityId: lab.arm.resource(identityId)!.id },
      message: already
        ? `${name} was already attached to ${host.name}.`
        : `Attached ${name} to ${host.name}. Code there asks for it by client id (AZURE_CLIENT_ID).`,
      az: twin(() => attachUserAssignedTwin(host.id, [lab.arm.resource(identityId)!.id], host.kind)),
    };
  });
}

export function detachUserIdentity(ctx: CommandContext, input: unknown): Promise<CommandOutcome<Pair> | undefined> {
  return changeAttachment(ctx, input, false, (lab, { resourceId, identityId }) => {
    const host = requireResource(lab, resourceId);
    const attached = host.identity?.userAssigned.find(u => idKey(u.resourceId) === idKey(identityId));
    removeUserIdentities(lab, lab.learner, resourceId, [identityId]);
    return {
      value: { resourceId: host.id, identityId: attached?.resourceId ?? identityId },
      message: `Detached ${identityId.split('/').pop()} from ${host.name}; the identity itself and its role assignments live on.`,
      az: twin(() => detachUserAssignedTwin(host.id, [attached?.resourceId ?? identityId], host.kind)),
    };
  });
}
