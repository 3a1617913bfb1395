// `az vm|vmss|webapp|functionapp identity assign|remove` and `--assign-identity` on create:
// the identity arguments as azure-cli validates them (vm/_validators.py _validate_vm_vmss_msi,
// vm/custom.py _remove_identities, core/commands/arm.py assign_identity), checked in full
// before anything changes, then applied through the engine's identity lifecycle.
import { authorize } from '../../engine/lab/authorization';
import {
  enableSystemAssigned,
  assignUserIdentities,
  disableSystemAssigned,
  removeUserIdentities,
  validateIdentityRequest,
} from '../../engine/operations/identities';
import { resourceTypeOf } from '../../engine/azure/resourceTypes';
import { createRoleAssignment, requireRole, requireScope } from '../../engine/operations/roleAssignments';
import { LabError } from '../../engine/base/errors';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { CommandContext, OptionSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import { checkScopeSyntax, identityIdFor, resolveRoleArgument, SYSTEM_IDENTITY } from './common';

export const IDENTITY_ARGUMENTS = 'Managed Service Identity Arguments';

export const identitiesOption = (help: string): OptionSpec => ({
  dest: 'identities',
  names: ['--identities'],
  kind: 'list',
  optionalValues: true,
  help,
});
export const ROLE_OPTION: OptionSpec = {
  dest: 'identity_role',
  names: ['--role'],
  help: "Role name or id the managed identity will be assigned. Please note that the default value 'Contributor' will be removed in the breaking change release of the fall of 2023, so please specify '--role' and '--scope' at the same time when assigning a role to the managed identity.",
};
export const SCOPE_OPTION: OptionSpec = {
  dest: 'identity_scope',
  names: ['--scope'],
  help: "Scope that the system assigned identity can access. Please note that the 'Contributor' role will be removed in the breaking change release of the fall of 2023, so please specify '--role' and '--scope' at the same time when assigning a role to the managed identity.",
};

export interface IdentityPlan {
  system: boolean;
  userIds: string[];
  role?: string;
  scope?: string;
}

/** Splits `--identities` / `--assign-identity` values into system + user-assigned ids (no values: system). */
export function planIdentities(ctx: CommandContext, group: string, values: readonly string[] | undefined): IdentityPlan {
  const list = values && values.length ? values : [SYSTEM_IDENTITY];
  return {
    system: list.includes(SYSTEM_IDENTITY),
    userIds: list.filter(v => v !== SYSTEM_IDENTITY).map(v => identityIdFor(ctx, group, v)),
  };
}

/**
 * Checks a role assignment for a system-assigned identity that does not exist yet: the role,
 * the scope, and the learner's right to assign roles there — so that a create or assign that
 * would fail half-way fails before it starts.
 */
export function checkRoleForNewIdentity(ctx: CommandContext, role: string, scope: string): string {
  checkScopeSyntax(scope);
  const resolved = resolveRoleArgument(ctx.lab, role);
  const checkedScope = requireScope(ctx.lab, scope).id;
  requireRole(ctx.lab, resolved);
  authorize(ctx.lab, ctx.caller, 'Microsoft.Authorization/roleAssignments/write', checkedScope);
  return resolved;
}

/** Grants the resource's system-assigned identity the role (an existing grant is fine, as in az). */
export function grantRole(ctx: CommandContext, host: ReadonlyResource, role: string, scope: string): void {
  const principalId = host.identity?.systemAssigned?.principalId;
  if (!principalId) return;
  try {
    createRoleAssignment(ctx.lab, ctx.caller, { scope, role, principalId, principalType: 'ServicePrincipal' });
  } catch (error) {
    if (!(error instanceof LabError) || error.code !== 'RoleAssignmentExists') throw error;
  }
}

/** `identity assign`: validates everything, then turns identities on and grants the role. */
export function assignIdentities(ctx: CommandContext, host: ReadonlyResource, plan: IdentityPlan, options: { roleGiven: boolean }): void {
  // vm/_validators.py _validate_vm_vmss_msi (is_identity_assign=True).
  if (!plan.scope && options.roleGiven) {
    throw new AzCliError('usage error: please specify --scope when assigning a role to the managed identity');
  }
  if (plan.scope && !plan.system) throw new AzCliError("usage error: '--scope'/'--role' is only applicable when assign system identity");
  const role = plan.scope ? checkRoleForNewIdentity(ctx, plan.role ?? 'Contributor', plan.scope) : undefined;
  const info = resourceTypeOf(host.type, host.kind);
  authorize(ctx.lab, ctx.caller, `${host.type}/write`, host.id);
  if (info && plan.userIds.length) validateIdentityRequest(ctx.lab, ctx.caller, info, host.id, { userAssigned: plan.userIds });
  if (plan.system) enableSystemAssigned(ctx.lab, ctx.caller, host.id);
  if (plan.userIds.length) assignUserIdentities(ctx.lab, ctx.caller, host.id, plan.userIds);
  if (role && plan.scope) grantRole(ctx, host, role, plan.scope);
}

/** `identity remove`: `[system]` (the default) and/or user-assigned ids, each of which must be attached. */
export function removeIdentities(ctx: CommandContext, host: ReadonlyResource, plan: IdentityPlan): void {
  const attached = new Set((host.identity?.userAssigned ?? []).map(u => u.resourceId.toLowerCase()));
  const missing = plan.userIds.map(id => id.toLowerCase()).filter(id => !attached.has(id));
  if (missing.length) throw new AzCliError(`'${missing.join(',')}' are not associated with '${host.name}'`);
  authorize(ctx.lab, ctx.caller, `${host.type}/write`, host.id);
  if (plan.userIds.length) removeUserIdentities(ctx.lab, ctx.caller, host.id, plan.userIds);
  if (plan.system) disableSystemAssigned(ctx.lab, ctx.caller, host.id);
}

/** The warning `az vm create --assign-identity` prints without --scope (vm/custom.py _show_missing_access_warning; "pricipal" sic). */
export function missingAccessWarning(group: string, name: string, command: string): string {
  return (
    `No access was given yet to the '${name}', because '--scope' was not provided. You should setup by creating a role assignment, e.g. ` +
    `'az role assignment create --assignee <principal-id> --role contributor -g ${group}' would let it access the current resource group. ` +
    `To get the pricipal id, run 'az ${command} show -g ${group} -n ${name} --query "identity.principalId" -otsv'`
  );
}
