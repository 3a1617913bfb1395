// ARM's read-only collection surface, as clients walk it: GET /subscriptions, resource groups,
// GET /subscriptions/{id}/resources (with `$filter`, `$top` and `nextLink`), lists by type at
// subscription and group scope, resource providers, tenants, and the cloud's metadata endpoint.
// What each list holds is the engine's one rule (engine/lab/visibility.ts): what the caller may
// read. Shapes: Azure REST API reference (Resources - List, Providers - Get, Subscriptions - List)
// and azure-mgmt-resource, which the SDKs and az deserialize them with.
import type { Lab } from '../../engine/lab/lab';
import type { Caller } from '../../engine/lab/authorization';
import { LabError } from '../../engine/base/errors';
import { fromBase64, toBase64Url, utf8 } from '../../engine/base/encoding';
import { parseResourceId, resourceGroupId } from '../../engine/azure/resourceId';
import { findProvider, RESOURCE_PROVIDERS } from '../../engine/azure/providers';
import { isGlobalHostName } from '../../engine/azure/serviceDomains';
import { serviceUrlsFor } from './serviceUrls';
import { readableGroups, readableResources, requireListScope, visibleSubscriptions, type ResourceQuery } from '../../engine/lab/visibility';
import { requireGroup, requireResource, resolveSubscription } from '../../engine/operations/resources';
import { genericResourceJson, providerJson, resourceGroupJson, resourceJson } from '../../engine/readModels/armJson';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { ParsedRequest } from '../http';
import { header, single } from '../http';
import type { EndpointContext } from '../context';

type Json = Record<string, unknown>;
export interface ListAnswer {
  status: number;
  body: Json;
  label: string;
}

/** ARM's cloud metadata (`az cloud register` reads it): answered without a token. */
export const CLOUD_METADATA_PATH = /^\/+metadata\/endpoints\/?$/i;

/**
 * `GET /metadata/endpoints`: api-version 2015-01-01's single object (msrestazure reads its
 * `authentication`), or 2019-05-01 and later's list of clouds. Reached by the real name, it
 * names Azure's own endpoints; reached at 127.0.0.1:PORT, the lab's.
 */
export function cloudMetadata(req: ParsedRequest): Json | Json[] {
  const host = header(req, 'host') ?? '';
  const local = !isGlobalHostName(host) && /^[\w.:[\]-]+$/.test(host);
  const login = local ? `https://${host}/` : 'https://login.microsoftonline.com/';
  const management = local ? `https://${host}/` : 'https://management.azure.com/';
  const audiences = ['https://management.core.windows.net/', 'https://management.azure.com/'];
  if ((single(req, 'api-version') ?? '') < '2019-05-01') {
    return {
      galleryEndpoint: 'https://gallery.azure.com/',
      graphEndpoint: 'https://graph.windows.net/',
      portalEndpoint: 'https://portal.azure.com/',
      authentication: { loginEndpoint: login, audiences },
    };
  }
  return [
    {
      portal: 'https://portal.azure.com',
      authentication: { loginEndpoint: login.replace(/\/$/, ''), audiences, tenant: 'common', identityProvider: 'AAD' },
      media: 'https://rest.media.azure.net',
      graphAudience: 'https://graph.windows.net/',
      graph: 'https://graph.windows.net/',
      name: 'AzureCloud',
      suffixes: {
        azureDataLakeStoreFileSystem: 'azuredatalakestore.net',
        acrLoginServer: 'azurecr.io',
        sqlServerHostname: 'database.windows.net',
        azureDataLakeAnalyticsCatalogAndJob: 'azuredatalakeanalytics.net',
        keyVaultDns: 'vault.azure.net',
        storage: 'core.windows.net',
        azureFrontDoorEndpointSuffix: 'azurefd.net',
      },
      batch: 'https://batch.core.windows.net/',
      resourceManager: management,
      vmImageAliasDoc: 'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json',
      activeDirectoryDataLake: 'https://datalake.azure.net/',
      sqlManagement: 'https://management.core.windows.net:8443/',
      gallery: 'https://gallery.azure.com/',
    },
  ];
}

function subscriptionJson(lab: Lab, subscriptionId: string): Json {
  const s = lab.arm.subscription(subscriptionId)!;
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: lab.tenantId,
    displayName: s.displayName,
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

export const subscriptionView = subscriptionJson;

/** `GET /subscriptions`: those the caller holds a role in (none: an empty list, as az login --identity then reports). */
export function listSubscriptions(ctx: EndpointContext, caller: Caller): ListAnswer {
  const value = visibleSubscriptions(ctx.lab, caller).map(s => subscriptionJson(ctx.lab, s.subscriptionId));
  return { status: 200, body: { value, count: { type: 'Total', value: value.length } }, label: `${value.length} subscription(s)` };
}

/** `GET /tenants`: the lab's one tenant. */
export function listTenants(ctx: EndpointContext): ListAnswer {
  const tenant = ctx.lab.directory.tenant;
  return {
    status: 200,
    body: {
      value: [
        {
          id: `/tenants/${tenant.tenantId}`,
          tenantId: tenant.tenantId,
          tenantCategory: 'Home',
          displayName: tenant.displayName,
          defaultDomain: tenant.defaultDomain,
          domains: [tenant.defaultDomain],
          tenantType: 'AAD',
        },
      ],
    },
    label: 'tenants',
  };
}

export function listGroups(ctx: EndpointContext, subscription: string, caller: Caller): ListAnswer {
  const sub = resolveSubscription(ctx.lab, subscription);
  requireListScope(ctx.lab, caller, `/subscriptions/${sub}`, 'Microsoft.Resources/subscriptions/resourceGroups/read');
  const value = readableGroups(ctx.lab, caller, sub).map(resourceGroupJson);
  return { status: 200, body: { value }, label: `${value.length} resource group(s)` };
}

const FILTER_CLAUSE = /^(resourceType|resourceGroup|name|location|tagName|tagValue)\s+eq\s+'((?:[^']|'')*)'$/i;
const SUBSTRINGOF = /^substringof\(\s*'((?:[^']|'')*)'\s*,\s*name\s*\)$/i;

/** ARM's `$filter` for resource lists: equality on type, group, name, location and tags, and `substringof(…, name)`, joined by `and`. */
export function parseResourceFilter(filter: string | undefined): Partial<ResourceQuery> {
  const query: Partial<ResourceQuery> = {};
  if (filter === undefined || !filter.trim()) return query;
  for (const clause of filter.trim().split(/\s+and\s+/i)) {
    const text = clause.trim().replace(/^\((.*)\)$/, '$1');
    const substring = SUBSTRINGOF.exec(text);
    if (substring) {
      query.nameContains = substring[1]!.replace(/''/g, "'");
      continue;
    }
    const match = FILTER_CLAUSE.exec(text);
    // ARM's code for a filter it cannot read; the message text is the lab's.
    if (!match) {
      throw new LabError('InvalidFilterInQueryString', `Invalid $filter '${filter.slice(0, 200)}' specified in the query string.`, 400);
    }
    const value = match[2]!.replace(/''/g, "'");
    const field = match[1]!.toLowerCase();
    if (field === 'resourcetype') query.type = value;
    else if (field === 'resourcegroup') query.resourceGroup = value;
    else if (field === 'name') query.name = value;
    else if (field === 'location') query.location = value;
    else if (field === 'tagname') query.tagName = value;
    else query.tagValue = value;
  }
  if (query.tagValue !== undefined && query.tagName === undefined) {
    throw new LabError('InvalidFilterInQueryString', "The $filter 'tagValue' can only be used together with 'tagName'.", 400);
  }
  return query;
}

/** `$top` pages a list: the first N, and a `nextLink` (same URL, `$skiptoken` for where to go on). */
function page(req: ParsedRequest, path: string, items: Json[]): Json {
  const topText = single(req, '$top');
  const skipText = single(req, '$skiptoken');
  let skip = 0;
  if (skipText !== undefined) {
    const text = new TextDecoder().decode(fromBase64(skipText) ?? new Uint8Array());
    const decoded = /^offset:\d{1,9}$/.test(text) ? Number(text.slice(7)) : NaN;
    if (!Number.isInteger(decoded)) {
      throw new LabError('InvalidQueryParameterValue', 'The $skiptoken in the query string is not valid.', 400);
    }
    skip = decoded;
  }
  if (topText === undefined) return { value: items.slice(skip) };
  const top = Number(topText);
  if (!Number.isInteger(top) || top < 1) {
    throw new LabError(
      'InvalidQueryParameterValue',
      `The $top value '${topText.slice(0, 20)}' is not valid: it must be a positive integer.`,
      400,
    );
  }
  const value = items.slice(skip, skip + top);
  if (skip + top >= items.length) return { value };
  const query = new URLSearchParams();
  for (const [name, values] of req.query) if (name !== '$skiptoken') for (const v of values) query.append(name, v);
  query.set('$skiptoken', toBase64Url(utf8(`offset:${skip + top}`)));
  const host = header(req, 'host') ?? '127.0.0.1';
  return { value, nextLink: `https://${/^[\w.:[\]-]+$/.test(host) ? host : '127.0.0.1'}${path}?${query}` };
}

/** `GET /subscriptions/{id}/resources` and `…/resourceGroups/{name}/resources`: the generic envelope of each readable resource. */
export function listResources(
  ctx: EndpointContext,
  req: ParsedRequest,
  path: string,
  caller: Caller,
  scope: { subscription: string; group?: string },
): ListAnswer {
  const lab = ctx.lab;
  const sub = resolveSubscription(lab, scope.subscription);
  const filter = parseResourceFilter(single(req, '$filter'));
  if (scope.group !== undefined) {
    const group = requireGroup(lab, sub, scope.group);
    requireListScope(lab, caller, resourceGroupId(sub, group.name), 'Microsoft.Resources/subscriptions/resourceGroups/resources/read');
    filter.resourceGroup = group.name;
  } else {
    requireListScope(lab, caller, `/subscriptions/${sub}`, 'Microsoft.Resources/subscriptions/resources/read');
    if (filter.resourceGroup !== undefined && !lab.arm.group(sub, filter.resourceGroup)) {
      return { status: 200, body: { value: [] }, label: '0 resources' };
    }
  }
  const found = readableResources(lab, caller, { ...filter, subscriptionId: sub });
  const body = page(
    req,
    path,
    found.map(r => genericResourceJson(lab, r)),
  );
  return { status: 200, body, label: `${(body['value'] as unknown[]).length} resource(s)` };
}

/**
 * A list by type (`…/providers/Microsoft.KeyVault/vaults`, at subscription or group scope, or a
 * parent's children): each readable resource as its provider returns it. `path` ends in a type
 * segment; returns undefined when it is not such a path.
 */
export function listByType(ctx: EndpointContext, req: ParsedRequest, path: string, caller: Caller): ListAnswer | undefined {
  let parsed;
  try {
    parsed = parseResourceId(`${path}/_`);
  } catch {
    return undefined;
  }
  if (parsed.kind !== 'resource' || !parsed.subscriptionId) return undefined;
  const lab = ctx.lab;
  const sub = resolveSubscription(lab, parsed.subscriptionId);
  const type = parsed.type!;
  const parentId = parsed.names.length > 1 ? parsed.id.split('/').slice(0, -2).join('/') : undefined;
  if (parentId) requireResource(lab, parentId);
  if (parsed.resourceGroup !== undefined) {
    const group = requireGroup(lab, sub, parsed.resourceGroup);
    requireListScope(lab, caller, parentId ?? resourceGroupId(sub, group.name), `${type}/read`);
  } else {
    requireListScope(lab, caller, `/subscriptions/${sub}`, `${type}/read`);
  }
  const urls = serviceUrlsFor(ctx, req);
  const found = readableResources(lab, caller, {
    subscriptionId: sub,
    type,
    ...(parsed.resourceGroup !== undefined ? { resourceGroup: parsed.resourceGroup } : {}),
  }).filter((r: ReadonlyResource) => !parentId || r.id.toLowerCase().startsWith(`${parentId.toLowerCase()}/`));
  const body = page(
    req,
    path,
    found.map(r => resourceJson(lab, r, urls)),
  );
  return { status: 200, body, label: `${(body['value'] as unknown[]).length} ${type.split('/').pop()}` };
}

/** `GET [/subscriptions/{id}]/providers[/{namespace}]`: the providers of the lab's resource types. */
export function providers(
  ctx: EndpointContext,
  caller: Caller,
  subscription: string | undefined,
  namespace: string | undefined,
): ListAnswer {
  const sub = subscription === undefined ? undefined : resolveSubscription(ctx.lab, subscription);
  if (sub) requireListScope(ctx.lab, caller, `/subscriptions/${sub}`, 'Microsoft.Resources/subscriptions/providers/read');
  if (namespace === undefined) {
    return { status: 200, body: { value: RESOURCE_PROVIDERS.map(p => providerJson(p, sub)) }, label: 'providers' };
  }
  const provider = findProvider(namespace);
  if (!provider) {
    // ARM's answer for a namespace it does not know.
    throw new LabError('InvalidResourceNamespace', `The resource namespace '${namespace.slice(0, 100)}' is invalid.`, 404);
  }
  return { status: 200, body: providerJson(provider, sub), label: provider.namespace };
}
