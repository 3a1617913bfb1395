// "Create User-Assigned Identity…" (a resource of its own) and "Attach / Detach User-Assigned
// Identity…" (attaching needs the linked .../assign/action on the identity, as in Azure).
import type { Lab } from '../../engine/lab/lab';
import type { ReadonlyResource } from '../../engine/state/labState';
import { assignUserIdentities, removeUserIdentities } from '../../engine/operations/identities';
import { requireResource } from '../../engine/operations/resources';
import { idKey } from '../../engine/azure/resourceId';
import { attachUserAssignedTwin, detachUserAssignedTwin } from '../../az/twin';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, requireText } from '../input/args';
import { runFlow } from '../input/flow';
import { resourceItems } from '../input/items';
import { twin, type CommandContext } from './context';
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

/** Which resource(s) and identity(ies): attaching picks several at once on the side not yet known, and never offers a pair already attached. */
async function askPairs(lab: Lab, input: unknown, attaching: boolean): Promise<Pair[] | undefined> {
  const parsed = classify<UserIdentityArgs>(input);
  if (parsed.from === 'args') {
    return [
      {
        resourceId: requireText(parsed.args, 'resourceId', 'the ARM id of the resource'),
        identityId: requireText(parsed.args, 'identityId', 'the ARM id of the user-assigned identity'),
      },
    ];
  }
  const known: { resourceIds?: string[]; identityIds?: string[] } = {};
  if (parsed.from === 'node') {
    const node = parsed.node;
    const identity = userIdentityOf(node);
    if (identity) known.identityIds = [identity];
    if (node.kind === 'resource' && lab.arm.resource(node.id)?.managedIdentity) known.identityIds = [node.id];
    else if (node.kind !== 'identity') {
      const host = hostOf(lab, node);
      if (host) known.resourceIds = [host];
    }
  }
  const title = attaching ? 'Attach User-Assigned Identity' : 'Detach User-Assigned Identity';
  const done = await runFlow([
    {
      applies: () => !known.resourceIds,
      ask: async (q, at) => {
        const identity = known.identityIds?.[0];
        const items = resourceItems(lab, (r, info) =>
          attaching
            ? info?.userAssigned === true && info.role === 'compute' && !(identity && has(r, identity))
            : (r.identity?.userAssigned.length ?? 0) > 0 && (!identity || has(r, identity)),
        );
        if (!items.length) {
          throw new ArgumentError(
            attaching
              ? identity
                ? `Every resource that can use it already has ${identity.split('/').pop()}.`
                : 'No resource here can use a user-assigned identity.'
              : 'No resource has a user-assigned identity attached.',
          );
        }
        known.resourceIds =
          attaching && identity
            ? (await q.showQuickPickMany({ title, ...at, items, placeholder: 'Attach it to which resources? Tick one or several' })).map(
                i => i.value,
              )
            : [
                (
                  await q.showQuickPick({
                    title,
                    ...at,
                    items,
                    placeholder: attaching ? 'Attach it to which resource?' : 'Detach it from which resource?',
                  })
                ).value,
              ];
        if (!known.resourceIds.length) throw new ArgumentError('No resource was ticked: nothing attached.');
      },
    },
    {
      applies: () => !known.identityIds,
      ask: async (q, at) => {
        const host = lab.arm.resource(known.resourceIds![0]!);
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
              ? `There is no user-assigned identity left to attach to ${host?.name ?? 'it'}: create one first.`
              : `${host?.name ?? 'It'} has no user-assigned identity.`,
          );
        }
        known.identityIds = attaching
          ? (await q.showQuickPickMany({ title, ...at, items, placeholder: 'Which identities? Tick one or several' })).map(i => i.value)
          : [(await q.showQuickPick({ title, ...at, items, placeholder: 'Which identity?' })).value];
        if (!known.identityIds.length) throw new ArgumentError('No identity was ticked: nothing attached.');
      },
    },
  ]);
  if (!done) return undefined;
  return known.resourceIds!.flatMap(resourceId => known.identityIds!.map(identityId => ({ resourceId, identityId })));
}

export async function attachUserIdentity(
  ctx: CommandContext,
  input: unknown,
): Promise<CommandOutcome<Pair & { pairs: Pair[] }> | undefined> {
  const lab = await ctx.lab();
  const pairs = await askPairs(lab, input, true);
  if (!pairs?.length) return undefined;
  return ctx.act(() => {
    const hosts = [...new Set(pairs.map(p => idKey(p.resourceId)))].map(key => pairs.find(p => idKey(p.resourceId) === key)!.resourceId);
    const sentences: string[] = [];
    const twins: string[] = [];
    // All or nothing: a refusal on one resource leaves the others as they were.
    const done = lab.atomically(() =>
      hosts.flatMap(resourceId => {
        const host = requireResource(lab, resourceId);
        const wanted = pairs.filter(p => idKey(p.resourceId) === idKey(resourceId)).map(p => p.identityId);
        const fresh = wanted.filter(id => !has(host, id));
        assignUserIdentities(lab, lab.learner, resourceId, wanted);
        const names = wanted.map(id => id.split('/').pop()).join(', ');
        sentences.push(
          fresh.length
            ? `Attached ${names} to ${host.name}.`
            : `${names} ${wanted.length === 1 ? 'was' : 'were'} already attached to ${host.name}.`,
        );
        const line = twin(() =>
          attachUserAssignedTwin(
            host.id,
            wanted.map(id => lab.arm.resource(id)!.id),
            host.kind,
          ),
        );
        if (line) twins.push(line);
        return wanted.map(identityId => ({ resourceId: host.id, identityId: lab.arm.resource(identityId)!.id }));
      }),
    );
    return {
      value: { ...done[0]!, pairs: done },
      message: `${sentences.join(' ')} Code there asks for it by client id (AZURE_CLIENT_ID).`,
      az: twins.length ? twins.join('\n') : undefined,
    };
  });
}

/** The resource already has this user-assigned identity. */
const has = (r: ReadonlyResource, identityId: string): boolean =>
  r.identity?.userAssigned.some(u => idKey(u.resourceId) === idKey(identityId)) ?? false;

export async function detachUserIdentity(ctx: CommandContext, input: unknown): Promise<CommandOutcome<Pair> | undefined> {
  const lab = await ctx.lab();
  const pair = (await askPairs(lab, input, false))?.[0];
  if (!pair) return undefined;
  const { resourceId, identityId } = pair;
  return ctx.act(() => {
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
