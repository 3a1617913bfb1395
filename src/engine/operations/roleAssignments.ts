// Creating and deleting role assignments and custom roles, with ARM's validation and errors
// (texts from azure-docs role-based-access-control/troubleshooting.md and the az-shapes file).
// With realistic RBAC propagation (state/propagation.ts) a new assignment reaches decisions
// only after the delay, and a deleted one keeps granting until its removal has propagated.
import { resourceNotFound } from './messages';
import type { Lab } from '../lab/lab';
import type { Caller } from '../lab/authorization';
import { authorize } from '../lab/authorization';
import { LabError } from '../base/errors';
import { isGuid, newGuid } from '../base/ids';
import type { CustomRoleState, ReadonlyCustomRole, ReadonlyRoleAssignment, RoleAssignmentState } from '../state/labState';
import { mutable } from '../lab/mutable';
import { idKey, isAtOrAbove, parseResourceId, type ParsedResourceId } from '../azure/resourceId';
import type { RoleDefinition } from '../state/roleDefinitions';
import { roleDefinitionId, roleGuidOf } from '../state/roleDefinitions';

export type PrincipalType = RoleAssignmentState['principalType'];

export interface RoleAssignmentRequest {
  scope: string;
  /** Role name, GUID or role definition id. */
  role: string;
  principalId: string;
  /** When given, ARM does not look the principal up (useful right after creating it). */
  principalType?: PrincipalType;
  /** The assignment's GUID; a new one when absent. */
  name?: string;
  description?: string;
}

export const roleAssignmentId = (scope: string, name: string): string =>
  `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;

const ASSIGNMENT_ID = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments\/([0-9a-f-]{36})$/i;

/** Validates a scope the way ARM does and checks that it exists. */
export function requireScope(lab: Lab, scope: string): ParsedResourceId {
  let parsed: ParsedResourceId;
  try {
    parsed = parseResourceId(scope);
  } catch {
    throw new LabError(
      'MissingSubscription',
      'The request did not have a subscription or a valid tenant level resource provider.',
      400,
      'scope',
    );
  }
  if (parsed.kind === 'tenant') return parsed;
  if (!lab.arm.subscription(parsed.subscriptionId!)) {
    throw new LabError('SubscriptionNotFound', `The subscription '${parsed.subscriptionId}' could not be found.`, 404, 'scope');
  }
  if (parsed.resourceGroup !== undefined && !lab.arm.group(parsed.subscriptionId!, parsed.resourceGroup)) {
    throw new LabError('ResourceGroupNotFound', `Resource group '${parsed.resourceGroup}' could not be found.`, 404, 'scope');
  }
  if (parsed.kind === 'resource' && !lab.arm.resource(parsed.id)) {
    // A scope below a resource that exists (a secret, a container) is still a valid scope.
    const top = parsed.id.split('/').slice(0, 9).join('/');
    if (!lab.arm.resource(top)) {
      throw new LabError('ResourceNotFound', resourceNotFound(parsed), 404, 'scope');
    }
  }
  return parsed;
}

export function requireRole(lab: Lab, role: string): RoleDefinition {
  const byId = lab.roles.get(role);
  if (byId) return byId;
  const guid = roleGuidOf(role);
  if (guid) {
    throw new LabError(
      'RoleDefinitionNotFound',
      `The specified role definition with ID '${guid.replace(/-/g, '')}' does not exist.`,
      404,
      'role',
    );
  }
  const named = lab.roles.named(role);
  if (named.length === 0) throw new LabError('RoleDefinitionNotFound', `Role '${role}' doesn't exist.`, 404, 'role');
  if (named.length > 1) {
    throw new LabError(
      'InvalidArgument',
      `More than one role matches the given name '${role}'. Please pick a value from '${named.map(r => r.name).join(', ')}'`,
      400,
      'role',
    );
  }
  return named[0]!;
}

function principalTypeOf(lab: Lab, principalId: string): PrincipalType | undefined {
  if (lab.directory.group(principalId)) return 'Group';
  const principal = lab.directory.principal(principalId);
  return principal ? (principal.kind === 'User' ? 'User' : 'ServicePrincipal') : undefined;
}

/** The lab time a change made now reaches decisions, with realistic propagation (undefined: at once). */
function propagatesAt(lab: Lab, now: number): number | undefined {
  const { mode, delaySeconds } = lab.settings.rbacPropagation;
  return mode === 'realistic' ? now + delaySeconds * 1000 : undefined;
}

/** `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name}`. */
export function createRoleAssignment(lab: Lab, caller: Caller, request: RoleAssignmentRequest): ReadonlyRoleAssignment {
  const scope = requireScope(lab, request.scope).id;
  const role = requireRole(lab, request.role);
  if (role.roleType === 'CustomRole' && !role.assignableScopes.some(s => isAtOrAbove(s, scope))) {
    throw new LabError(
      'InvalidArgument',
      `The role definition '${role.name}' is not assignable at scope '${scope}': its assignable scopes are ${role.assignableScopes.join(', ')}.`,
      400,
      'scope',
    );
  }
  if (!isGuid(request.principalId)) {
    throw new LabError('InvalidArgument', `The principal id '${request.principalId}' is not a valid GUID.`, 400, 'principalId');
  }
  const actualType = principalTypeOf(lab, request.principalId);
  if (!actualType && !request.principalType) {
    throw new LabError(
      'PrincipalNotFound',
      `Principal ${request.principalId.replace(/-/g, '')} does not exist in the directory ${lab.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
      400,
      'principalId',
    );
  }
  if (actualType && request.principalType && actualType !== request.principalType) {
    throw new LabError(
      'InvalidArgument',
      `The PrincipalId '${request.principalId.replace(/-/g, '')}' has type '${actualType}' , which is different from specified PrincipalType '${request.principalType}'.`,
      400,
      'principalType',
    );
  }
  if (request.name !== undefined && !isGuid(request.name)) {
    throw new LabError(
      'InvalidArgument',
      `The role assignment ID '${request.name}' is not valid. The role assignment ID must be a GUID.`,
      400,
      'name',
    );
  }
  authorize(lab, caller, 'Microsoft.Authorization/roleAssignments/write', scope);

  const existing = lab.assignments.find(request.principalId, role.name, scope);
  if (request.name !== undefined) {
    const named = lab.assignments.get(request.name);
    if (named) {
      if (named === existing) return named;
      throw new LabError(
        'RoleAssignmentUpdateNotPermitted',
        'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
        409,
        'name',
      );
    }
  }
  if (existing) throw new LabError('RoleAssignmentExists', 'The role assignment already exists.', 409);

  const parsed = parseResourceId(scope);
  const subscription = parsed.subscriptionId ?? lab.defaultSubscriptionId;
  const now = lab.clock.now();
  const inEffectFrom = propagatesAt(lab, now);
  const assignment: RoleAssignmentState = {
    name: (request.name ?? newGuid()).toLowerCase(),
    scope,
    roleDefinitionId: roleDefinitionId(subscription, role.name),
    principalId: request.principalId.toLowerCase(),
    principalType: actualType ?? request.principalType!,
    ...(request.description ? { description: request.description } : {}),
    createdOn: now,
    createdBy: caller.kind === 'principal' ? caller.objectId : lab.directory.user.objectId,
    ...(inEffectFrom !== undefined ? { inEffectFrom } : {}),
  };
  const parts = mutable(lab);
  parts.removedAssignments.prune(now);
  parts.assignments.add(assignment);
  lab.notify('roleAssignments');
  return assignment;
}

/** Finds an assignment by its full id (`{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}`) or GUID. */
export function findRoleAssignment(lab: Lab, idOrName: string): ReadonlyRoleAssignment | undefined {
  const trimmed = idOrName.trim();
  if (isGuid(trimmed)) return lab.assignments.get(trimmed);
  const match = ASSIGNMENT_ID.exec(trimmed);
  if (!match) return undefined;
  const found = lab.assignments.get(match[2]!);
  return found && idKey(found.scope) === idKey(match[1] || '/') ? found : undefined;
}

/** `DELETE …/roleAssignments/{name}`: returns the deleted assignment, or undefined when there was none (ARM answers 204). */
export function deleteRoleAssignment(lab: Lab, caller: Caller, idOrName: string): ReadonlyRoleAssignment | undefined {
  const assignment = findRoleAssignment(lab, idOrName);
  if (!assignment) return undefined;
  authorize(lab, caller, 'Microsoft.Authorization/roleAssignments/delete', assignment.scope);
  lab.checkpoint(`Remove role assignment ${assignment.name}`);
  const parts = mutable(lab);
  const now = lab.clock.now();
  const removed = parts.assignments.remove(assignment.name)!;
  parts.removedAssignments.prune(now);
  const until = propagatesAt(lab, now);
  // ARM lists it no more at once; decisions see it until its removal has propagated.
  if (until !== undefined) parts.removedAssignments.add({ ...removed, removedOn: now, inEffectUntil: until });
  lab.notify('roleAssignments');
  return assignment;
}

/** A role assignment whose principal no longer exists: the portal shows "Identity not found". */
export const isOrphaned = (lab: Lab, assignment: ReadonlyRoleAssignment): boolean =>
  !lab.directory.principal(assignment.principalId) && !lab.directory.group(assignment.principalId);

export interface CustomRoleRequest {
  roleName: string;
  description?: string;
  actions?: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
  assignableScopes: string[];
  name?: string;
}

const ACTION_PATTERN = /^(\*|[A-Za-z0-9.*-]+(\/[A-Za-z0-9.*_-]+)*)$/;

/** `PUT /{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}` for a new custom role. */
export function createCustomRole(lab: Lab, caller: Caller, request: CustomRoleRequest): ReadonlyCustomRole {
  const roleName = request.roleName.trim();
  if (!roleName) throw new LabError('InvalidRoleDefinition', 'The role definition must have a roleName.', 400, 'roleName');
  if (lab.roles.named(roleName).length > 0) {
    throw new LabError(
      'RoleDefinitionExists',
      'A custom role with the same name already exists in this directory. Use a different name.',
      409,
      'roleName',
    );
  }
  const permissions = {
    actions: request.actions ?? [],
    notActions: request.notActions ?? [],
    dataActions: request.dataActions ?? [],
    notDataActions: request.notDataActions ?? [],
  };
  if (permissions.actions.length === 0 && permissions.dataActions.length === 0) {
    throw new LabError('InvalidRoleDefinition', 'The role definition must grant at least one action or data action.', 400, 'permissions');
  }
  for (const [field, list] of Object.entries(permissions)) {
    const bad = list.find(a => !ACTION_PATTERN.test(a));
    if (bad !== undefined) throw new LabError('InvalidRoleDefinition', `The ${field} entry '${bad}' is not a valid action.`, 400, field);
  }
  if (request.assignableScopes.length === 0) {
    throw new LabError('InvalidRoleDefinition', 'The role definition must have at least one assignable scope.', 400, 'assignableScopes');
  }
  const scopes = request.assignableScopes.map(s => requireScope(lab, s).id);
  for (const scope of scopes) authorize(lab, caller, 'Microsoft.Authorization/roleDefinitions/write', scope);
  const role: CustomRoleState = {
    name: (request.name ?? newGuid()).toLowerCase(),
    roleName,
    description: request.description ?? '',
    permissions: [permissions],
    assignableScopes: scopes,
    createdOn: lab.clock.now(),
  };
  mutable(lab).roles.addCustom(role);
  lab.access.invalidate();
  lab.notify('roleDefinitions');
  return role;
}

export function deleteCustomRole(lab: Lab, caller: Caller, role: string): ReadonlyCustomRole | undefined {
  const definition = requireRole(lab, role);
  if (definition.roleType !== 'CustomRole') {
    throw new LabError('InvalidArgument', `'${definition.roleName}' is a built-in role and cannot be deleted.`, 400, 'role');
  }
  if (lab.assignments.all.some(a => roleGuidOf(a.roleDefinitionId) === definition.name)) {
    throw new LabError(
      'RoleDefinitionHasAssignments',
      'There are existing role assignments referencing role (code: RoleDefinitionHasAssignments)',
      409,
      'role',
    );
  }
  for (const scope of definition.assignableScopes) authorize(lab, caller, 'Microsoft.Authorization/roleDefinitions/delete', scope);
  const state = lab.roles.customRoles.find(r => r.name === definition.name);
  lab.checkpoint(`Delete custom role ${definition.roleName}`);
  mutable(lab).roles.removeCustom(definition.name);
  lab.access.invalidate();
  lab.notify('roleDefinitions');
  return state;
}
