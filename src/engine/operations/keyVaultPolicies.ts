// A vault's access policies (the permission model before Azure RBAC): `PUT …/vaults/{v}/accessPolicies/add`
// as `az keyvault set-policy` sends it — the secret permissions of one principal, replaced or merged —
// and the vault's permission model itself (`enableRbacAuthorization`, `az keyvault update`).
import type { Lab } from '../lab/lab';
import type { Caller } from '../lab/authorization';
import { authorize } from '../lab/authorization';
import { LabError } from '../base/errors';
import { parseResourceId } from '../azure/resourceId';
import { accessPoliciesOf } from '../state/resourceProperties';
import type { ReadonlyResource } from '../state/labState';
import { createOrUpdateResource, requireResource } from './resources';

/** Key Vault's secret permissions (az keyvault set-policy --secret-permissions). */
export const SECRET_PERMISSIONS = ['all', 'backup', 'delete', 'get', 'list', 'purge', 'recover', 'restore', 'set'] as const;

/** Sets (or, with `merge`, adds to) one principal's secret permissions in a vault's access policies. */
export function setKeyVaultAccessPolicy(
  lab: Lab,
  caller: Caller,
  vaultId: string,
  objectId: string,
  secretPermissions: readonly string[],
  merge = false,
): ReadonlyResource {
  const vault = requireResource(lab, vaultId);
  const wrong = secretPermissions.find(p => !(SECRET_PERMISSIONS as readonly string[]).includes(p.toLowerCase()));
  if (wrong !== undefined) {
    throw new LabError(
      'InvalidArgument',
      `'${wrong.slice(0, 40)}' is not a secret permission (${SECRET_PERMISSIONS.join(', ')}).`,
      400,
      'secretPermissions',
    );
  }
  authorize(lab, caller, 'Microsoft.KeyVault/vaults/accessPolicies/write', vault.id);
  const policies = accessPoliciesOf(vault);
  const existing = policies.find(p => p.objectId.toLowerCase() === objectId.toLowerCase());
  const secrets = [...new Set([...(merge ? (existing?.permissions.secrets ?? []) : []), ...secretPermissions.map(p => p.toLowerCase())])];
  return updateVault(lab, caller, vault, {
    accessPolicies: [
      ...policies.filter(p => p !== existing),
      { tenantId: lab.tenantId, objectId, permissions: { ...(existing?.permissions ?? {}), secrets } },
    ],
  });
}

/** The vault's permission model: Azure RBAC (true) or access policies (false). */
export function setKeyVaultRbacAuthorization(lab: Lab, caller: Caller, vaultId: string, enabled: boolean): ReadonlyResource {
  return updateVault(lab, caller, requireResource(lab, vaultId), { enableRbacAuthorization: enabled });
}

/** A PUT of the vault with these properties changed, as ARM applies it. */
function updateVault(lab: Lab, caller: Caller, vault: ReadonlyResource, properties: Record<string, unknown>): ReadonlyResource {
  const parsed = parseResourceId(vault.id);
  return createOrUpdateResource(lab, caller, {
    subscriptionId: parsed.subscriptionId!,
    resourceGroup: parsed.resourceGroup!,
    type: 'keyvault',
    name: vault.name,
    properties,
  });
}
