// Key Vault's data plane for secrets: set, get (latest or a version), list, delete (soft
// delete, as vaults do by default), each authorized like Key Vault does — with Azure RBAC
// data actions when the vault's `enableRbacAuthorization` is on, with its legacy access
// policies when it is off. Bodies and messages follow the Key Vault REST API (7.x/2025+).
import type { ServiceUrls } from '../azure/serviceDomains';
import type { Lab } from '../lab/lab';
import type { ReadonlyResource, SecretState, SecretVersionState } from '../state/labState';
import { resourceTypeOf } from '../azure/resourceTypes';
import { accessPoliciesOf } from '../state/resourceProperties';
import type { DataCaller } from './dataCaller';
import { ServiceError } from './dataCaller';
import { authorizationNote } from '../lab/authorization';
import type { AuthorizationNote } from '../trace/model';
import { keyVaultForbiddenByRbac, secretDeletedButRecoverable } from './messages';

export const SECRET_ACTIONS = {
  get: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  list: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
  set: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
  delete: 'Microsoft.KeyVault/vaults/secrets/delete',
} as const;

export type SecretOperation = keyof typeof SECRET_ACTIONS;

/** The access-policy permission each operation needs when RBAC authorization is off. */
const POLICY_PERMISSION: Record<SecretOperation, string> = { get: 'get', list: 'list', set: 'set', delete: 'delete' };

export interface SecretAttributes {
  enabled: boolean;
  created: number;
  updated: number;
  recoveryLevel: 'Recoverable+Purgeable';
  recoverableDays: number;
}

export interface SecretBundle {
  value: string;
  id: string;
  contentType?: string;
  attributes: SecretAttributes;
  tags: Record<string, string>;
}

export interface SecretItem {
  id: string;
  contentType?: string;
  attributes: SecretAttributes;
  tags: Record<string, string>;
}

/** A deleted secret as Delete Secret answers it: no `value` (REST "Secrets - Delete Secret" sample). */
export interface DeletedSecretBundle extends Omit<SecretBundle, 'value'> {
  recoveryId: string;
  deletedDate: number;
  scheduledPurgeDate: number;
}

const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const RETENTION_DAYS = 90;
const seconds = (ms: number) => Math.floor(ms / 1000);

export function requireVault(lab: Lab, vaultId: string): ReadonlyResource {
  const vault = lab.arm.resource(vaultId);
  if (!vault || resourceTypeOf(vault.type)?.key !== 'keyvault') {
    throw new ServiceError(404, 'VaultNotFound', `The vault '${vaultId}' was not found.`);
  }
  return vault;
}

export const findVaultByName = (lab: Lab, name: string): ReadonlyResource | undefined =>
  lab.arm.resources.find(r => r.type.toLowerCase() === 'microsoft.keyvault/vaults' && r.name.toLowerCase() === name.toLowerCase());

const vaultLabel = (vault: ReadonlyResource) => `${vault.name};location=${vault.location}`;
const callerLabel = (caller: DataCaller) => `appid=${caller.appId};oid=${caller.objectId};iss=${caller.issuer}`;

/** Authorizes one secret operation; throws Key Vault's 403 when denied, returns the trace note when allowed. */
export function authorizeSecretOperation(
  lab: Lab,
  vault: ReadonlyResource,
  caller: DataCaller,
  operation: SecretOperation,
  secretName?: string,
): AuthorizationNote {
  const action = SECRET_ACTIONS[operation];
  const scope = secretName ? `${vault.id}/secrets/${secretName}` : vault.id;
  if (vault.properties['enableRbacAuthorization'] !== false) {
    const decision = lab.access.decide({ principalId: caller.objectId, action, scope, plane: 'data' });
    const note = authorizationNote(decision);
    if (decision.allowed) return note;
    // The 403 Key Vault sends with RBAC; it prints the resource lower-cased.
    throw new ServiceError(
      403,
      'Forbidden',
      keyVaultForbiddenByRbac(callerLabel(caller), action, scope.toLowerCase(), vaultLabel(vault)),
      'ForbiddenByRbac',
      note,
    );
  }
  const policies = accessPoliciesOf(vault);
  const wanted = POLICY_PERMISSION[operation];
  const policy = policies.find(p => p.objectId.toLowerCase() === caller.objectId.toLowerCase());
  const granted = policy?.permissions.secrets?.some(p => p.toLowerCase() === wanted || p.toLowerCase() === 'all') ?? false;
  const note: AuthorizationNote = {
    allowed: granted,
    action: `secrets ${wanted} (access policy)`,
    scope: vault.id,
    principalId: caller.objectId,
    reasons: [
      'The vault uses access policies (enableRbacAuthorization is false): Azure role assignments are ignored for data access.',
      policy
        ? `Its policy for this principal grants secrets: ${policy.permissions.secrets?.join(', ') || 'nothing'}.`
        : 'It has no access policy for this principal.',
    ],
  };
  if (granted) return note;
  throw new ServiceError(
    403,
    'Forbidden',
    `The user, group or application '${callerLabel(caller)}' does not have secrets ${wanted} permission on key vault '${vaultLabel(vault)}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
    'AccessDenied',
    note,
  );
}

function requireName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new ServiceError(400, 'BadParameter', `The request URI contains an invalid name: ${name.slice(0, 200)}`);
  }
}

const secretsOf = (lab: Lab, vault: ReadonlyResource): SecretState[] => (lab.dataFor(vault.id).secrets ??= []);

function notFound(name: string, version?: string): ServiceError {
  const shown = version ? `${name}/${version}` : name;
  return new ServiceError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${shown} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
}

function attributes(v: SecretVersionState): SecretAttributes {
  return {
    enabled: v.enabled,
    created: seconds(v.created),
    updated: seconds(v.updated),
    recoveryLevel: 'Recoverable+Purgeable',
    recoverableDays: RETENTION_DAYS,
  };
}

function bundle(vault: ReadonlyResource, secret: SecretState, v: SecretVersionState, urls: ServiceUrls): SecretBundle {
  const b: SecretBundle = {
    value: v.value,
    id: `${urls.vault(vault.name)}secrets/${secret.name}/${v.version}`,
    attributes: attributes(v),
    tags: { ...v.tags },
  };
  if (v.contentType !== undefined) b.contentType = v.contentType;
  return b;
}

export interface SecretResult<T> {
  result: T;
  authorization: AuthorizationNote;
}

export function setSecret(
  lab: Lab,
  caller: DataCaller,
  vaultId: string,
  name: string,
  value: string,
  options: { contentType?: string; tags?: Record<string, string> } = {},
  urls: ServiceUrls = lab.serviceUrls,
): SecretResult<SecretBundle> {
  const vault = requireVault(lab, vaultId);
  requireName(name);
  const authorization = authorizeSecretOperation(lab, vault, caller, 'set', name);
  if (value.length > 25 * 1024) throw new ServiceError(400, 'BadParameter', 'Property value has a maximum length of 25 KB.');
  const secrets = secretsOf(lab, vault);
  let secret = secrets.find(s => s.name.toLowerCase() === name.toLowerCase());
  if (secret?.deleted) {
    throw new ServiceError(409, 'Conflict', secretDeletedButRecoverable(secret.name), 'ObjectIsDeletedButRecoverable');
  }
  const now = lab.clock.now();
  const version: SecretVersionState = {
    version: crypto.randomUUID().replace(/-/g, ''),
    value,
    enabled: true,
    created: now,
    updated: now,
    tags: { ...(options.tags ?? {}) },
  };
  if (options.contentType !== undefined) version.contentType = options.contentType;
  if (!secret) secrets.push((secret = { name, versions: [] }));
  secret.versions.push(version);
  lab.notify('dataPlane');
  return { result: bundle(vault, secret, version, urls), authorization };
}

export function getSecret(
  lab: Lab,
  caller: DataCaller,
  vaultId: string,
  name: string,
  version?: string,
  urls: ServiceUrls = lab.serviceUrls,
): SecretResult<SecretBundle> {
  const vault = requireVault(lab, vaultId);
  requireName(name);
  const authorization = authorizeSecretOperation(lab, vault, caller, 'get', name);
  const secret = secretsOf(lab, vault).find(s => s.name.toLowerCase() === name.toLowerCase() && !s.deleted);
  if (!secret) throw notFound(name);
  const found = version
    ? secret.versions.find(v => v.version.toLowerCase() === version.toLowerCase())
    : secret.versions[secret.versions.length - 1];
  if (!found) throw notFound(name, version);
  if (!found.enabled) throw new ServiceError(403, 'Forbidden', `Operation get is not allowed on a disabled secret.`, 'SecretDisabled');
  return { result: bundle(vault, secret, found, urls), authorization };
}

export function listSecrets(
  lab: Lab,
  caller: DataCaller,
  vaultId: string,
  urls: ServiceUrls = lab.serviceUrls,
): SecretResult<SecretItem[]> {
  const vault = requireVault(lab, vaultId);
  const authorization = authorizeSecretOperation(lab, vault, caller, 'list');
  const items = secretsOf(lab, vault)
    .filter(s => !s.deleted && s.versions.length > 0)
    .map(s => {
      const latest = s.versions[s.versions.length - 1]!;
      const item: SecretItem = {
        id: `${urls.vault(vault.name)}secrets/${s.name}`,
        attributes: attributes(latest),
        tags: { ...latest.tags },
      };
      if (latest.contentType !== undefined) item.contentType = latest.contentType;
      return item;
    });
  return { result: items, authorization };
}

export function listSecretVersions(
  lab: Lab,
  caller: DataCaller,
  vaultId: string,
  name: string,
  urls: ServiceUrls = lab.serviceUrls,
): SecretResult<SecretItem[]> {
  const vault = requireVault(lab, vaultId);
  requireName(name);
  const authorization = authorizeSecretOperation(lab, vault, caller, 'list', name);
  const secret = secretsOf(lab, vault).find(s => s.name.toLowerCase() === name.toLowerCase() && !s.deleted);
  if (!secret) throw notFound(name);
  return {
    result: secret.versions.map(v => ({
      id: `${urls.vault(vault.name)}secrets/${secret.name}/${v.version}`,
      attributes: attributes(v),
      tags: { ...v.tags },
      ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    })),
    authorization,
  };
}

export function deleteSecret(
  lab: Lab,
  caller: DataCaller,
  vaultId: string,
  name: string,
  urls: ServiceUrls = lab.serviceUrls,
): SecretResult<DeletedSecretBundle> {
  const vault = requireVault(lab, vaultId);
  requireName(name);
  const authorization = authorizeSecretOperation(lab, vault, caller, 'delete', name);
  const secret = secretsOf(lab, vault).find(s => s.name.toLowerCase() === name.toLowerCase() && !s.deleted);
  if (!secret) throw notFound(name);
  const now = lab.clock.now();
  secret.deleted = { deletedDate: now, scheduledPurgeDate: now + RETENTION_DAYS * 24 * 3600_000 };
  lab.notify('dataPlane');
  // Never the value: deleting needs only the delete permission, reading needs get.
  const { value: _value, ...latest } = bundle(vault, secret, secret.versions[secret.versions.length - 1]!, urls);
  return {
    result: {
      ...latest,
      recoveryId: `${urls.vault(vault.name)}deletedsecrets/${secret.name}`,
      deletedDate: seconds(now),
      scheduledPurgeDate: seconds(secret.deleted.scheduledPurgeDate),
    },
    authorization,
  };
}
