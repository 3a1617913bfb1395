// The lab as a bash script of az commands that rebuilds it — resource groups, resources with
// their identities, Entra security groups and their members, custom roles, role assignments —
// in an empty subscription (real or lab).
// Ids that differ between subscriptions are not written down: the script reads the
// subscription id and each new identity's principal id as it goes (`VAR=$(az … --query … -o tsv)`).
// Secrets and blobs are left out on purpose: their values do not belong in a script.
// Every word of every command goes through one quoting function (commandLine), so a value
// planted in lab data — an image `x;touch PWNED`, a role named `$(…)` — is only ever data.
import type { Lab } from '../engine/lab/lab';
import type { ReadonlyResource, ReadonlyRoleAssignment } from '../engine/state/labState';
import { parseResourceId } from '../engine/azure/resourceId';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import { roleGuidOf } from '../engine/state/roleDefinitions';
import { shellQuoteParts, UnquotableWordError, type WordPart } from '../engine/base/shellQuote';
import { neutralizeForDisplay } from '../engine/base/displayText';

const SUBSCRIPTION_VAR = 'SUBSCRIPTION';
const LEARNER_VAR = 'LEARNER';

/** A word: literal text, or literal text with script variables in it. */
type Word = string | readonly WordPart[];

interface ScriptWriter {
  lines: string[];
  /** Principal ids known to the script by variable name. */
  principals: Map<string, string>;
  usedNames: Set<string>;
}

const quoteWord = (word: Word): string => shellQuoteParts(typeof word === 'string' ? [word] : word);

/** One command line: every word quoted, option names included (they are safe words, so they stay as they are). */
const commandLine = (words: readonly Word[]): string => words.map(quoteWord).join(' ');

/** `VAR=$(command --query path -o tsv)`. */
const assignOutput = (variable: string, words: readonly Word[], query: string): string =>
  `${variable}=$(${commandLine([...words, '--query', query, '-o', 'tsv'])})`;

/** A comment line: text from the lab cannot end the comment (no newline) or hide what follows (no bidi controls). */
const comment = (text: string): string => `# ${neutralizeForDisplay(text)}`;

/** The default subscription's id in `text`, replaced by the script's variable wherever `pattern` finds it. */
function withSubscriptionVariable(text: string, pattern: RegExp): WordPart[] {
  const parts: WordPart[] = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    const guidAt = match.index + match[0].length - 36;
    parts.push(text.slice(at, guidAt), { variable: SUBSCRIPTION_VAR });
    at = match.index + match[0].length;
  }
  parts.push(text.slice(at));
  return parts;
}

/** An id whose subscription is the lab's default one, as a word with the script's variable. */
const portableId = (lab: Lab, id: string): WordPart[] =>
  withSubscriptionVariable(id, new RegExp(`^/subscriptions/${lab.defaultSubscriptionId}`, 'gi'));

/** Any subscription id in a path inside resource properties (`…/subscriptions/{guid}/…`). */
const ANY_SUBSCRIPTION = /\/subscriptions\/[0-9a-f-]{36}/gi;

/** Adjacent literal pieces joined, so the quoted word stays short. */
function merged(parts: readonly WordPart[]): WordPart[] {
  const out: WordPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else out.push(part);
  }
  return out;
}

/**
 * JSON text as a word whose strings (keys too) may hold script variables: `strings` splits each
 * string into parts, each literal part is JSON-escaped on its own (a subscription id needs no
 * escaping, so the text is exactly JSON.stringify's), and only the variables expand.
 */
function jsonWord(value: unknown, strings: (text: string, path: readonly string[], isKey: boolean) => WordPart[]): WordPart[] {
  const out: WordPart[] = [];
  const str = (text: string, path: readonly string[], isKey: boolean) => {
    out.push('"');
    for (const part of strings(text, path, isKey)) out.push(typeof part === 'string' ? JSON.stringify(part).slice(1, -1) : part);
    out.push('"');
  };
  const write = (v: unknown, path: readonly string[]): void => {
    if (typeof v === 'string') return str(v, path, false);
    if (Array.isArray(v)) {
      out.push('[');
      v.forEach((item, i) => {
        if (i > 0) out.push(',');
        write(item === undefined || typeof item === 'function' ? null : item, [...path, String(i)]);
      });
      out.push(']');
      return;
    }
    if (v !== null && typeof v === 'object') {
      out.push('{');
      let first = true;
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined || typeof item === 'function') continue;
        if (!first) out.push(',');
        first = false;
        str(key, path, true);
        out.push(':');
        write(item, [...path, key]);
      }
      out.push('}');
      return;
    }
    out.push(JSON.stringify(v) ?? 'null');
  };
  write(value, []);
  return merged(out);
}

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
const tagWords = (tags: Record<string, string>): Word[] =>
  Object.keys(tags).length ? ['--tags', ...Object.entries(tags).map(([k, v]) => `${k}=${v}`)] : [];

/** `--assign-identity` values: `[system]` and the user-assigned identities' ids. */
function assignIdentityWords(lab: Lab, resource: ReadonlyResource): Word[] {
  const identity = resource.identity;
  if (!identity || (!identity.systemAssigned && identity.userAssigned.length === 0)) return [];
  const live = identity.userAssigned.filter(u => lab.arm.resource(u.resourceId));
  return ['--assign-identity', ...(identity.systemAssigned ? ['[system]'] : []), ...live.map(u => portableId(lab, u.resourceId))];
}

/** Assigns `VAR=$(command --query path -o tsv)` when the resource has a system-assigned identity. */
function emit(lab: Lab, w: ScriptWriter, resource: ReadonlyResource, command: readonly Word[], principalQuery: string): void {
  const system = resource.identity?.systemAssigned;
  if (system) {
    const variable = variableFor(w, 'PRINCIPAL', resource.name);
    w.principals.set(system.principalId.toLowerCase(), variable);
    w.lines.push(assignOutput(variable, command, principalQuery));
  } else {
    w.lines.push(commandLine(command));
  }
  for (const u of resource.identity?.userAssigned ?? []) {
    if (!lab.arm.resource(u.resourceId)) {
      w.lines.push(comment(`${resource.name} also points at ${u.resourceId}, an identity that no longer exists: not recreated.`));
    }
  }
}

function vmImage(resource: ReadonlyResource): string {
  const image = (resource.properties['storageProfile'] as { imageReference?: Record<string, string> } | undefined)?.imageReference;
  return image?.publisher && image.offer && image.sku
    ? `${image.publisher}:${image.offer}:${image.sku}:${image.version ?? 'latest'}`
    : 'Ubuntu2404';
}

const skuName = (resource: ReadonlyResource, fallback: string): string =>
  String((resource.properties['sku'] as { name?: unknown } | undefined)?.name ?? fallback);

function resourceCommand(lab: Lab, w: ScriptWriter, resource: ReadonlyResource): void {
  const key = resourceTypeOf(resource.type, resource.kind)?.key;
  const base: Word[] = ['--resource-group', groupOf(resource), '--name', resource.name];
  const location: Word[] = ['--location', resource.location];
  const tags = tagWords(resource.tags);
  switch (key) {
    case 'identity': {
      const variable = variableFor(w, 'PRINCIPAL', resource.name);
      w.principals.set(resource.managedIdentity!.principalId.toLowerCase(), variable);
      w.lines.push(assignOutput(variable, ['az', 'identity', 'create', ...base, ...location, ...tags], 'principalId'));
      return;
    }
    case 'keyvault': {
      const rbac = resource.properties['enableRbacAuthorization'] === false ? ['--enable-rbac-authorization', 'false'] : [];
      w.lines.push(commandLine(['az', 'keyvault', 'create', ...base, ...location, ...rbac, ...tags]));
      return;
    }
    case 'storage': {
      const simple = ['az', 'storage', 'account', 'create', ...base, ...location, '--sku', skuName(resource, 'Standard_LRS'), ...tags];
      emitGeneric(lab, w, resource, resource.identity ? undefined : simple);
      return;
    }
    case 'appserviceplan': {
      const linux = resource.properties['reserved'] === true ? ['--is-linux'] : [];
      w.lines.push(
        commandLine(['az', 'appservice', 'plan', 'create', ...base, ...location, '--sku', skuName(resource, 'B1'), ...linux, ...tags]),
      );
      return;
    }
    case 'vm':
    case 'vmss': {
      const size = (resource.properties['hardwareProfile'] as { vmSize?: unknown } | undefined)?.vmSize;
      const admin = (resource.properties['osProfile'] as { adminUsername?: unknown } | undefined)?.adminUsername;
      const windows = /windows/i.test(vmImage(resource));
      const auth = windows ? ['--admin-password', 'Lab-Passw0rd-Changed!'] : ['--generate-ssh-keys'];
      const command: Word[] = [
        'az',
        key,
        'create',
        ...base,
        ...location,
        '--image',
        vmImage(resource),
        ...(size !== undefined ? [key === 'vm' ? '--size' : '--vm-sku', String(size)] : []),
        ...(admin !== undefined ? ['--admin-username', String(admin)] : []),
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
      const hosting: Word[] | undefined =
        key === 'webapp'
          ? plan
            ? ['--plan', portableId(lab, plan.id)]
            : undefined
          : !storageExists
            ? undefined
            : plan
              ? ['--storage-account', storage, '--plan', portableId(lab, plan.id)]
              : [
                  '--storage-account',
                  storage,
                  '--consumption-plan-location',
                  String(resource.properties['consumptionPlanLocation'] ?? resource.location),
                ];
      if (!hosting) return emitGeneric(lab, w, resource);
      emit(
        lab,
        w,
        resource,
        ['az', key, 'create', ...base, ...hosting, ...tags, ...assignIdentityWords(lab, resource)],
        'identity.principalId',
      );
      return;
    }
    default:
      emitGeneric(lab, w, resource);
  }
}

/** Any resource type, through `az resource create --is-full-object` (identity included). */
function emitGeneric(lab: Lab, w: ScriptWriter, resource: ReadonlyResource, simple?: readonly Word[]): void {
  if (simple) {
    w.lines.push(commandLine(simple));
    return;
  }
  const users = (resource.identity?.userAssigned ?? []).filter(u => lab.arm.resource(u.resourceId));
  const system = Boolean(resource.identity?.systemAssigned);
  const identity =
    system || users.length
      ? {
          type: [system && 'SystemAssigned', users.length && 'UserAssigned'].filter(Boolean).join(', '),
          ...(users.length ? { userAssignedIdentities: Object.fromEntries(users.map(u => [u.resourceId, {}])) } : {}),
        }
      : undefined;
  const body = {
    location: resource.location,
    ...(resource.kind ? { kind: resource.kind } : {}),
    ...(Object.keys(resource.tags).length ? { tags: resource.tags } : {}),
    ...(identity ? { identity } : {}),
    properties: resource.properties,
  };
  const command: Word[] = [
    'az',
    'resource',
    'create',
    '--resource-group',
    groupOf(resource),
    '--name',
    resource.name,
    '--resource-type',
    resource.type,
    '--is-full-object',
    '--properties',
    // Ids inside the body (the identities, paths in properties) point at the new subscription; tags and the rest stay as written.
    jsonWord(body, (text, path, isKey) =>
      path[0] === 'properties'
        ? withSubscriptionVariable(text, ANY_SUBSCRIPTION)
        : isKey && path.join('.') === 'identity.userAssignedIdentities'
          ? portableId(lab, text)
          : [text],
    ),
  ];
  emit(lab, w, resource, command, 'identity.principalId');
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
  const principal =
    a.principalId.toLowerCase() === lab.directory.user.objectId.toLowerCase() ? LEARNER_VAR : w.principals.get(a.principalId.toLowerCase());
  const note = principal
    ? ''
    : lab.directory.principal(a.principalId)
      ? '  # a principal the script does not create'
      : '  # orphaned: its principal was deleted';
  const line = commandLine([
    'az',
    'role',
    'assignment',
    'create',
    '--assignee-object-id',
    principal ? [{ variable: principal }] : a.principalId,
    '--assignee-principal-type',
    a.principalType,
    '--role',
    role ? role.roleName : (roleGuidOf(a.roleDefinitionId) ?? a.roleDefinitionId),
    '--scope',
    portableId(lab, a.scope),
  ]);
  return `${line}${note}`;
}

/** The lines one part of the lab needs; a value no bash word can hold (a NUL) becomes a comment saying so, not a broken line. */
function guarded(w: ScriptWriter, what: string, write: () => void): void {
  const before = w.lines.length;
  try {
    write();
  } catch (error) {
    if (!(error instanceof UnquotableWordError)) throw error;
    w.lines.length = before;
    w.lines.push(comment(`${what} is not exported: ${error.message}`));
  }
}

/** Security groups, then their members (which may be other groups, so all groups exist first). */
function exportGroups(lab: Lab, w: ScriptWriter): void {
  const groups = lab.directory.groups;
  if (!groups.length) return;
  w.lines.push('', '# Microsoft Entra security groups and their members');
  for (const g of groups) {
    const variable = variableFor(w, 'GROUP', g.displayName);
    w.principals.set(g.objectId.toLowerCase(), variable);
    const description: Word[] = g.description !== undefined ? ['--description', g.description] : [];
    guarded(w, `Group ${g.displayName}`, () =>
      w.lines.push(
        assignOutput(
          variable,
          ['az', 'ad', 'group', 'create', '--display-name', g.displayName, '--mail-nickname', g.mailNickname, ...description],
          'id',
        ),
      ),
    );
  }
  for (const g of groups) {
    for (const m of g.members) {
      const member =
        m.objectId.toLowerCase() === lab.directory.user.objectId.toLowerCase() ? LEARNER_VAR : w.principals.get(m.objectId.toLowerCase());
      if (!member) continue;
      const group = w.principals.get(g.objectId.toLowerCase())!;
      w.lines.push(
        commandLine(['az', 'ad', 'group', 'member', 'add', '--group', [{ variable: group }], '--member-id', [{ variable: member }]]),
      );
    }
  }
}

export function exportAzScript(lab: Lab): string {
  const w: ScriptWriter = { lines: [], principals: new Map(), usedNames: new Set([SUBSCRIPTION_VAR, LEARNER_VAR]) };
  const sub = lab.defaultSubscriptionId;
  w.lines.push(
    '#!/usr/bin/env bash',
    comment(`Rebuilds the Managed Identity Lab "${lab.directory.tenant.displayName}": resource groups, custom roles,`),
    '# resources with their managed identities, and role assignments. Run it signed in to an',
    '# empty subscription you own (or replay it into a fresh lab). Secrets and blobs are not',
    '# exported: their values do not belong in a script.',
    'set -euo pipefail',
    '',
    assignOutput(SUBSCRIPTION_VAR, ['az', 'account', 'show'], 'id'),
    assignOutput(LEARNER_VAR, ['az', 'ad', 'signed-in-user', 'show'], 'id'),
  );
  const groups = lab.arm.groupsIn(sub);
  if (groups.length) w.lines.push('', '# Resource groups');
  for (const g of groups) {
    guarded(w, `Resource group ${g.name}`, () =>
      w.lines.push(commandLine(['az', 'group', 'create', '--name', g.name, '--location', g.location, ...tagWords(g.tags)])),
    );
  }

  const resources = lab.arm.resources
    .filter(r => parseResourceId(r.id).subscriptionId?.toLowerCase() === sub.toLowerCase())
    .sort((a, b) => creationOrder(a) - creationOrder(b));
  if (resources.length) w.lines.push('', '# Resources and their managed identities');
  for (const r of resources) guarded(w, `Resource ${r.id}`, () => resourceCommand(lab, w, r));

  exportGroups(lab, w);

  const custom = lab.roles.customRoles;
  if (custom.length) w.lines.push('', '# Custom roles');
  // After the resources: a custom role may be assignable at a resource's scope.
  for (const role of custom) {
    const p = role.permissions[0] ?? { actions: [], notActions: [], dataActions: [], notDataActions: [] };
    const definition = {
      Name: role.roleName,
      Description: role.description,
      Actions: p.actions,
      NotActions: p.notActions,
      DataActions: p.dataActions,
      NotDataActions: p.notDataActions,
      AssignableScopes: role.assignableScopes,
    };
    // Only the assignable scopes carry the subscription variable; names and descriptions stay exactly as written.
    const strings = (text: string, path: readonly string[], isKey: boolean): WordPart[] =>
      !isKey && path[0] === 'AssignableScopes' ? portableId(lab, text) : [text];
    guarded(w, `Custom role ${role.roleName}`, () =>
      w.lines.push(commandLine(['az', 'role', 'definition', 'create', '--role-definition', jsonWord(definition, strings)])),
    );
  }

  const assignments = [...lab.assignments.all].sort((a, b) => a.createdOn - b.createdOn);
  if (assignments.length) w.lines.push('', '# Role assignments');
  for (const a of assignments) guarded(w, `Role assignment ${a.name}`, () => w.lines.push(assignmentCommand(lab, w, a)));
  return `${w.lines.join('\n')}\n`;
}
