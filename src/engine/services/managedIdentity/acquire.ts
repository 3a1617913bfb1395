// Getting a token as a compute resource: pick the identity the way the managed-identity
// endpoint does, ask Entra (the lab's token service) for a token for the resource, and
// cache it per identity and resource the way IMDS does.
import type { Lab } from '../../lab/lab';
import type { AttachedUserIdentity, ReadonlyResource } from '../../state/labState';
import { findResourceApp } from '../../azure/resourceApps';
import type { IssuedAccessToken, TokenSigner } from '../../azure/accessTokens';
import { accessTokenClaims } from '../../azure/accessTokens';
import { epochSeconds } from '../../base/clock';
import { idKey, sameId } from '../../azure/resourceId';
import type { Disposable } from '../../base/events';
import type { TraceBuilder } from '../../trace/builder';
import { newGuid } from '../../base/ids';
import { resourcePrincipalNotFound } from '../entra/messages';
import type { RefusalRule } from '../../trace/model';
import { issuedTokenNotes, servableFromCache } from '../tokenLifetimes';

export type IdentitySelector = { by: 'clientId' | 'objectId' | 'resourceId'; value: string };

export type EndpointKind = 'imds' | 'identityEndpoint';

export interface SelectedIdentity {
  kind: 'SystemAssigned' | 'UserAssigned';
  principalId: string;
  clientId: string;
  /** `xms_mirid`: the host for system-assigned, the identity resource for user-assigned. */
  managedIdentityResourceId: string;
}

export type TokenFailureCode = 'IdentityNotFound' | 'MultipleUserAssignedIdentities' | 'InvalidResource';

export interface TokenFailure {
  code: TokenFailureCode;
  /** The endpoint's `error` value. */
  error: string;
  /** The endpoint's `error_description`, in Azure's words. */
  description: string;
  /** Why, from the lab's state, in the learner's words. */
  explanation: string;
  /** Which selection rule refused, as a fact for the trace. */
  rule: RefusalRule;
}

export type TokenResult =
  | { ok: true; token: IssuedAccessToken; identity: SelectedIdentity; fromCache: boolean }
  | { ok: false; failure: TokenFailure; identity?: SelectedIdentity };

const MULTIPLE_UAMI =
  'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request';

function identityNotFound(explanation: string, rule: RefusalRule): TokenFailure {
  return { code: 'IdentityNotFound', error: 'invalid_request', description: 'Identity not found', explanation, rule };
}

/**
 * Applies the endpoint's selection rules to the identities attached to `host`. Without a
 * selector IMDS takes the system-assigned identity, else the only user-assigned one; the App
 * Service endpoint takes only the system-assigned one (a user-assigned identity must be named).
 */
export function selectIdentity(
  host: ReadonlyResource,
  selector: IdentitySelector | undefined,
  endpoint: EndpointKind = 'imds',
): SelectedIdentity | TokenFailure {
  const system = host.identity?.systemAssigned;
  const users = host.identity?.userAssigned ?? [];
  const fromSystem = (): SelectedIdentity => ({
    kind: 'SystemAssigned',
    principalId: system!.principalId,
    clientId: system!.clientId,
    managedIdentityResourceId: host.id,
  });
  const fromUser = (u: AttachedUserIdentity): SelectedIdentity => ({
    kind: 'UserAssigned',
    principalId: u.principalId,
    clientId: u.clientId,
    managedIdentityResourceId: u.resourceId,
  });

  if (!selector) {
    if (system) return fromSystem();
    if (endpoint === 'identityEndpoint') {
      return users.length
        ? identityNotFound(
            `${host.name} has no system-assigned identity, and the App Service identity endpoint never picks a user-assigned one by itself: ` +
              'name it (client_id, principal_id or mi_res_id — AZURE_CLIENT_ID for the SDK).',
            'userAssignedNotNamed',
          )
        : identityNotFound(
            `${host.name} has no managed identity: turn on its system-assigned identity or attach a user-assigned one.`,
            'noManagedIdentity',
          );
    }
    if (users.length === 1) return fromUser(users[0]!);
    if (users.length > 1) {
      return {
        code: 'MultipleUserAssignedIdentities',
        error: 'invalid_request',
        description: MULTIPLE_UAMI,
        explanation:
          `${host.name} has ${users.length} user-assigned identities and no system-assigned one, ` +
          'so the request must say which to use (client_id, object_id or msi_res_id).',
        rule: 'multipleUserAssigned',
      };
    }
    return identityNotFound(
      `${host.name} has no managed identity: turn on its system-assigned identity or attach a user-assigned one.`,
      'noManagedIdentity',
    );
  }

  const matches = (ids: { principalId: string; clientId: string; resourceId: string }) => {
    switch (selector.by) {
      case 'clientId':
        return ids.clientId.toLowerCase() === selector.value.toLowerCase();
      case 'objectId':
        return ids.principalId.toLowerCase() === selector.value.toLowerCase();
      case 'resourceId':
        return sameId(ids.resourceId, selector.value);
    }
  };
  if (system && matches({ ...system, resourceId: host.id })) return fromSystem();
  const user = users.find(u => matches(u));
  if (user) return fromUser(user);
  return identityNotFound(`No identity with ${selector.by} '${selector.value}' is attached to ${host.name}.`, 'identityNotAssigned');
}

/** Entra's AADSTS500011, with the trace/correlation ids and timestamp Entra appends. */
export function resourceNotFoundDescription(lab: Lab, resource: string): string {
  return `AADSTS500011: ${resourcePrincipalNotFound(resource, lab.directory.tenant.displayName)} ${entraTrailer(lab)}`;
}

/** `Trace ID: … Correlation ID: … Timestamp: 2026-01-01 12:00:00Z`, as Entra ends its error descriptions. */
export function entraTrailer(lab: Lab): string {
  const timestamp = new Date(lab.clock.now())
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return `Trace ID: ${newGuid()} Correlation ID: ${newGuid()} Timestamp: ${timestamp}`;
}

/**
 * The cache key of a token. A system-assigned identity belongs to one host, so its principal
 * and the resource are enough; a user-assigned identity can be attached to several hosts, and
 * its tokens name the host they were issued on (`xms_az_rid`), so its key includes the host.
 */
function cacheKey(kind: SelectedIdentity['kind'], principalId: string, resource: string, host: ReadonlyResource): string {
  return kind === 'SystemAssigned'
    ? `${principalId}|${resource.toLowerCase()}`
    : `${principalId}|${resource.toLowerCase()}|${idKey(host.id)}`;
}

interface CachedToken {
  token: IssuedAccessToken;
  identity: SelectedIdentity;
}

/** Cached tokens at most: far more than a lab's identities × resources; past it the oldest go first. */
export const TOKEN_CACHE_LIMIT = 10_000;

export class ManagedIdentityTokens {
  private readonly cache = new Map<string, CachedToken>();
  private signer: TokenSigner;
  private readonly subscription: Disposable;

  constructor(private readonly lab: Lab) {
    this.signer = lab.tokenSigner;
    // Cached tokens must not outlive the state they were issued from: after undo, a reset or an
    // import ('all'), or a new signing key, a cached token may be signed by a key no longer published.
    this.subscription = lab.onDidChange(change => {
      if (change.kind !== 'all' && lab.tokenSigner === this.signer) return;
      this.signer = lab.tokenSigner;
      this.clearCache();
    });
  }

  /** How many tokens are cached. */
  get size(): number {
    return this.cache.size;
  }

  /** Forgets cached tokens, e.g. after the identity they belong to changed. */
  clearCache(): void {
    this.cache.clear();
  }

  /** Stops following the lab's changes (when the endpoints serving from this cache stop). */
  dispose(): void {
    this.subscription.dispose();
  }

  /** Caches a token: a key is moved to the newest end, and past the limit the oldest (or expired) entries are evicted. */
  private remember(key: string, entry: CachedToken): void {
    this.cache.delete(key);
    this.cache.set(key, entry);
    if (this.cache.size <= TOKEN_CACHE_LIMIT) return;
    const now = epochSeconds(this.lab.clock);
    for (const [k, cached] of this.cache) {
      if (cached.token.claims.exp <= now) this.cache.delete(k);
    }
    while (this.cache.size > TOKEN_CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
  }

  /** The endpoint's cached token for this identity and resource, if it is still good: no await on the hot path. */
  cached(
    host: ReadonlyResource,
    resource: string,
    selector: IdentitySelector | undefined,
    endpoint: EndpointKind = 'imds',
  ): (TokenResult & { ok: true }) | undefined {
    // The common case (no selector, a system-assigned identity) needs no selection objects.
    const system = selector ? undefined : host.identity?.systemAssigned;
    let key: string;
    let principalId: string;
    if (system) {
      principalId = system.principalId;
      key = cacheKey('SystemAssigned', principalId, resource, host);
    } else {
      const selected = selectIdentity(host, selector, endpoint);
      if ('code' in selected) return undefined;
      principalId = selected.principalId;
      key = cacheKey(selected.kind, principalId, resource, host);
    }
    const cached = this.cache.get(key);
    if (!cached || !servableFromCache(cached.token.claims, epochSeconds(this.lab.clock))) return undefined;
    // The principal may have been deleted since (a deleted user-assigned identity): then no token.
    if (!this.lab.directory.byObject(principalId)) return undefined;
    return { ok: true, token: cached.token, identity: cached.identity, fromCache: true };
  }

  async acquire(
    host: ReadonlyResource,
    resource: string,
    selector: IdentitySelector | undefined,
    options: { bypassCache?: boolean; endpoint?: EndpointKind; trace?: { builder: TraceBuilder; endpoint: string } } = {},
  ): Promise<TokenResult> {
    const selected = selectIdentity(host, selector, options.endpoint);
    if ('code' in selected) return { ok: false, failure: selected };

    const principal = this.lab.directory.byObject(selected.principalId);
    const trace = options.trace;
    if (!principal) {
      // The identity is still referenced by the resource, but its principal is gone
      // (a deleted user-assigned identity): Entra cannot issue for it.
      return {
        ok: false,
        identity: selected,
        failure: identityNotFound(
          `The identity ${selected.managedIdentityResourceId} is still attached to ${host.name} but no longer exists in the directory (it was deleted).`,
          'identityDeleted',
        ),
      };
    }

    const key = cacheKey(selected.kind, selected.principalId, resource, host);
    const now = epochSeconds(this.lab.clock);
    const cached = this.cache.get(key);
    // IMDS serves a cached token until it is close to expiry (tokenLifetimes.ts).
    if (!options.bypassCache && cached && servableFromCache(cached.token.claims, now)) {
      return { ok: true, token: cached.token, identity: cached.identity, fromCache: true };
    }

    const entra = trace?.builder.participant('entra', 'Microsoft Entra ID');
    if (trace && entra) {
      trace.builder.add({
        from: trace.endpoint,
        to: entra,
        kind: 'request',
        label: `client credentials for ${selected.kind === 'SystemAssigned' ? 'system-assigned' : 'user-assigned'} identity, resource=${resource}`,
        notes: [`client_id ${selected.clientId}`],
      });
    }
    const app = findResourceApp(resource);
    if (!app) {
      const description = resourceNotFoundDescription(this.lab, resource);
      if (trace && entra) {
        trace.builder.add({
          from: entra,
          to: trace.endpoint,
          kind: 'response',
          status: 400,
          errorCode: 'AADSTS500011',
          label: 'resource principal not found',
        });
      }
      return {
        ok: false,
        identity: selected,
        failure: {
          code: 'InvalidResource',
          error: 'invalid_resource',
          description,
          explanation: `No API in the tenant is identified by '${resource}'. Use the resource's identifier URI, e.g. https://vault.azure.net for Key Vault.`,
          rule: 'resourceNotFound',
        },
      };
    }

    const claims = accessTokenClaims(
      {
        tenantId: this.lab.tenantId,
        objectId: selected.principalId,
        appId: selected.clientId,
        appIdAcr: '2',
        managedIdentityResourceId: selected.managedIdentityResourceId,
        ...(selected.kind === 'UserAssigned' ? { hostResourceId: host.id } : {}),
        groups: this.lab.directory.memberOf(selected.principalId),
      },
      resource,
      now,
      this.lab.settings.tokenLifetimeSeconds,
    );
    const token = await this.lab.tokenSigner.sign(claims);
    this.remember(key, { token, identity: selected });
    if (trace && entra) {
      trace.builder.add({
        from: entra,
        to: trace.endpoint,
        kind: 'response',
        status: 200,
        label: `access token, aud=${resource}`,
        token: { header: { ...token.header }, claims: { ...token.claims } },
        notes: [`oid ${claims.oid}`, ...issuedTokenNotes(claims)],
      });
    }
    return { ok: true, token, identity: selected, fromCache: false };
  }
}
