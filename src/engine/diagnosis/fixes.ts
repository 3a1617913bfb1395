// Fixes as data, and running them: each FixAction is carried out by the engine operation of
// the same name, as the caller given (the learner: RBAC applies to the fix too), after a
// checkpoint so Undo takes it back. `rerun` is the app's side: the host adapter runs it.
import type { Lab } from '../lab/lab';
import type { Caller } from '../lab/authorization';
import { LAB_CALLER } from '../lab/authorization';
import { AccessDecider, suggestedScope } from '../state/accessDecisions';
import { RoleDefinitions } from '../state/roleDefinitions';
import { RoleAssignmentStore } from '../state/roleAssignments';
import type { Plane } from '../azure/permissions';
import { planeOf } from '../azure/actions';
import { parseResourceId } from '../azure/resourceId';
import { setKeyVaultAccessPolicy } from '../operations/keyVaultPolicies';
import { createRoleAssignment, deleteRoleAssignment } from '../operations/roleAssignments';
import { assignUserIdentities, enableSystemAssigned } from '../operations/identities';
import { setHostFaults } from '../operations/faults';
import { addFederatedCredential, addPassword } from '../operations/applications';
import { learnerCaller } from '../services/dataCaller';
import { loginAsPrincipal } from '../services/sql/login';
import { runBatch } from '../services/sql/batch';
import { LabError } from '../base/errors';
import type { Fix, FixAction } from './model';
import { usableId, vaultInLab } from './bind';

/** The built-in roles alone, for texts diagnosed without a lab. */
const BUILT_INS = new AccessDecider(new RoleDefinitions([]), new RoleAssignmentStore([]));

/** The least-privileged built-in role granting `action` (the lab's own roles when there is a lab). */
export function leastPrivilegedRole(lab: Lab | undefined, action: string, plane: Plane = planeOf(action)): string | undefined {
  return (lab?.access ?? BUILT_INS).leastPrivileged(action, plane)?.roleName;
}

export const PLACEHOLDER = { principal: '<principal-object-id>', scope: '<scope>' } as const;

/** Assign the least-privileged role for `action` at the narrowest sensible scope; placeholders where the facts gave nothing. */
export function roleFix(
  lab: Lab | undefined,
  request: {
    principalId?: string | undefined;
    principalType?: 'ServicePrincipal' | 'User';
    action: string;
    scope?: string | undefined;
    plane?: Plane;
  },
): Fix | undefined {
  const role = leastPrivilegedRole(lab, request.action, request.plane);
  if (!role) return undefined;
  // A scope the text redacted parts of is kept as given (its placeholders show where); only a missing one is a placeholder.
  const given = request.scope && /^\/subscriptions\//i.test(request.scope) ? resourceScope(request.scope) : undefined;
  const scope = given && scopeIsUsable(given) ? given : undefined;
  const principalId = usableId(request.principalId) ? request.principalId : undefined;
  const where = (scope ?? given) ? scopeWords(lab, (scope ?? given)!) : 'the scope the request was denied at';
  return {
    title: `Assign ${role} at ${where}`,
    action: {
      kind: 'createRoleAssignment',
      principalId: principalId ?? PLACEHOLDER.principal,
      principalType: request.principalType ?? 'ServicePrincipal',
      role,
      scope: scope ?? given ?? PLACEHOLDER.scope,
    },
    runnable: !!lab && !!principalId && !!scope && !!lab.directory.principal(principalId),
  };
}

/** Where to suggest a role for a scope: the resource itself when the scope is inside one (a secret → its vault). Texts may redact ids: never throws. */
export function resourceScope(scope: string): string {
  try {
    return suggestedScope(scope);
  } catch {
    const parts = scope.split('/');
    return parts.length > 9 && parts[5]?.toLowerCase() === 'providers' ? parts.slice(0, 9).join('/') : scope;
  }
}

function scopeIsUsable(scope: string): boolean {
  try {
    const parsed = parseResourceId(scope);
    return !/[<>{}*]|x{4,}/i.test(scope) && parsed.kind !== 'tenant';
  } catch {
    return false;
  }
}

/** A scope in words: the resource's name and type when the lab has it. */
export function scopeWords(lab: Lab | undefined, scope: string): string {
  const parsed = (() => {
    try {
      return parseResourceId(scope);
    } catch {
      return undefined;
    }
  })();
  if (!parsed) {
    const named = /\/providers\/[^/]+\/[^/]+\/([^/]+)(?:\/[^/]+\/([^/]+))?/i.exec(scope);
    return named ? [named[1], named[2]].filter(Boolean).join('/') : scope;
  }
  if (parsed.kind === 'subscription') {
    return `subscription ${lab?.arm.subscription(parsed.subscriptionId!)?.displayName ?? parsed.subscriptionId}`;
  }
  if (parsed.kind === 'resourceGroup') return `resource group ${parsed.resourceGroup}`;
  if (parsed.kind === 'resource') return parsed.names.join('/');
  return scope;
}

/** Carries out a fix; returns what it did, in a sentence. Throws the operation's LabError when the lab refuses it. */
export async function applyFix(lab: Lab, caller: Caller, action: Exclude<FixAction, { kind: 'rerun' }>): Promise<string> {
  lab.checkpoint(`Diagnosis fix: ${action.kind}`);
  switch (action.kind) {
    case 'createRoleAssignment': {
      const created = createRoleAssignment(lab, caller, {
        principalId: action.principalId,
        principalType: action.principalType,
        role: action.role,
        scope: action.scope,
      });
      return `Assigned ${action.role} at ${created.scope}.`;
    }
    case 'deleteRoleAssignment':
      deleteRoleAssignment(lab, caller, action.name);
      return `Removed ${action.role} at ${action.scope}.`;
    case 'enableSystemAssigned': {
      const ids = enableSystemAssigned(lab, caller, action.resourceId);
      return `Turned on the system-assigned identity (principal ${ids.principalId}).`;
    }
    case 'assignUserIdentities':
      assignUserIdentities(lab, caller, action.resourceId, action.identityIds);
      return `Attached ${action.identityIds.length} user-assigned identit${action.identityIds.length === 1 ? 'y' : 'ies'}.`;
    case 'createSqlUser': {
      // T-SQL run as the learner, who must be the server's Microsoft Entra admin (or a user allowed to create users).
      const login = loginAsPrincipal(lab, learnerCaller(lab), { server: action.server, database: action.database });
      if (!login.ok) throw login.error;
      const roles = action.roles.map(r => `ALTER ROLE ${r} ADD MEMBER [${action.userName}]`);
      runBatch(login.session, [`CREATE USER [${action.userName}] FROM EXTERNAL PROVIDER`, ...roles].join('; '));
      return `Created the contained user [${action.userName}] in ${action.database}${action.roles.length ? ` (${action.roles.join(', ')})` : ''}.`;
    }
    case 'addFederatedCredential':
      addFederatedCredential(lab, action.target, { name: action.name, issuer: action.issuer, subject: action.subject });
      return `Added the federated credential '${action.name}' for ${action.subject}.`;
    case 'addClientSecret': {
      const { credential } = await addPassword(lab, action.appId, 'diagnosis fix');
      return `Added a new client secret (hint ${credential.hint}…); the app must use its value.`;
    }
    case 'clearEndpointFault':
      setHostFaults(lab, action.hostId, { failure: 'none' });
      return 'Cleared the simulated endpoint fault.';
    case 'setKeyVaultAccessPolicy': {
      const vault = vaultInLab(lab, action.vaultName);
      if (!vault) throw new LabError('ResourceNotFound', `The lab has no Key Vault '${action.vaultName}'.`, 404, 'vault');
      setKeyVaultAccessPolicy(lab, caller, vault.id, action.objectId, action.secretPermissions, true);
      return `Granted secrets ${action.secretPermissions.join(', ')} to ${action.objectId} in ${vault.name}'s access policies.`;
    }
  }
}

/** The lab itself (building a reproduction) runs fixes unchecked; people run them as themselves. */
export const REPRODUCTION_CALLER = LAB_CALLER;
