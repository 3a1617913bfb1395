// ARM resource ids: parsing, building and the case-insensitive comparison ARM itself uses
// ("resourceGroups" and "resourcegroups" name the same thing; so do "myVM" and "myvm").
import { LabError } from '../base/errors';
import { isGuid } from '../base/ids';

export interface ParsedResourceId {
  /** The id as given, without a trailing slash. */
  readonly id: string;
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  /** Resource provider namespace, e.g. `Microsoft.KeyVault`. */
  readonly namespace?: string;
  /** Full resource type, e.g. `Microsoft.KeyVault/vaults/secrets`. */
  readonly type?: string;
  /** Names from the top-level resource down, e.g. `['kv1', 'my-secret']`. */
  readonly names: readonly string[];
  readonly kind: 'tenant' | 'subscription' | 'resourceGroup' | 'resource';
}

/** The key ARM compares ids by. */
export const idKey = (id: string): string => trimSlash(id).toLowerCase();
export const sameId = (a: string, b: string): boolean => idKey(a) === idKey(b);

function trimSlash(id: string): string {
  return id.length > 1 && id.endsWith('/') ? id.slice(0, -1) : id;
}

const invalid = (id: string, why: string) => new LabError('InvalidResourceId', `The resource id '${id}' is invalid: ${why}.`, 400, 'id');

/** Parses an ARM id; throws `InvalidResourceId` with the reason when it is not one. */
export function parseResourceId(raw: string): ParsedResourceId {
  const id = trimSlash(raw.trim());
  if (id === '/' || id === '') return { id: '/', names: [], kind: 'tenant' };
  if (!id.startsWith('/')) throw invalid(raw, "it must start with '/subscriptions/'");
  const parts = id.slice(1).split('/');
  if (parts.some(p => p === '')) throw invalid(raw, 'it has an empty segment');
  if (parts[0]!.toLowerCase() !== 'subscriptions') throw invalid(raw, "it must start with '/subscriptions/'");
  const subscriptionId = parts[1];
  if (!subscriptionId) throw invalid(raw, 'the subscription id is missing');
  if (!isGuid(subscriptionId)) throw invalid(raw, `'${subscriptionId}' is not a subscription id (a GUID)`);
  if (parts.length === 2) return { id, subscriptionId, names: [], kind: 'subscription' };

  let index = 2;
  let resourceGroup: string | undefined;
  if (parts[index]!.toLowerCase() === 'resourcegroups') {
    resourceGroup = parts[index + 1];
    if (!resourceGroup) throw invalid(raw, 'the resource group name is missing');
    index += 2;
    if (index === parts.length) return { id, subscriptionId, resourceGroup, names: [], kind: 'resourceGroup' };
  }
  if (parts[index]!.toLowerCase() !== 'providers') throw invalid(raw, `expected 'providers' but found '${parts[index]}'`);
  const namespace = parts[index + 1];
  if (!namespace) throw invalid(raw, 'the resource provider namespace is missing');
  const rest = parts.slice(index + 2);
  if (rest.length === 0 || rest.length % 2 !== 0) {
    throw invalid(raw, 'it must have an even number of type/name segments after the provider');
  }
  const typeSegments: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    typeSegments.push(rest[i]!);
    names.push(rest[i + 1]!);
  }
  const base = { id, subscriptionId, namespace, type: [namespace, ...typeSegments].join('/'), names, kind: 'resource' as const };
  return resourceGroup === undefined ? base : { ...base, resourceGroup };
}

export function tryParseResourceId(raw: string): ParsedResourceId | undefined {
  try {
    return parseResourceId(raw);
  } catch {
    return undefined;
  }
}

export const subscriptionId = (subscription: string): string => `/subscriptions/${subscription}`;
export const resourceGroupId = (subscription: string, group: string): string => `/subscriptions/${subscription}/resourceGroups/${group}`;

/** Builds `/subscriptions/{s}/resourceGroups/{g}/providers/{type}/{name}` (with child names for child types). */
export function resourceId(subscription: string, group: string, type: string, ...names: string[]): string {
  const [namespace, ...typeSegments] = type.split('/');
  if (typeSegments.length !== names.length) throw new Error(`type ${type} needs ${typeSegments.length} names`);
  const pairs = typeSegments.flatMap((segment, i) => [segment, names[i]!]);
  return `${resourceGroupId(subscription, group)}/providers/${namespace}/${pairs.join('/')}`;
}

/** The parent of a scope: a child resource's parent, resource → group → subscription → tenant root. */
export function parentScope(id: string): string | undefined {
  const parsed = parseResourceId(id);
  switch (parsed.kind) {
    case 'tenant':
      return undefined;
    case 'subscription':
      return '/';
    case 'resourceGroup':
      return subscriptionId(parsed.subscriptionId!);
    case 'resource': {
      if (parsed.names.length > 1) return parsed.id.split('/').slice(0, -2).join('/');
      return parsed.resourceGroup !== undefined
        ? resourceGroupId(parsed.subscriptionId!, parsed.resourceGroup)
        : subscriptionId(parsed.subscriptionId!);
    }
  }
}

/** The scope itself and every scope above it, nearest first. */
export function scopeChain(id: string): string[] {
  const chain: string[] = [];
  for (let scope: string | undefined = trimSlash(id); scope !== undefined; scope = parentScope(scope)) chain.push(scope);
  return chain;
}

/** True when `scope` is `target` or one of its ancestors (compared as ARM does). */
export function isAtOrAbove(scope: string, target: string): boolean {
  return keyIsAtOrAbove(idKey(scope), idKey(target));
}

/**
 * The same test on keys that are already lower-cased. (`substring` + `===` here: V8's
 * `startsWith` is several times slower on ids this long, and this is the RBAC hot path.)
 */
export function keyIsAtOrAbove(scopeKey: string, targetKey: string): boolean {
  if (scopeKey === '/') return true;
  const length = scopeKey.length;
  if (targetKey.length === length) return targetKey === scopeKey;
  return targetKey.length > length && targetKey.charCodeAt(length) === 47 && targetKey.substring(0, length) === scopeKey;
}
