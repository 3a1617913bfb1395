// The lab as a bash script of az commands that rebuilds it — resource groups, resources with
// their identities, Entra security groups and their members, custom roles, role assignments —
// in an empty subscription (real or lab).
// Ids that differ between subscriptions are not written down: the script reads the
// subscription id and each new identity's principal id as it goes (`VAR=$(az … --query … -o tsv)`).
// Secrets and blobs are left out on purpose: their values do not belong in a script.
import type { Lab } from '../engine/lab/lab';
import type { ReadonlyResource, ReadonlyRoleAssignment } from '../engine/state/labState';
import { parseResourceId } from '../engine/azure/resourceId';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import { roleGuidOf } from '../engine/state/roleDefinitions';
import { shellQuote, shellQuoteKeepingVariables } from '../engine/base/shellQuote';

const SUBSCRIPTION_VAR = 'SUBSCRIPTION';
const LEARNER_VAR = 'LEARNER';

interface ScriptWriter {
  lines: string[];
  /** Principal ids known to the script by variable name. */
  principals: Map<string, string>;
  usedNames: Set<string>;
}

/** The subscription id in an id, replaced by the script's variable. */
const portable = (lab: Lab, id: string): string =>
  id.replace(new RegExp(`^/subscriptions/${lab.defaultSubscriptionId}`, 'i'), `/subscriptions/$${SUBSCRIPTION_VAR}`);

const quoteId = (lab: Lab, id: string): string => {
  const value = portable(lab, id);
  return value.includes('$') ? shellQuoteKeepingVariables(value) : shellQuote(value);
};

function variableFor(w: ScriptWriter, prefix: string, name: string): string {
  const base = `${prefix}_${name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '')}`;
  let candidate = base;
  for (let n = 2; w.usedNames.has(candidate); n++) candidate = `${base}_${n}`;
  w.usedNames.add(candidate);
  return candidate;
}

const groupOf = (resource: ReadonlyResource): string => parseResourceId(resource.id).resourceGroup!;
const tagWords = (tags: Record<string, string>): string[] =>
  Object.keys(tags).length ? ['--tags', ...Object.entries(tags).map(([k, v]) => shellQuote(`${k}=${v}`))] : [];

/** `--assign-identity` values: `[system]` and the user-assigned identities' ids. */
function assignIdentityWords(lab: Lab, resource: ReadonlyResource): string[] {
  const identity = resource.identity;
  if (!identity || (!identity.systemAssigned && identity.userAssigned.length === 0)) return [];
  const live = identity.userAssigned.filter(u => lab.arm.resource(u.resourceId));
  return ['--assign-identity', ...(identity.systemAssigned ? ['[system]'] : []), ...live.map(u => quoteId(lab, u.resourceId))];
}

/** Assigns `VAR=$(command --query path -o tsv)` when the resource has a system-assigned identity. */
function emit(lab: Lab, w: ScriptWriter, resource: ReadonlyResource, command: string[], principalQuery: string): void {
  const system = resource.identity?.systemAssigned;
  if (system) {
    const variable = variableFor(w, 'PRINCIPAL', resource.name);
    w.principals.set(system.principalId.toLowerCase(), variable);
    w.lines.push(`${variable}=$(${command.join(' ')} --query ${principalQuery} -o tsv)`);
  } else {
    w.lines.push(command.join(' '));
  }
  for (const u of resource.identity?.userAssigned ?? []) {
    if (!lab.arm.resource(u.resourceId)) {
      w.lines.push(`# ${resource.name} also points at ${u.resourceId}, an identity that no longer exists: not recreated.`);
    }
  }
}

function vmImage(resource: ReadonlyResource): string {
  const image = (resource.properties['storageProfile'] as { imageReference?: Record<string, string> } | undefined)?.imageReference;
  return image?.publisher && image.offer && image.sku
    ? `${image.publisher}:${image.offer}:${image.sku}:${image.version ?? 'latest'}`
    : 'Ubuntu2404';
}

function resourceCommand(lab: Lab, w: ScriptWriter, resource: ReadonlyResource): void {
  const key = resourceTypeOf(resource.type, resource.kind)?.key;
  const base = ['--resource-group', shellQuote(groupOf(resource)), '--name', shellQuote(resource.name)];
  const location = ['--location', resource.location];
  const tags = tagWords(resource.tags);
  switch (key) {
    case 'identity': {
      const variable = variableFor(w, 'PRINCIPAL', resource.name);
      w.principals.set(resource.managedIdentity!.principalId.toLowerCase(), variable);
      w.lines.push(`${variable}=$(az identity create ${[...base, ...location, ...tags].join(' ')} --query principalId -o tsv)`);
      return;
    }
    case 'keyvault': {
      const rbac = resource.properties['enableRbacAuthorization'] === false ? ['--enable-rbac-authorization', 'false'] : [];
      w.lines.push(['az keyvault create', ...base, ...location, ...rbac, ...tags].join(' '));
      return;
    }
    case 'storage': {
      const sku = (resource.properties['sku'] as { name?: string } | undefined)?.name ?? 'Standard_LRS';
      emitGeneric(
        lab,
        w,
        resource,
        resource.identity ? undefined : ['az storage account create', ...base, ...location, '--sku', sku, ...tags],
      );
      return;
    }
    case 'appserviceplan': {
      const sku = (resource.properties['sku'] as { name?: string } | undefined)?.name ?? 'B1';
      w.lines.push(
        [
          'az appservice plan create',
          ...base,
          ...location,
          '--sku',
          sku,
          ...(resource.properties['reserved'] === true ? ['--is-linux'] : []),
          ...tags,
        ].join(' '),
      );
      return;
    }
    case 'vm':
    case 'vmss': {
      const size = (resource.properties['hardwareProfile'] as { vmSize?: string } | undefined)?.vmSize;
      const admin = (resource.properties['osProfile'] as { adminUsername?: string } | undefined)?.adminUsername;
      const windows = /windows/i.test(vmImage(resource));
      const auth = windows ? ['--admin-password', shellQuote('Lab-Passw0rd-Changed!')] : ['--generate-ssh-keys'];
      const command = [
        `az ${key} create`,
        ...base,
        ...location,
        '--image',
        vmImage(resource),
        ...(size ? [key === 'vm' ? '--size' : '--vm-sku', size] : []),
        ...(admin ? ['--admin-username', shellQuote(admin)] : []),
        ...auth,
        ...tags,
        ...assignIdentityWords(lab, resource),
      ];
      emit(lab, w, resource, command, key === 'vm' ? 'identity.systemAssignedIdentity' : 'vmss.identity.systemAssignedIdentity');
      return;
    }
    case 'webapp':
    case 'functionapp': {
      const farm = String(resource.properties['serverFarmId'] ?? '');
      const plan = lab.arm.resource(farm);
      const storage = String(resource.properties['storageAccount'] ?? '');
      const storageExists =
        storage &&
        (storage.startsWith('/')
          ? lab.arm.resource(storage)
          : lab.arm.resourcesIn(lab.defaultSubscriptionId, groupOf(resource)).some(r => r.name === storage));
      const hosting =
        key === 'webapp'
          ? plan
            ? ['--plan', quoteId(lab, plan.id)]
            : undefined
          : !storageExists
            ? undefined
            : plan
              ? ['--storage-account', shellQuote(storage), '--plan', quoteId(lab, plan.id)]
              : [
                  '--storage-account',
                  shellQuote(storage),
                  '--consumption-plan-location',
                  String(resource.properties['consumptionPlanLocation'] ?? resource.location),
                ];
      if (!hosting) return emitGeneric(lab, w, resource);
      emit(
        lab,
        w,
        resource,
        [`az ${key} create`, ...base, ...hosting, ...tags, ...assignIdentityWords(lab, resource)],
        'identity.principalId',
      );
      return;
    }
    default:
      emitGeneric(lab, w, resource);
  }
}

/** Any resource type, through `az resource create --is-full-object` (identity included). */
function emitGeneric(lab: Lab, w: ScriptWriter, resource: ReadonlyResource, simple?: string[]): void {
  if (simple) {
    w.lines.push(simple.join(' '));
    return;
  }
  const users = (resource.identity?.userAssigned ?? []).filter(u => lab.arm.resource(u.resourceId));
  const system = Boolean(resource.identity?.systemAssigned);
  const identity =
    system || users.length
      ? {
          type: [system && 'SystemAssigned', users.length && 'UserAssigned'].filter(Boolean).join(', '),
          ...(users.length ? { userAssignedIdentities: Object.fromEntries(users.map(u => [portable(lab, u.resourceId), {}])) } : {}),
        }
      : undefined;
  const body = {
    location: resource.location,
    ...(resource.kind ? { kind: resource.kind } : {}),
    ...(Object.keys(resource.tags).length ? { tags: resource.tags } : {}),
    ...(identity ? { identity } : {}),
    properties: portableProperties(resource),
  };
  const json = JSON.stringify(body);
  const command = [
    'az resource create',
    '--resource-group',
    shellQuote(groupOf(resource)),
    '--name',
    shellQuote(resource.name),
    '--resource-type',
    resource.type,
    '--is-full-object',
    '--properties',
    json.includes('$') ? shellQuoteKeepingVariables(json) : shellQuote(json),
  ];
  emit(lab, w, resource, command, 'identity.principalId');
}

/** Properties worth carrying over; ids inside them point at the new subscription. */
function portableProperties(resource: ReadonlyResource): Record<string, unknown> {
  const text = JSON.stringify(resource.properties);
  return JSON.parse(text.replace(/\/subscriptions\/[0-9a-f-]{36}/gi, `/subscriptions/$${SUBSCRIPTION_VAR}`)) as Record<string, unknown>;
}

/** Parents before children, identities before what uses them, hosting before the apps on it. */
function creationOrder(resource: ReadonlyResource): number {
  const key = resourceTypeOf(resource.type, resource.kind)?.key;
  const depth = parseResourceId(resource.id).names.length;
  const rank =
    key === 'identity' ? 0 : key === 'appserviceplan' || key === 'storage' ? 1 : key === 'webapp' || key === 'functionapp' ? 3 : 2;
  return depth * 10 + rank;
}

function assignmentCommand(lab: Lab, w: ScriptWriter, a: ReadonlyRoleAssignment): string {
  const role = lab.roles.get(roleGuidOf(a.roleDefinitionId) ?? a.roleDefinitionId);
  const roleWord = role ? shellQuote(role.roleName) : shellQuote(roleGuidOf(a.roleDefinitionId) ?? a.roleDefinitionId);
  const principal =
    a.principalId.toLowerCase() === lab.directory.user.objectId.toLowerCase() ? LEARNER_VAR : w.principals.get(a.principalId.toLowerCase());
  const assignee = principal ? `"$${principal}"` : shellQuote(a.principalId);
  const comment = principal
    ? ''
    : lab.directory.principal(a.principalId)
      ? '  # a principal the script does not create'
      : '  # orphaned: its principal was deleted';
  const words = [
    'az role assignment create',
    `--assignee-object-id ${assignee}`,
    `--assignee-principal-type ${a.principalType}`,
    `--role ${roleWord}`,
    `--scope ${quoteId(lab, a.scope)}`,
  ];
  return `${words.join(' ')}${comment}`;
}

/** Security groups, then their members (which may be other groups, so all groups exist first). */
function exportGroups(lab: Lab, w: ScriptWriter): void {
  const groups = lab.directory.groups;
  if (!groups.length) return;
  w.lines.push('', '# Microsoft Entra security groups and their members');
  for (const g of groups) {
    const variable = variableFor(w, 'GROUP', g.displayName);
    w.principals.set(g.objectId.toLowerCase(), variable);
    const description = g.description !== undefined ? ['--description', shellQuote(g.description)] : [];
    w.lines.push(
      `${variable}=$(${[
        'az ad group create',
        '--display-name',
        shellQuote(g.displayName),
        '--mail-nickname',
        shellQuote(g.mailNickname),
        ...description,
      ].join(' ')} --query id -o tsv)`,
    );
  }
  for (const g of groups) {
    for (const m of g.members) {
      const member =
        m.objectId.toLowerCase() === lab.directory.user.objectId.toLowerCase() ? LEARNER_VAR : w.principals.get(m.objectId.toLowerCase());
      if (!member) continue;
      w.lines.push(`az ad group member add --group "$${w.principals.get(g.objectId.toLowerCase())}" --member-id "$${member}"`);
    }
  }
}

export function exportAzScript(lab: Lab): string {
  const w: ScriptWriter = { lines: [], principals: new Map(), usedNames: new Set([SUBSCRIPTION_VAR, LEARNER_VAR]) };
  const sub = lab.defaultSubscriptionId;
  w.lines.push(
    '#!/usr/bin/env bash',
    `# Rebuilds the Managed Identity Lab "${lab.directory.tenant.displayName}": resource groups, custom roles,`,
    '# resources with their managed identities, and role assignments. Run it signed in to an',
    '# empty subscription you own (or replay it into a fresh lab). Secrets and blobs are not',
    '# exported: their values do not belong in a script.',
    'set -euo pipefail',
    '',
    `${SUBSCRIPTION_VAR}=$(az account show --query id -o tsv)`,
    `${LEARNER_VAR}=$(az ad signed-in-user show --query id -o tsv)`,
  );
  const groups = lab.arm.groupsIn(sub);
  if (groups.length) w.lines.push('', '# Resource groups');
  for (const g of groups) {
    w.lines.push(['az group create', '--name', shellQuote(g.name), '--location', g.location, ...tagWords(g.tags)].join(' '));
  }

  const resources = lab.arm.resources
    .filter(r => parseResourceId(r.id).subscriptionId?.toLowerCase() === sub.toLowerCase())
    .sort((a, b) => creationOrder(a) - creationOrder(b));
  if (resources.length) w.lines.push('', '# Resources and their managed identities');
  for (const r of resources) resourceCommand(lab, w, r);

  exportGroups(lab, w);

  const custom = lab.roles.customRoles;
  if (custom.length) w.lines.push('', '# Custom roles');
  // After the resources: a custom role may be assignable at a resource's scope.
  for (const role of custom) {
    const p = role.permissions[0] ?? { actions: [], notActions: [], dataActions: [], notDataActions: [] };
    const json = JSON.stringify({
      Name: role.roleName,
      Description: role.description,
      Actions: p.actions,
      NotActions: p.notActions,
      DataActions: p.dataActions,
      NotDataActions: p.notDataActions,
      AssignableScopes: role.assignableScopes.map(s => portable(lab, s)),
    });
    w.lines.push(`az role definition create --role-definition ${json.includes('$') ? shellQuoteKeepingVariables(json) : shellQuote(json)}`);
  }

  const assignments = [...lab.assignments.all].sort((a, b) => a.createdOn - b.createdOn);
  if (assignments.length) w.lines.push('', '# Role assignments');
  for (const a of assignments) w.lines.push(assignmentCommand(lab, w, a));
  return `${w.lines.join('\n')}\n`;
}
