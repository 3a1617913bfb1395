// `az role assignment …` and `az role definition list`, following azure-cli's role/custom.py:
// --assignee is looked up in Graph (a UPN, a servicePrincipalName — for a managed identity
// its client id —, or an object id), --assignee-object-id is taken as is; `create` is
// idempotent (an existing assignment is listed and returned); `list` without --all covers the
// subscription scope exactly; `delete` with nothing matched fails.
import { isJsonObject } from '../../engine/base/json';
import type { Lab } from '../../engine/lab/lab';
import { LabError } from '../../engine/base/errors';
import { authorize } from '../../engine/lab/authorization';
import { isGuid } from '../../engine/base/ids';
import { createCustomRole, createRoleAssignment, deleteRoleAssignment, findRoleAssignment } from '../../engine/operations/roleAssignments';
import { roleGuidOf } from '../../engine/state/roleDefinitions';
import { resourceGroupId, subscriptionId as subscriptionScope } from '../../engine/azure/resourceId';
import type { ReadonlyRoleAssignment } from '../../engine/state/labState';
import type { CommandContext, CommandSpec, GroupSpec, OptionSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import { checkScopeSyntax, resolveRoleArgument, YES } from './common';
import { listedRoleAssignment, roleAssignmentOutput, roleDefinitionOutput } from './azOutput';
import { ASSIGNEE_PRINCIPAL_TYPE_WARNING, assigneeIsDisplayName, assigneeNotFound } from './messages';

export const ROLE_GROUPS: GroupSpec[] = [
  { name: 'role', summary: 'Manage Azure role-based access control (Azure RBAC).' },
  { name: 'role assignment', summary: 'Manage role assignments.' },
  { name: 'role definition', summary: 'Manage role definitions.' },
];

const SCOPE_WARNING =
  '--scope argument will become required for creating a role assignment in the breaking change release of the fall of 2023. Please explicitly specify --scope.';
const PRINCIPAL_TYPES = ['User', 'Group', 'ServicePrincipal', 'ForeignGroup'] as const;

const ASSIGNEE: OptionSpec = {
  dest: 'assignee',
  names: ['--assignee'],
  help: 'Represent a user, group, or service principal. supported format: object id, user sign-in name, or service principal name.',
};
const ROLE: OptionSpec = { dest: 'role', names: ['--role'], help: 'Role name or id.' };
const GROUP: OptionSpec = {
  dest: 'resource_group_name',
  names: ['--resource-group', '-g'],
  help: 'Use it only if the role or assignment was added at the level of a resource group.',
};
const SCOPE: OptionSpec = {
  dest: 'scope',
  names: ['--scope'],
  help: 'Scope at which the role assignment or definition applies to, e.g., /subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333, /subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/myGroup, or /subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/myGroup/providers/Microsoft.Compute/virtualMachines/myVM',
};
const INCLUDE_INHERITED: OptionSpec = {
  dest: 'include_inherited',
  names: ['--include-inherited'],
  kind: 'flag',
  help: 'Include assignments applied on parent scopes.',
};

/** role/custom.py _resolve_object_id_and_type, over the lab's directory. */
export function resolveAssignee(lab: Lab, assignee: string): { objectId: string; principalType: 'User' | 'ServicePrincipal' | 'Group' } {
  const user = lab.directory.user;
  if (assignee.includes('@') && assignee.toLowerCase() === user.userPrincipalName.toLowerCase()) {
    return { objectId: user.objectId, principalType: 'User' };
  }
  const byClientId = isGuid(assignee) ? lab.directory.byClientId(assignee) : undefined;
  if (byClientId) return { objectId: byClientId.objectId, principalType: 'ServicePrincipal' };
  const byObjectId = isGuid(assignee) ? lab.directory.principal(assignee) : undefined;
  if (byObjectId) return { objectId: byObjectId.objectId, principalType: byObjectId.kind === 'User' ? 'User' : 'ServicePrincipal' };
  // A group by object id (Graph's getByIds), or by its exact display name (azure-cli filters groups on displayName eq).
  const group = isGuid(assignee) ? lab.directory.group(assignee) : undefined;
  if (group) return { objectId: group.objectId, principalType: 'Group' };
  const groups = lab.directory.groups.filter(g => g.displayName === assignee);
  if (groups.length === 1) return { objectId: groups[0]!.objectId, principalType: 'Group' };
  const named = lab.directory.byDisplayName(assignee);
  const hint = named.length
    ? [
        assigneeIsDisplayName(
          assignee,
          named.map(sp => sp.objectId),
        ),
      ]
    : [];
  throw new AzCliError(assigneeNotFound(assignee), hint);
}

/** role/custom.py _build_role_scope. */
function buildScope(ctx: CommandContext, group: string | undefined, scope: string | undefined): string {
  if (scope) {
    if (group) throw new AzCliError(`Resource group "${group}" is redundant because scope is supplied`);
    checkScopeSyntax(scope);
    return scope;
  }
  return group ? resourceGroupId(ctx.subscriptionId, group) : subscriptionScope(ctx.subscriptionId);
}

/**
 * role/custom.py _search_role_assignments: with a scope, az asks ARM for the assignments in effect
 * there (`atScope()`: at the scope or above it) and keeps the exact scope's unless --include-inherited.
 */
function searchAssignments(
  ctx: CommandContext,
  scope: string | undefined,
  assignee: string | undefined,
  role: string | undefined,
  includeInherited: boolean,
): ReadonlyRoleAssignment[] {
  const objectId = assignee ? resolveAssignee(ctx.lab, assignee).objectId : undefined;
  const assignments = ctx.lab.assignments;
  let found = !scope
    ? assignments.relatedTo(subscriptionScope(ctx.subscriptionId)).map(a => a.state)
    : includeInherited
      ? assignments.applyingAt(scope).map(a => a.state)
      : assignments.atScope(scope).map(a => a.state);
  if (role) {
    const wanted = roleGuidOf(resolveRoleArgument(ctx.lab, role)) ?? resolveRoleArgument(ctx.lab, role);
    found = found.filter(a => roleGuidOf(a.roleDefinitionId) === wanted.toLowerCase());
  }
  if (objectId) found = found.filter(a => a.principalId.toLowerCase() === objectId.toLowerCase());
  return found.sort((a, b) => a.createdOn - b.createdOn);
}

export const ROLE_COMMANDS: CommandSpec[] = [
  {
    name: 'role assignment create',
    summary: 'Create a new role assignment for a user, group, or service principal.',
    mutates: true,
    options: [
      { ...ROLE, required: true },
      ASSIGNEE,
      {
        dest: 'assignee_object_id',
        names: ['--assignee-object-id'],
        help: "Use this parameter instead of '--assignee' to bypass Graph API invocation in case of insufficient privileges. This parameter only works with object ids for users, groups, service principals, and managed identities. For managed identities use the principal id. For service principals, use the object id and not the app id.",
      },
      {
        dest: 'assignee_principal_type',
        names: ['--assignee-principal-type'],
        choices: PRINCIPAL_TYPES,
        help: 'Use with --assignee-object-id to avoid errors caused by propagation latency in Microsoft Graph.',
      },
      GROUP,
      SCOPE,
      { dest: 'description', names: ['--description'], freeText: true, help: 'Description of role assignment.' },
      { dest: 'condition', names: ['--condition'], freeText: true, help: 'Condition under which the user can be granted permission.' },
      {
        dest: 'condition_version',
        names: ['--condition-version'],
        help: 'Version of the condition syntax. If --condition is specified without --condition-version, default to 2.0.',
      },
      {
        dest: 'assignment_name',
        names: ['--name'],
        help: 'A GUID for the role assignment. It must be unique and different for each role assignment. If omitted, a new GUID is generated.',
      },
    ],
    examples: [
      {
        name: 'Create role assignment to grant the specified assignee the Reader role on an Azure virtual machine.',
        text: 'az role assignment create --assignee sp_name --role a38d8234-5b38-4a3c-9d8b-0d2a4bb9ba21 --scope "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MyResourceGroup/providers/Microsoft.Compute/virtualMachines/MyVm"',
      },
      {
        name: 'Create role assignment for an assignee with description and condition.',
        text: 'az role assignment create --role "Owner" --assignee "Jane@contoso.com" --scope "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MyResourceGroup"',
      },
    ],
    run: (ctx, args) => {
      const scopeArg = args.str('scope');
      if (!scopeArg) ctx.warn(SCOPE_WARNING);
      const assignee = args.str('assignee');
      const objectIdArg = args.str('assignee_object_id');
      if (Boolean(assignee) === Boolean(objectIdArg)) throw new AzCliError('usage error: --assignee STRING | --assignee-object-id GUID');
      const declaredType = args.str('assignee_principal_type') as ReadonlyRoleAssignment['principalType'] | undefined;
      if (declaredType && !objectIdArg) throw new AzCliError('usage error: --assignee-object-id GUID --assignee-principal-type TYPE');
      if (args.str('condition_version') && !args.str('condition')) {
        throw new AzCliError('usage error: When --condition-version is set, --condition must be set as well.');
      }
      if (args.str('condition')) throw new AzCliError('The Managed Identity Lab does not simulate ABAC conditions on role assignments.');
      let objectId: string;
      let principalType: ReadonlyRoleAssignment['principalType'] | undefined = declaredType;
      if (assignee) {
        ({ objectId, principalType } = resolveAssignee(ctx.lab, assignee));
      } else {
        objectId = objectIdArg!;
        if (!declaredType) {
          ctx.warn(ASSIGNEE_PRINCIPAL_TYPE_WARNING);
          const found = isGuid(objectId) ? ctx.lab.directory.principal(objectId) : undefined;
          principalType = found
            ? found.kind === 'User'
              ? 'User'
              : 'ServicePrincipal'
            : isGuid(objectId) && ctx.lab.directory.group(objectId)
              ? 'Group'
              : undefined;
        }
      }
      const scope = buildScope(ctx, args.str('resource_group_name'), scopeArg);
      const role = resolveRoleArgument(ctx.lab, args.req('role'));
      const name = args.str('assignment_name');
      const description = args.str('description');
      try {
        const created = createRoleAssignment(ctx.lab, ctx.caller, {
          scope,
          role,
          principalId: objectId,
          ...(principalType ? { principalType } : {}),
          ...(name ? { name } : {}),
          ...(description ? { description } : {}),
        });
        return roleAssignmentOutput(created);
      } catch (error) {
        if (!(error instanceof LabError) || error.code !== 'RoleAssignmentExists') throw error;
        // Idempotent: az lists the assignment that already exists and prints it (hence list's shape).
        const existing = ctx.lab.assignments.find(objectId, roleGuidOf(role)!, scope)!;
        return listedRoleAssignment(ctx.lab, existing);
      }
    },
  },
  {
    name: 'role assignment list',
    summary: 'List role assignments.',
    longSummary:
      'By default, only assignments scoped to subscription will be displayed. To view assignments scoped by resource or group, use `--all`.',
    options: [
      ASSIGNEE,
      ROLE,
      GROUP,
      SCOPE,
      INCLUDE_INHERITED,
      { dest: 'show_all', names: ['--all'], kind: 'flag', help: 'Show all assignments under the current subscription.' },
      {
        dest: 'include_groups',
        names: ['--include-groups'],
        kind: 'flag',
        help: 'Include extra assignments to the groups of which the user is a member (transitively).',
      },
      {
        dest: 'include_classic_administrators',
        names: ['--include-classic-administrators'],
        kind: 'flag',
        help: 'List default role assignments for subscription classic administrators, aka co-admins.',
      },
      {
        dest: 'fill_principal_name',
        names: ['--fill-principal-name'],
        choices: ['false', 'true'],
        help: 'Fill principalName property with the principal name by querying Microsoft Graph.',
      },
      {
        dest: 'fill_role_definition_name',
        names: ['--fill-role-definition-name'],
        choices: ['false', 'true'],
        help: 'Fill roleDefinitionName property with the role definition name.',
      },
    ],
    // role/commands.py transform_assignment_list.
    tableTransformer: rows =>
      (rows as Array<Record<string, unknown>>).map(r => ({
        Principal: r['principalName'],
        Role: r['roleDefinitionName'],
        Scope: r['scope'],
      })),
    run: (ctx, args) => {
      const all = args.flag('show_all');
      if (all && (args.str('resource_group_name') || args.str('scope'))) {
        throw new AzCliError('group or scope are not required when --all is used');
      }
      const scope = all ? undefined : buildScope(ctx, args.str('resource_group_name'), args.str('scope'));
      return searchAssignments(ctx, scope, args.str('assignee'), args.str('role'), args.flag('include_inherited')).map(a =>
        listedRoleAssignment(ctx.lab, a),
      );
    },
  },
  {
    name: 'role assignment delete',
    summary: 'Delete role assignments.',
    mutates: true,
    options: [
      {
        dest: 'ids',
        names: ['--ids'],
        kind: 'list',
        help: "space-separated role assignment ids. You should provide either --ids or other 'Resource Id' arguments.",
      },
      ASSIGNEE,
      ROLE,
      GROUP,
      SCOPE,
      INCLUDE_INHERITED,
      YES,
    ],
    run: (ctx, args) => {
      const ids = args.list('ids');
      if (ids?.length) {
        for (const option of ['assignee', 'role', 'resource_group_name', 'scope'] as const) {
          if (args.str(option)) {
            ctx.warn(
              `option '${option === 'resource_group_name' ? '--resource-group' : `--${option}`}' will be ignored due to use of '--ids'.`,
            );
          }
        }
        const found = ids.map(id => findRoleAssignment(ctx.lab, id)).filter(a => a !== undefined);
        for (const a of found) authorize(ctx.lab, ctx.caller, 'Microsoft.Authorization/roleAssignments/delete', a.scope);
        for (const a of found) deleteRoleAssignment(ctx.lab, ctx.caller, a.name);
        return undefined;
      }
      if (!['assignee', 'role', 'resource_group_name', 'scope'].some(o => args.str(o)) && !args.flag('yes')) {
        throw new AzCliError('Unable to prompt for confirmation as no tty available. Use --yes.');
      }
      const scope = buildScope(ctx, args.str('resource_group_name'), args.str('scope'));
      const matched = searchAssignments(ctx, scope, args.str('assignee'), args.str('role'), args.flag('include_inherited'));
      if (matched.length === 0) throw new AzCliError('No matched assignments were found to delete');
      // All or nothing: every deletion is authorized before the first one happens.
      for (const a of matched) authorize(ctx.lab, ctx.caller, 'Microsoft.Authorization/roleAssignments/delete', a.scope);
      for (const a of matched) deleteRoleAssignment(ctx.lab, ctx.caller, a.name);
      return undefined;
    },
  },
  {
    name: 'role definition create',
    summary: 'Create a custom role definition.',
    mutates: true,
    options: [
      {
        dest: 'role_definition',
        names: ['--role-definition'],
        required: true,
        freeText: true,
        help: 'Description of a role as JSON, or a path to a file containing a JSON description.',
      },
    ],
    examples: [
      {
        name: 'Create a role with read-only access to storage and network resources, and the ability to start or restart VMs.',
        text: 'az role definition create --role-definition \'{"Name": "Contoso On-call", "Description": "Perform VM actions and read storage and network information.", "Actions": ["Microsoft.Compute/*/read", "Microsoft.Compute/virtualMachines/start/action"], "DataActions": [], "NotDataActions": [], "AssignableScopes": ["/subscriptions/00000000-0000-0000-0000-000000000000"]}\'',
      },
    ],
    run: (ctx, args) => {
      const text = args.req('role_definition');
      if (!text.trimStart().startsWith('{')) throw new AzCliError('The lab cannot read files: pass --role-definition as inline JSON.');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new AzCliError(`Failed to parse string as JSON:\n${text}\nError detail: ${(error as Error).message}`);
      }
      if (!isJsonObject(parsed)) {
        throw new AzCliError('Invalid role definition. A valid dictionary JSON representation is expected.');
      }
      // role/custom.py: property names are camel-cased first ("Actions" -> "actions").
      const definition = Object.fromEntries(
        Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]),
      );
      const roleName = definition['name'] ?? definition['roleName'];
      if (typeof roleName !== 'string' || !roleName) throw new AzCliError('please provide role name');
      const strings = (key: string): string[] => (Array.isArray(definition[key]) ? (definition[key] as unknown[]).map(String) : []);
      if (strings('assignableScopes').length === 0) throw new AzCliError("please provide 'assignableScopes'");
      const role = createCustomRole(ctx.lab, ctx.caller, {
        roleName,
        ...(typeof definition['description'] === 'string' ? { description: definition['description'] } : {}),
        actions: strings('actions'),
        notActions: strings('notActions'),
        dataActions: strings('dataActions'),
        notDataActions: strings('notDataActions'),
        assignableScopes: strings('assignableScopes'),
      });
      return roleDefinitionOutput(ctx.lab.roles.get(role.name)!, ctx.subscriptionId);
    },
  },
  {
    name: 'role definition list',
    summary: 'List role definitions.',
    options: [
      { dest: 'name', names: ['--name', '-n'], help: "Matches the role definition's name (GUID) or roleName (e.g. 'Reader') property." },
      {
        dest: 'custom_role_only',
        names: ['--custom-role-only'],
        choices: ['false', 'true'],
        help: 'Custom roles only (vs. build-in ones).',
      },
      GROUP,
      SCOPE,
    ],
    // role/commands.py transform_definition_list.
    tableTransformer: rows =>
      (rows as Array<Record<string, unknown>>).map(r => ({ Name: r['roleName'], Type: r['type'], Description: r['description'] })),
    run: (ctx, args) => {
      buildScope(ctx, args.str('resource_group_name'), args.str('scope'));
      const name = args.str('name');
      const customOnly = args.str('custom_role_only') === 'true';
      // role/custom.py _search_role_definitions: the GUID or the exact roleName (case-sensitive there).
      return ctx.lab.roles.all
        .filter(r => !name || r.name === name || r.roleName === name)
        .filter(r => !customOnly || r.roleType === 'CustomRole')
        .map(r => roleDefinitionOutput(r, ctx.subscriptionId));
    },
  },
];
