// What ARM returns on GET: the lab's resources, groups and role assignments in Azure
// Resource Manager's JSON shapes (type-specific properties nested under `properties`, the
// `identity` in common-types' ManagedServiceIdentity shape). The `az` surface flattens
// these the way each az command does; the ARM endpoint serves them as they are.
import type { Lab } from '../lab/lab';
import type { ReadonlyResourceGroup, ReadonlyResource, ReadonlyRoleAssignment } from '../state/labState';
import { armIdentity } from '../operations/identities';
import { resourceGroupId } from '../azure/resourceId';
import { resourceTypeOf } from '../azure/resourceTypes';
import { roleAssignmentId } from '../operations/roleAssignments';
import type { RoleDefinition } from '../state/roleDefinitions';
import { roleDefinitionId } from '../state/roleDefinitions';
import { issuerUrlOf } from '../services/entra/workloadIssuer';
import type { ServiceUrls } from '../azure/serviceDomains';
import type { ResourceProvider } from '../azure/providers';
import { LOCATIONS, locationDisplayName } from '../azure/locations';

export type Json = Record<string, unknown>;

export function resourceGroupJson(group: ReadonlyResourceGroup): Json {
  return {
    id: resourceGroupId(group.subscriptionId, group.name),
    name: group.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: group.location,
    managedBy: null,
    tags: { ...group.tags },
    properties: { provisioningState: 'Succeeded' },
  };
}

/** Properties ARM computes rather than stores: endpoints and ids that depend on where the lab runs (and how the caller reached it). */
function computedProperties(lab: Lab, resource: ReadonlyResource, urls: ServiceUrls): Json {
  const info = resourceTypeOf(resource.type, resource.kind);
  switch (info?.key) {
    case 'keyvault':
      return { vaultUri: urls.vault(resource.name), tenantId: lab.tenantId };
    case 'storage': {
      const blob = urls.blob(resource.name);
      return {
        primaryEndpoints: {
          blob,
          dfs: `https://${resource.name}.dfs.core.windows.net/`,
          file: `https://${resource.name}.file.core.windows.net/`,
          queue: `https://${resource.name}.queue.core.windows.net/`,
          table: `https://${resource.name}.table.core.windows.net/`,
          web: `https://${resource.name}.z13.web.core.windows.net/`,
        },
        primaryLocation: resource.location,
        statusOfPrimary: 'available',
      };
    }
    case 'identity':
      return { tenantId: lab.tenantId, principalId: resource.managedIdentity?.principalId, clientId: resource.managedIdentity?.clientId };
    case 'vm':
      return { vmId: stableGuid(resource.id) };
    case 'aks':
      // Workload identity: the cluster's OIDC issuer, which federated credentials name (az aks show --query oidcIssuerProfile.issuerUrl).
      return {
        oidcIssuerProfile: { enabled: true, issuerURL: issuerUrlOf(lab, resource) },
        securityProfile: { workloadIdentity: { enabled: true } },
      };
    default:
      return {};
  }
}

/** A resource as its provider's GET returns it. `urls`: the data-plane URLs as the caller reaches them (default: the lab's). */
export function resourceJson(lab: Lab, resource: ReadonlyResource, urls: ServiceUrls = lab.serviceUrls): Json {
  const view = genericResourceJson(lab, resource);
  view['properties'] = { ...resource.properties, ...computedProperties(lab, resource, urls), provisioningState: 'Succeeded' };
  return view;
}

/** A resource as `GET /subscriptions/{id}/resources` lists it: ARM's generic envelope, without `properties`. */
export function genericResourceJson(lab: Lab, resource: ReadonlyResource): Json {
  const view: Json = { id: resource.id, name: resource.name.split('/').pop(), type: resource.type, location: resource.location };
  if (resource.kind) view['kind'] = resource.kind;
  view['tags'] = { ...resource.tags };
  const identity = armIdentity(lab, resource);
  if (identity) view['identity'] = identity;
  return view;
}

/** A resource provider as `GET [/subscriptions/{id}]/providers/{namespace}` returns it. */
export function providerJson(provider: ResourceProvider, subscriptionId?: string): Json {
  return {
    id: `${subscriptionId ? `/subscriptions/${subscriptionId}` : ''}/providers/${provider.namespace}`,
    namespace: provider.namespace,
    resourceTypes: provider.resourceTypes.map(t => ({
      resourceType: t.resourceType,
      locations: LOCATIONS.map(locationDisplayName),
      apiVersions: [...t.apiVersions],
    })),
    ...(subscriptionId ? { registrationState: 'Registered', registrationPolicy: 'RegistrationRequired' } : {}),
  };
}

/** A role assignment as ARM returns it: the fields nested under `properties`. */
export function roleAssignmentJson(assignment: ReadonlyRoleAssignment): Json {
  return {
    id: roleAssignmentId(assignment.scope, assignment.name),
    name: assignment.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      roleDefinitionId: assignment.roleDefinitionId,
      principalId: assignment.principalId,
      principalType: assignment.principalType,
      scope: assignment.scope,
      condition: null,
      conditionVersion: null,
      createdOn: new Date(assignment.createdOn).toISOString(),
      updatedOn: new Date(assignment.createdOn).toISOString(),
      createdBy: assignment.createdBy,
      updatedBy: assignment.createdBy,
      delegatedManagedIdentityResourceId: null,
      description: assignment.description ?? null,
    },
  };
}

export function roleDefinitionJson(role: RoleDefinition, subscriptionId: string): Json {
  return {
    id: roleDefinitionId(subscriptionId, role.name),
    name: role.name,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: role.roleName,
      type: role.roleType,
      description: role.description,
      assignableScopes: [...role.assignableScopes],
      permissions: role.permissions.map(p => ({
        actions: [...p.actions],
        notActions: [...p.notActions],
        dataActions: [...p.dataActions],
        notDataActions: [...p.notDataActions],
      })),
    },
  };
}

/** A GUID derived from a string, for ids Azure assigns once and never changes (a VM's `vmId`). */
function stableGuid(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 + text.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  const hex = (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).repeat(2);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
