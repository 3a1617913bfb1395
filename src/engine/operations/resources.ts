// Azure Resource Manager operations on the lab: resource groups and resources, created,
// updated and deleted with ARM's validation, errors and cascades. Every operation checks
// everything before it changes anything, so bad input changes nothing.
import type { Lab } from '../lab/lab';
import type { Caller } from '../lab/authorization';
import { authorize } from '../lab/authorization';
import { LabError } from '../base/errors';
import { invalidResourceGroupName, resourceNotFound } from './messages';
import type { ReadonlyResource, ReadonlyResourceGroup, ReadonlyRoleAssignment, ResourceGroupState, ResourceState } from '../state/labState';
import { mutable } from '../lab/mutable';
import { idKey, isAtOrAbove, parseResourceId, resourceGroupId, resourceId } from '../azure/resourceId';
import type { ResourceTypeInfo } from '../azure/resourceTypes';
import { RESOURCE_TYPES, resourceTypeByKey, resourceTypeOf } from '../azure/resourceTypes';
import { isKnownLocation, LOCATIONS, normalizeLocation } from '../azure/locations';
import { applyIdentityRequest, createManagedIdentityPrincipal, validateIdentityRequest, type IdentityRequest } from './identities';
import { validateProperties } from '../state/resourceProperties';

const GROUP_NAME = /^[-\w.()\p{L}\p{N}]{1,90}$/u;

/** Names that must be unique across Azure, not just within a resource group. */
const GLOBALLY_UNIQUE: Record<string, (name: string) => LabError> = {
  'microsoft.keyvault/vaults': name =>
    new LabError(
      'Conflict',
      `The vault name '${name}' is already in use. Vault names are globally unique so it is possible that the name is already taken.`,
      409,
      'name',
    ),
  'microsoft.storage/storageaccounts': name => new LabError('Conflict', `The storage account named ${name} is already taken.`, 409, 'name'),
  'microsoft.web/sites': name => new LabError('Conflict', `Website with given name ${name} already exists.`, 409, 'name'),
  'microsoft.sql/servers': name => new LabError('Conflict', `The name '${name}' already exists. Choose a different name.`, 409, 'name'),
  'microsoft.appconfiguration/configurationstores': name =>
    new LabError('Conflict', `The specified name '${name}' is already in use.`, 409, 'name'),
};

export function resolveSubscription(lab: Lab, subscriptionId: string | undefined): string {
  const id = subscriptionId ?? lab.defaultSubscriptionId;
  if (!lab.arm.subscription(id)) {
    throw new LabError('SubscriptionNotFound', `The subscription '${id}' could not be found.`, 404, 'subscription');
  }
  return lab.arm.subscription(id)!.subscriptionId;
}

export function requireGroup(lab: Lab, subscriptionId: string, name: string): ReadonlyResourceGroup {
  const group = lab.arm.group(subscriptionId, name);
  if (!group) throw new LabError('ResourceGroupNotFound', `Resource group '${name}' could not be found.`, 404, 'resourceGroup');
  return group;
}

export function requireResource(lab: Lab, id: string): ReadonlyResource {
  const parsed = parseResourceId(id);
  if (parsed.kind !== 'resource') throw new LabError('InvalidResourceId', `'${id}' is not the id of a resource.`, 400, 'id');
  requireGroup(lab, parsed.subscriptionId!, parsed.resourceGroup!);
  const resource = lab.arm.resource(id);
  if (!resource) {
    throw new LabError('ResourceNotFound', resourceNotFound(parsed), 404, 'id');
  }
  return resource;
}

function requireLocation(location: string): string {
  if (!isKnownLocation(location)) {
    throw new LabError(
      'InvalidArgument',
      `The provided location '${location}' is not available for resource group. List of available regions is '${LOCATIONS.join(',')}'.`,
      400,
      'location',
    );
  }
  return normalizeLocation(location);
}

export interface ResourceGroupRequest {
  subscriptionId?: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
}

/** `PUT /subscriptions/{s}/resourcegroups/{name}`: creates or updates (tags; the location cannot change). */
export function createOrUpdateResourceGroup(lab: Lab, caller: Caller, request: ResourceGroupRequest): ReadonlyResourceGroup {
  const subscriptionId = resolveSubscription(lab, request.subscriptionId);
  if (!GROUP_NAME.test(request.name) || request.name.endsWith('.')) {
    throw new LabError('InvalidResourceName', invalidResourceGroupName(request.name), 400, 'name');
  }
  const location = requireLocation(request.location);
  authorize(lab, caller, 'Microsoft.Resources/subscriptions/resourceGroups/write', resourceGroupId(subscriptionId, request.name));
  const arm = mutable(lab).arm;
  const existing = arm.group(subscriptionId, request.name);
  if (existing) {
    if (existing.location !== location) {
      throw new LabError(
        'InvalidArgument',
        `Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}'.`,
        409,
        'location',
      );
    }
    if (request.tags) existing.tags = { ...request.tags };
    lab.notify('resources');
    return existing;
  }
  const group: ResourceGroupState = { subscriptionId, name: request.name, location, tags: { ...(request.tags ?? {}) } };
  arm.putGroup(group);
  lab.notify('resources');
  return group;
}

export interface ResourceRequest {
  subscriptionId?: string;
  resourceGroup: string;
  /** ARM type (`Microsoft.Compute/virtualMachines`) or the lab's key (`vm`). */
  type: string;
  kind?: string;
  /** For child types (`Microsoft.Sql/servers/databases`): `server/database`. */
  name: string;
  location?: string;
  tags?: Record<string, string>;
  properties?: Record<string, unknown>;
  identity?: IdentityRequest;
}

function resolveType(type: string, kind: string | undefined): ResourceTypeInfo {
  const info = resourceTypeByKey(type) ?? resourceTypeOf(type, kind);
  if (!info) {
    const namespace = type.split('/')[0] ?? type;
    const simulated = [...new Set(RESOURCE_TYPES.map(t => t.armType))].join(', ');
    throw new LabError(
      'InvalidResourceType',
      `The resource type '${type.split('/').slice(1).join('/') || type}' could not be found in the namespace '${namespace}'. The lab simulates: ${simulated}.`,
      400,
      'type',
    );
  }
  return info;
}

/** `PUT {resource id}`: creates the resource, or updates its tags and properties if it exists. */
export function createOrUpdateResource(lab: Lab, caller: Caller, request: ResourceRequest): ReadonlyResource {
  const subscriptionId = resolveSubscription(lab, request.subscriptionId);
  const group = requireGroup(lab, subscriptionId, request.resourceGroup);
  const info = resolveType(request.type, request.kind);
  const names = request.name.split('/');
  const depth = info.armType.split('/').length - 1;
  if (names.length !== depth) {
    throw new LabError(
      'InvalidResourceName',
      `A ${info.displayName} needs ${depth === 1 ? 'a name' : `${depth} names separated by '/'`}.`,
      400,
      'name',
    );
  }
  const ownName = names[names.length - 1]!;
  if (!info.nameRule.pattern.test(ownName)) {
    throw new LabError(
      'InvalidResourceName',
      `The ${info.displayName} name '${ownName}' is invalid. It must be ${info.nameRule.message}.`,
      400,
      'name',
    );
  }
  // ARM reports user-assigned identities with a lower-case 'resourcegroups' segment (see az-shapes §1).
  const built = resourceId(subscriptionId, group.name, info.armType, ...names);
  const id = info.key === 'identity' ? built.replace('/resourceGroups/', '/resourcegroups/') : built;
  if (depth > 1) {
    const parentId = id.split('/').slice(0, -2).join('/');
    if (!lab.arm.resource(parentId)) {
      throw new LabError(
        'ParentResourceNotFound',
        `Can not perform requested operation on nested resource. Parent resource '${names.slice(0, -1).join('/')}' not found.`,
        404,
        'name',
      );
    }
  }
  const location = request.location ? requireLocation(request.location) : group.location;
  const arm = mutable(lab).arm;
  const existing = arm.resource(id);
  if (existing && resourceTypeOf(existing.type, existing.kind) !== info && info.armType !== existing.type) {
    throw new LabError('Conflict', `A resource of type '${existing.type}' named '${existing.name}' already exists.`, 409, 'name');
  }
  const uniqueness = GLOBALLY_UNIQUE[info.armType.toLowerCase()];
  if (!existing && uniqueness) {
    const taken = lab.arm.resources.find(
      r => r.type.toLowerCase() === info.armType.toLowerCase() && r.name.toLowerCase() === ownName.toLowerCase(),
    );
    if (taken) throw uniqueness(ownName);
  }
  if (request.properties) validateProperties(info, request.properties);
  if (request.identity) validateIdentityRequest(lab, caller, info, id, request.identity);
  authorize(lab, caller, `${info.armType}/write`, id);

  const now = lab.clock.now();
  const resource: ResourceState = existing ?? {
    id,
    type: info.armType,
    name: names.join('/'),
    location,
    ...(info.kind ? { kind: request.kind ?? info.kind } : {}),
    tags: {},
    properties: {},
    createdAt: now,
  };
  if (request.tags) resource.tags = { ...request.tags };
  resource.properties = { ...defaultProperties(lab, info, ownName), ...resource.properties, ...(request.properties ?? {}) };
  if (info.key === 'identity' && !resource.managedIdentity) {
    // A user-assigned identity is a resource with its own service principal.
    const sp = createManagedIdentityPrincipal(lab, ownName, id, true);
    resource.managedIdentity = { principalId: sp.objectId, clientId: sp.appId };
  }
  if (!existing) arm.putResource(resource);
  if (request.identity) applyIdentityRequest(lab, resource, request.identity);
  lab.notify('resources');
  return resource;
}

function defaultProperties(lab: Lab, info: ResourceTypeInfo, name: string): Record<string, unknown> {
  switch (info.key) {
    case 'keyvault':
      // `az keyvault create` turns RBAC authorization on by default (CLI 2.61+).
      return {
        tenantId: lab.tenantId,
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: true,
        accessPolicies: [],
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
      };
    case 'vm':
      return {
        hardwareProfile: { vmSize: 'Standard_DS1_v2' },
        storageProfile: { imageReference: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' } },
        osProfile: { computerName: name, adminUsername: 'azureuser' },
      };
    case 'storage':
      return { accessTier: 'Hot', allowSharedKeyAccess: true, minimumTlsVersion: 'TLS1_2' };
    case 'webapp':
    case 'functionapp':
      return { state: 'Running', enabled: true, defaultHostName: `${name}.azurewebsites.net`, hostNames: [`${name}.azurewebsites.net`] };
    case 'sqlserver':
      return { version: '12.0', fullyQualifiedDomainName: `${name}.database.windows.net`, publicNetworkAccess: 'Enabled' };
    case 'sqldb':
      return { status: 'Online', collation: 'SQL_Latin1_General_CP1_CI_AS' };
    default:
      return {};
  }
}

/** `PATCH {resource id}` with `tags`: replaces the resource's tags (ARM's PATCH semantics for the tags object). */
export function updateTags(lab: Lab, caller: Caller, id: string, tags: Record<string, string>): ReadonlyResource {
  const resource = mutable(lab).arm.resource(requireResource(lab, id).id)!;
  for (const [name, value] of Object.entries(tags)) {
    if (typeof value !== 'string') {
      throw new LabError('InvalidRequestContent', `The value of tag '${name.slice(0, 100)}' must be a string.`, 400, 'tags');
    }
  }
  authorize(lab, caller, `${resource.type}/write`, resource.id);
  resource.tags = { ...tags };
  lab.notify('resources');
  return resource;
}

/** What deleting something would do, so people can be told before they confirm. */
export interface DeletionReport {
  /** ARM ids of every resource that goes (children first). */
  resources: string[];
  groups: string[];
  /** Service principals deleted with their resource (system-assigned and user-assigned identities). */
  principals: Array<{ objectId: string; displayName: string }>;
  /** Assignments at or below the deleted scope: ARM deletes them with it. */
  removedAssignments: ReadonlyRoleAssignment[];
  /** Assignments elsewhere held by a deleted principal: left behind as "Identity not found". */
  orphanedAssignments: ReadonlyRoleAssignment[];
  /** Resources still pointing at a deleted user-assigned identity. */
  danglingReferences: Array<{ hostId: string; identityId: string }>;
}

export function previewDeletion(lab: Lab, scope: string): DeletionReport {
  const parsed = parseResourceId(scope);
  const inScope = (id: string) => isAtOrAbove(scope, id);
  const resources = lab.arm.resources.filter(r => inScope(r.id)).sort((a, b) => b.id.split('/').length - a.id.split('/').length);
  const groups =
    parsed.kind === 'resourceGroup'
      ? [lab.arm.group(parsed.subscriptionId!, parsed.resourceGroup!)!].filter(Boolean).map(g => resourceGroupId(g.subscriptionId, g.name))
      : [];
  const principals: DeletionReport['principals'] = [];
  for (const r of resources) {
    const system = r.identity?.systemAssigned && lab.directory.byObject(r.identity.systemAssigned.principalId);
    if (system) principals.push({ objectId: system.objectId, displayName: system.displayName });
    const own = r.managedIdentity && lab.directory.byObject(r.managedIdentity.principalId);
    if (own) principals.push({ objectId: own.objectId, displayName: own.displayName });
  }
  const goneIds = new Set(principals.map(p => p.objectId.toLowerCase()));
  const all = lab.assignments.all;
  const removedAssignments = all.filter(a => inScope(a.scope));
  const orphanedAssignments = all.filter(a => !inScope(a.scope) && goneIds.has(a.principalId.toLowerCase()));
  const deletedIdentities = new Set(resources.filter(r => r.managedIdentity).map(r => idKey(r.id)));
  const danglingReferences = lab.arm.resources
    .filter(r => !inScope(r.id))
    .flatMap(r =>
      (r.identity?.userAssigned ?? [])
        .filter(u => deletedIdentities.has(idKey(u.resourceId)))
        .map(u => ({ hostId: r.id, identityId: u.resourceId })),
    );
  return { resources: resources.map(r => r.id), groups, principals, removedAssignments, orphanedAssignments, danglingReferences };
}

/** `DELETE {resource id}`: the resource, its children, its system-assigned identity and the assignments scoped to it. */
export function deleteResource(lab: Lab, caller: Caller, id: string): DeletionReport {
  const resource = requireResource(lab, id);
  authorize(lab, caller, `${resource.type}/delete`, resource.id);
  return applyDeletion(lab, resource.id, `Delete ${resource.name}`);
}

/** `DELETE /subscriptions/{s}/resourcegroups/{g}`: everything inside goes too. */
export function deleteResourceGroup(lab: Lab, caller: Caller, subscriptionId: string | undefined, name: string): DeletionReport {
  const sub = resolveSubscription(lab, subscriptionId);
  const group = requireGroup(lab, sub, name);
  const scope = resourceGroupId(sub, group.name);
  authorize(lab, caller, 'Microsoft.Resources/subscriptions/resourceGroups/delete', scope);
  return applyDeletion(lab, scope, `Delete resource group ${group.name}`);
}

function applyDeletion(lab: Lab, scope: string, label: string): DeletionReport {
  const report = previewDeletion(lab, scope);
  lab.checkpoint(label);
  const { arm, directory, assignments } = mutable(lab);
  for (const id of report.resources) {
    arm.removeResource(id);
    lab.dropData(id);
  }
  for (const p of report.principals) directory.remove(p.objectId);
  for (const a of report.removedAssignments) assignments.remove(a.name);
  for (const g of report.groups) {
    const parsed = parseResourceId(g);
    arm.removeGroup(parsed.subscriptionId!, parsed.resourceGroup!);
  }
  lab.notify('all');
  return report;
}
