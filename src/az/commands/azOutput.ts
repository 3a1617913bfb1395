// What az prints for the lab's objects: ARM's GET shapes (engine/readModels/armJson.ts) as the Python SDK
// models flatten them — most resource types lift `properties` to the top level, Key Vault and
// resource groups keep it nested — plus the CLI's own shapes (az-shapes.md §1, §5, §6).
// `resourceGroup` is not added here: azure-cli adds it to every object with an id (see
// resourceGroupTransform).
import type { Lab } from '../../engine/lab/lab';
import type { ReadonlyResourceGroup, ReadonlyResource, ReadonlyRoleAssignment } from '../../engine/state/labState';
import { resourceGroupJson, resourceJson } from '../../engine/readModels/armJson';
import { armIdentity } from '../../engine/operations/identities';
import { roleAssignmentId } from '../../engine/operations/roleAssignments';
import type { RoleDefinition } from '../../engine/state/roleDefinitions';
import { roleDefinitionId, roleGuidOf } from '../../engine/state/roleDefinitions';
import { resourceTypeOf } from '../../engine/azure/resourceTypes';
import { isoTime } from './common';

export type Json = Record<string, unknown>;

export function groupOutput(group: ReadonlyResourceGroup): Json {
  const view = resourceGroupJson(group);
  // ARM omits `tags` on a group that has none; the SDK model then prints null.
  return { ...view, tags: Object.keys(group.tags).length ? { ...group.tags } : null };
}

/** `az identity create/show` (az-shapes §1c): no clientSecretUrl, `systemData: null`. */
export function identityOutput(lab: Lab, identity: ReadonlyResource): Json {
  return {
    clientId: identity.managedIdentity?.clientId,
    id: identity.id,
    location: identity.location,
    name: identity.name,
    principalId: identity.managedIdentity?.principalId,
    systemData: null,
    tags: { ...identity.tags },
    tenantId: lab.tenantId,
    type: identity.type,
  };
}

/** The ARM identity object (`az vm identity show`, `az webapp identity assign/show`), or undefined. */
export const identityObject = (lab: Lab, resource: ReadonlyResource): Json | undefined => armIdentity(lab, resource) as Json | undefined;

/** `az vm identity assign` and `az vm create --assign-identity` (azure-cli vm/custom.py _construct_identity_info). */
export function assignedIdentityInfo(lab: Lab, resource: ReadonlyResource, scope?: string, role?: string): Json {
  const identity = armIdentity(lab, resource);
  const info: Json = {};
  if (scope) {
    info['scope'] = scope;
    info['role'] = role;
  }
  info['userAssignedIdentities'] = identity?.userAssignedIdentities ?? {};
  info['systemAssignedIdentity'] = identity?.principalId ?? '';
  return info;
}

/** A resource as the SDK model prints it: `properties` lifted to the top level for most types. */
export function resourceOutput(lab: Lab, resource: ReadonlyResource): Json {
  const view = resourceJson(lab, resource);
  const { properties, ...top } = view as Json & { properties: Json };
  const key = resourceTypeOf(resource.type, resource.kind)?.key;
  if (key === 'keyvault') {
    return {
      ...top,
      properties: {
        ...properties,
        enablePurgeProtection: properties['enablePurgeProtection'] ?? null,
        networkAcls: null,
        publicNetworkAccess: 'Enabled',
      },
      systemData: systemData(lab, resource),
    };
  }
  const flat: Json = { ...top, ...properties };
  // The SDK models of identity-capable resources print `identity: null` when there is none.
  const info = resourceTypeOf(resource.type, resource.kind);
  if ((info?.systemAssigned || info?.userAssigned) && !('identity' in flat)) flat['identity'] = null;
  if (key === 'vm' || key === 'vmss') flat['timeCreated'] = isoTime(resource.createdAt);
  return flat;
}

/** `az sql server create|show` (real captures of azure-cli 2.6x output; the SDK's Server model, flattened). */
export function sqlServerOutput(lab: Lab, server: ReadonlyResource): Json {
  const admin = server.properties['administrators'] as Json | undefined;
  return {
    administratorLogin: server.properties['administratorLogin'] ?? null,
    administratorLoginPassword: null,
    administrators: admin
      ? {
          administratorType: admin['administratorType'] ?? 'ActiveDirectory',
          azureAdOnlyAuthentication: admin['azureADOnlyAuthentication'] ?? null,
          login: admin['login'] ?? null,
          principalType: admin['principalType'] ?? null,
          sid: admin['sid'] ?? null,
          tenantId: admin['tenantId'] ?? lab.tenantId,
        }
      : null,
    externalGovernanceStatus: 'Disabled',
    federatedClientId: null,
    fullyQualifiedDomainName: `${server.name}.database.windows.net`,
    id: server.id,
    identity: identityObject(lab, server) ?? null,
    isIPv6Enabled: null,
    keyId: null,
    kind: 'v12.0',
    location: server.location,
    minimalTlsVersion: server.properties['minimalTlsVersion'] ?? '1.2',
    name: server.name,
    primaryUserAssignedIdentityId: null,
    privateEndpointConnections: [],
    publicNetworkAccess: server.properties['publicNetworkAccess'] ?? 'Enabled',
    restrictOutboundNetworkAccess: 'Disabled',
    state: 'Ready',
    tags: Object.keys(server.tags).length ? { ...server.tags } : null,
    type: server.type,
    version: '12.0',
    workspaceFeature: null,
  };
}

/** `az sql db create|show` (a real capture of `az sql db create`; the SDK's Database model, flattened). */
export function sqlDatabaseOutput(database: ReadonlyResource): Json {
  const p = database.properties;
  const sku = (p['sku'] as Json | undefined) ?? { name: 'GP_Gen5', tier: 'GeneralPurpose', family: 'Gen5', capacity: 2 };
  const fullSku = {
    capacity: sku['capacity'] ?? null,
    family: sku['family'] ?? null,
    name: sku['name'],
    size: null,
    tier: sku['tier'] ?? null,
  };
  const objective = String(p['requestedServiceObjectiveName'] ?? 'GP_Gen5_2');
  const subscription = database.id.split('/')[2];
  return {
    autoPauseDelay: p['autoPauseDelay'] ?? null,
    availabilityZone: 'NoPreference',
    catalogCollation: 'SQL_Latin1_General_CP1_CI_AS',
    collation: p['collation'] ?? 'SQL_Latin1_General_CP1_CI_AS',
    createMode: null,
    creationDate: isoTime(database.createdAt),
    currentBackupStorageRedundancy: p['requestedBackupStorageRedundancy'] ?? 'Geo',
    currentServiceObjectiveName: objective,
    currentSku: fullSku,
    databaseId: p['databaseId'] ?? null,
    defaultSecondaryLocation: null,
    earliestRestoreDate: null,
    edition: sku['tier'] ?? null,
    elasticPoolId: null,
    elasticPoolName: null,
    encryptionProtector: null,
    encryptionProtectorAutoRotation: null,
    failoverGroupId: null,
    federatedClientId: null,
    freeLimitExhaustionBehavior: null,
    highAvailabilityReplicaCount: null,
    id: database.id,
    identity: null,
    isInfraEncryptionEnabled: false,
    keys: null,
    kind: p['kind'] ?? 'v12.0,user,vcore',
    ledgerOn: false,
    licenseType: null,
    location: database.location,
    longTermRetentionBackupResourceId: null,
    maintenanceConfigurationId: `/subscriptions/${subscription}/providers/Microsoft.Maintenance/publicMaintenanceConfigurations/SQL_Default`,
    managedBy: null,
    manualCutover: null,
    maxLogSizeBytes: null,
    maxSizeBytes: p['maxSizeBytes'] ?? 34359738368,
    minCapacity: p['minCapacity'] ?? null,
    name: database.name.split('/').pop(),
    pausedDate: null,
    performCutover: null,
    preferredEnclaveType: null,
    readScale: 'Disabled',
    recoverableDatabaseId: null,
    recoveryServicesRecoveryPointId: null,
    requestedBackupStorageRedundancy: p['requestedBackupStorageRedundancy'] ?? 'Geo',
    requestedServiceObjectiveName: objective,
    restorableDroppedDatabaseId: null,
    restorePointInTime: null,
    resumedDate: null,
    sampleName: null,
    secondaryType: null,
    sku: fullSku,
    sourceDatabaseDeletionDate: null,
    sourceDatabaseId: null,
    sourceResourceId: null,
    status: 'Online',
    tags: Object.keys(database.tags).length ? { ...database.tags } : null,
    type: database.type,
    useFreeLimit: null,
    zoneRedundant: p['zoneRedundant'] ?? false,
  };
}

/**
 * `az sql server ad-admin create|list`: the ServerAzureADAdministrator model, flattened. The
 * service answers `type` "Microsoft.Sql/servers" (azure-cli's recording test_aad_admin.yaml).
 */
export function sqlAdminOutput(server: ReadonlyResource): Json | undefined {
  const admin = server.properties['administrators'] as Json | undefined;
  if (!admin) return undefined;
  return {
    administratorType: 'ActiveDirectory',
    azureAdOnlyAuthentication: admin['azureADOnlyAuthentication'] ?? null,
    id: `${server.id}/administrators/ActiveDirectory`,
    login: admin['login'],
    name: 'ActiveDirectory',
    sid: admin['sid'],
    tenantId: admin['tenantId'],
    type: 'Microsoft.Sql/servers',
  };
}

function systemData(lab: Lab, resource: ReadonlyResource): Json {
  const at = isoTime(resource.createdAt);
  const by = lab.directory.user.userPrincipalName;
  return { createdAt: at, createdBy: by, createdByType: 'User', lastModifiedAt: at, lastModifiedBy: by, lastModifiedByType: 'User' };
}

/** `az role assignment create` in today's CLI (az-shapes §5b): flattened, no roleDefinitionName. */
export function roleAssignmentOutput(assignment: ReadonlyRoleAssignment): Json {
  const at = isoTime(assignment.createdOn);
  return {
    condition: null,
    conditionVersion: null,
    createdBy: null,
    createdOn: at,
    delegatedManagedIdentityResourceId: null,
    description: assignment.description ?? null,
    id: roleAssignmentId(assignment.scope, assignment.name),
    name: assignment.name,
    principalId: assignment.principalId,
    principalType: assignment.principalType,
    roleDefinitionId: assignment.roleDefinitionId,
    scope: assignment.scope,
    type: 'Microsoft.Authorization/roleAssignments',
    updatedBy: assignment.createdBy,
    updatedOn: at,
  };
}

/**
 * `az role assignment list` (az-shapes §6): adds `principalName` — a user's UPN, a service
 * principal's first servicePrincipalName (its appId), `""` when the principal is gone — and
 * `roleDefinitionName` (null when the role is gone), as role/custom.py fills them in.
 */
export function listedRoleAssignment(lab: Lab, assignment: ReadonlyRoleAssignment): Json {
  const principal = lab.directory.principal(assignment.principalId);
  const principalName = !principal ? '' : principal.kind === 'User' ? principal.userPrincipalName : principal.servicePrincipal.appId;
  const role = lab.roles.get(roleGuidOf(assignment.roleDefinitionId) ?? assignment.roleDefinitionId);
  return { ...roleAssignmentOutput(assignment), principalName, roleDefinitionName: role?.roleName ?? null };
}

/** `az role definition list`: the SDK's flattened RoleDefinition. */
export function roleDefinitionOutput(role: RoleDefinition, subscriptionId: string): Json {
  return {
    assignableScopes: [...role.assignableScopes],
    // The lab does not know when Microsoft created or last changed its built-in roles.
    createdBy: null,
    createdOn: null,
    description: role.description,
    id: roleDefinitionId(subscriptionId, role.name),
    name: role.name,
    permissions: role.permissions.map(p => ({
      actions: [...p.actions],
      condition: null,
      conditionVersion: null,
      dataActions: [...p.dataActions],
      notActions: [...p.notActions],
      notDataActions: [...p.notDataActions],
    })),
    roleName: role.roleName,
    roleType: role.roleType,
    type: 'Microsoft.Authorization/roleDefinitions',
    updatedBy: null,
    updatedOn: null,
  };
}

/**
 * azure-cli adds `resourceGroup` to every object (at any depth) with an `id` of the form
 * /subscriptions/{s}/resourceGroups/{g}/{…at least four more segments}, unless it has one
 * (core/commands/transform.py _add_resource_group; shorter ids fail its parse and get none).
 */
export function resourceGroupTransform(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) resourceGroupTransform(item);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const obj = value as Json;
  const id = obj['id'];
  if (typeof id === 'string' && id && !Object.keys(obj).some(k => k.toLowerCase() === 'resourcegroup')) {
    const parts = id.split('/');
    if (parts.length > 8 && parts[3]!.toLowerCase() === 'resourcegroups') obj['resourceGroup'] = parts[4];
  }
  for (const [key, child] of Object.entries(obj)) if (key !== 'sourceVault') resourceGroupTransform(child);
}
