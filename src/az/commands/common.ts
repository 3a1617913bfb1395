// What many az commands share: their common arguments, finding the resource they name, and
// the `--identities`/`--scope`/`--role` arguments of the identity commands.
import type { Lab } from '../../engine/lab/lab';
import type { ReadonlyResource } from '../../engine/state/labState';
import { authorize } from '../../engine/lab/authorization';
import { readableResources } from '../../engine/lab/visibility';
import { LabError } from '../../engine/base/errors';
import { deleteResource, requireGroup, requireResource } from '../../engine/operations/resources';
import { parseResourceId, resourceId } from '../../engine/azure/resourceId';
import { resourceTypeByKey } from '../../engine/azure/resourceTypes';
import { isGuid } from '../../engine/base/ids';
import type { CommandContext, OptionSpec } from '../cli/spec';
import { AzCliError, AzServiceError } from '../cli/errors';

export const RESOURCE_GROUP: OptionSpec = {
  dest: 'resource_group_name',
  names: ['--resource-group', '-g'],
  required: true,
  help: 'Name of resource group. You can configure the default group using `az configure --defaults group=<name>`.',
};
export const OPTIONAL_RESOURCE_GROUP: OptionSpec = { ...RESOURCE_GROUP, required: false };
export const LOCATION: OptionSpec = {
  dest: 'location',
  names: ['--location', '-l'],
  help: 'Location. Values from: `az account list-locations`. You can configure the default location using `az configure --defaults location=<location>`.',
};
export const TAGS: OptionSpec = {
  dest: 'tags',
  names: ['--tags'],
  kind: 'list',
  optionalValues: true,
  freeText: true,
  help: 'Space-separated tags: key[=value] [key[=value] ...]. Use "" to clear existing tags.',
};
export const NO_WAIT: OptionSpec = {
  dest: 'no_wait',
  names: ['--no-wait'],
  kind: 'flag',
  help: 'Do not wait for the long-running operation to finish.',
};
export const YES: OptionSpec = { dest: 'yes', names: ['--yes', '-y'], kind: 'flag', help: 'Do not prompt for confirmation.' };
export const IDS: OptionSpec = {
  dest: 'ids',
  names: ['--ids'],
  kind: 'list',
  group: 'Resource Id Arguments',
  help: "One or more resource IDs (space-delimited). It should be a complete resource ID containing all information of 'Resource Id' arguments. You should provide either --ids or other 'Resource Id' arguments.",
};

export const nameOption = (help: string, required = true, extra: readonly string[] = []): OptionSpec => ({
  dest: 'name',
  names: ['--name', '-n', ...extra],
  required,
  help,
});

/** `--tags a=b c` as az reads it: a value-less tag is an empty string; `""` clears. */
export function parseTags(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values) return undefined;
  const tags: Record<string, string> = {};
  for (const item of values) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    tags[eq === -1 ? item : item.slice(0, eq)] = eq === -1 ? '' : item.slice(eq + 1);
  }
  return tags;
}

/** knack's prompt in a session without a terminal to ask on (knack/invocation.py). */
export function requireConfirmation(yes: boolean): void {
  if (!yes) throw new AzCliError('Unable to prompt for confirmation as no tty available. Use --yes.');
}

/** The id of a resource named by type key, group and name, with the group's own casing. */
export function idOf(ctx: CommandContext, typeKey: string, group: string, name: string): string {
  const info = resourceTypeByKey(typeKey)!;
  const existing = ctx.lab.arm.group(ctx.subscriptionId, group);
  return resourceId(ctx.subscriptionId, existing?.name ?? group, info.armType, name);
}

/** GET on a resource: ARM's 404s (group, then resource) and its 403 for readers without access. */
export function getResource(ctx: CommandContext, typeKey: string, group: string, name: string): ReadonlyResource {
  requireGroup(ctx.lab, ctx.subscriptionId, group);
  const resource = requireResource(ctx.lab, idOf(ctx, typeKey, group, name));
  authorize(ctx.lab, ctx.caller, `${resource.type}/read`, resource.id);
  return resource;
}

/** Resources of a type the caller may read, in a group or the whole subscription (the one list rule: engine/lab/visibility.ts). */
export function listResources(ctx: CommandContext, typeKey: string, group: string | undefined): ReadonlyResource[] {
  if (group !== undefined) requireGroup(ctx.lab, ctx.subscriptionId, group);
  return readableResources(ctx.lab, ctx.caller, {
    subscriptionId: ctx.subscriptionId,
    typeKey,
    ...(group !== undefined ? { resourceGroup: group } : {}),
  });
}

/** A resource found by name anywhere in the subscription (as `az keyvault show -n` does without -g). */
export function findByName(ctx: CommandContext, typeKey: string, name: string): ReadonlyResource | undefined {
  const info = resourceTypeByKey(typeKey)!;
  return ctx.lab.arm.resources.find(
    r => r.type.toLowerCase() === info.armType.toLowerCase() && r.name.toLowerCase() === name.toLowerCase(),
  );
}

/** The `[system]` marker az uses for a system-assigned identity in `--identities`. */
export const SYSTEM_IDENTITY = '[system]';

/** azure-cli's _get_resource_id: a name becomes a user-assigned identity id in the command's group. */
export function identityIdFor(ctx: CommandContext, group: string, nameOrId: string): string {
  if (nameOrId.startsWith('/')) return nameOrId;
  return resourceId(
    ctx.subscriptionId,
    ctx.lab.arm.group(ctx.subscriptionId, group)?.name ?? group,
    'Microsoft.ManagedIdentity/userAssignedIdentities',
    nameOrId,
  );
}

/** Where a role assignment would go, checked the way `az role assignment create` and ARM check it. */
export function checkScopeSyntax(scope: string): void {
  if (!scope.toLowerCase().startsWith('/subscriptions/')) return;
  const subscription = scope.split('/')[2] ?? '';
  if (subscription && !isGuid(subscription)) {
    throw new AzServiceError(
      'InvalidSubscriptionId',
      `The provided subscription identifier '${subscription}' is malformed or invalid.`,
      400,
    );
  }
  try {
    parseResourceId(scope);
    if (scope.endsWith('/')) throw new Error('trailing slash');
  } catch {
    // azure-cli's _build_role_scope, after azure.mgmt.core.tools.is_valid_resource_id.
    throw new AzCliError('Invalid scope. Please use --help to view the valid format.');
  }
}

/** `--role` as azure-cli resolves it: a role definition id or GUID as is, a name by lookup. */
export function resolveRoleArgument(lab: Lab, role: string): string {
  if (/^\/subscriptions\/.+\/providers\/Microsoft\.Authorization\/roleDefinitions\//i.test(role) || isGuid(role)) return role;
  const named = lab.roles.named(role);
  if (named.length === 0) throw new AzCliError(`Role '${role}' doesn't exist.`);
  if (named.length > 1) {
    const ids = named.map(r => `'/subscriptions/${lab.defaultSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${r.name}'`);
    throw new AzCliError(`More than one role matches the given name '${role}'. Please pick a value from '[${ids.join(', ')}]'`);
  }
  return named[0]!.name;
}

/** Python's datetime.isoformat() of a UTC time, as the SDK models print them. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** A LabError that means "not found", whatever its exact code. */
export const isNotFound = (error: unknown): boolean => error instanceof LabError && error.status === 404;

/** ARM's DELETE: 204 when the resource is already gone (only a missing group is an error). */
export function deleteIfExists(ctx: CommandContext, typeKey: string, group: string, name: string): void {
  requireGroup(ctx.lab, ctx.subscriptionId, group);
  const id = idOf(ctx, typeKey, group, name);
  if (ctx.lab.arm.resource(id)) deleteResource(ctx.lab, ctx.caller, id);
}
