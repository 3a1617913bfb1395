// The type-specific ARM properties the lab's services read — a vault's access policies, a SQL
// server's Entra admin — and what is wrong with a value that does not fit them. ARM PUT
// refuses such a value (400 InvalidRequestContent); a hand-edited state file's is ignored.
import { isJsonObject, MAX_JSON_DEPTH, tooDeepAt } from '../base/json';
import type { PropertyProblem, ResourceTypeInfo } from '../azure/resourceTypes';
import { LabError } from '../base/errors';
import type { ReadonlyResource } from './labState';

export interface AccessPolicy {
  tenantId?: string;
  objectId: string;
  permissions: { secrets?: string[]; keys?: string[]; certificates?: string[]; storage?: string[] };
}

const PERMISSION_KINDS = ['secrets', 'keys', 'certificates', 'storage'] as const;

/** What is wrong with one `accessPolicies` entry (`at`: the path below it), or undefined if it is an AccessPolicy. */
export function accessPolicyProblem(value: unknown): PropertyProblem | undefined {
  if (!isJsonObject(value)) return { at: '', problem: 'must be an object' };
  if (value['tenantId'] !== undefined && typeof value['tenantId'] !== 'string') return { at: '.tenantId', problem: 'must be a string' };
  if (typeof value['objectId'] !== 'string') return { at: '.objectId', problem: 'must be a string' };
  const permissions = value['permissions'];
  if (!isJsonObject(permissions)) return { at: '.permissions', problem: 'must be an object' };
  for (const kind of PERMISSION_KINDS) {
    const list = permissions[kind];
    if (list !== undefined && !(Array.isArray(list) && list.every(p => typeof p === 'string'))) {
      return { at: `.permissions.${kind}`, problem: 'must be an array of strings' };
    }
  }
  return undefined;
}

/** The vault's access policies; malformed entries (a hand-edited state file) are skipped, so they grant nothing. */
export function accessPoliciesOf(vault: ReadonlyResource): AccessPolicy[] {
  const policies = vault.properties['accessPolicies'];
  return Array.isArray(policies) ? policies.filter((p): p is AccessPolicy => accessPolicyProblem(p) === undefined) : [];
}

export interface SqlAdmin {
  login: string;
  sid: string;
  principalType: 'User' | 'Application' | 'Group';
  /** SQL authentication (user and password) is off: only Microsoft Entra logins. */
  azureADOnlyAuthentication: boolean;
}

const PRINCIPAL_TYPES: ReadonlyArray<SqlAdmin['principalType']> = ['User', 'Application', 'Group'];

/** What is wrong with a server's `administrators` property (`at`: the path below it), or undefined if nothing. */
export function sqlAdminProblem(value: unknown): PropertyProblem | undefined {
  if (!isJsonObject(value)) return { at: '', problem: 'must be an object' };
  const admin = value;
  if (typeof admin['sid'] !== 'string') return { at: '.sid', problem: 'must be a string' };
  for (const field of ['login', 'tenantId', 'administratorType']) {
    if (admin[field] !== undefined && typeof admin[field] !== 'string') return { at: `.${field}`, problem: 'must be a string' };
  }
  if (admin['principalType'] !== undefined && !PRINCIPAL_TYPES.includes(admin['principalType'] as SqlAdmin['principalType'])) {
    return { at: '.principalType', problem: `must be one of ${PRINCIPAL_TYPES.join(', ')}` };
  }
  if (admin['azureADOnlyAuthentication'] !== undefined && typeof admin['azureADOnlyAuthentication'] !== 'boolean') {
    return { at: '.azureADOnlyAuthentication', problem: 'must be a boolean' };
  }
  return undefined;
}

/** The server's Entra admin; none when the property is absent or malformed (a hand-edited state file). */
export function sqlAdminOf(server: ReadonlyResource): SqlAdmin | undefined {
  const value = server.properties['administrators'];
  if (value === undefined || sqlAdminProblem(value)) return undefined;
  const admin = value as { login?: string; sid: string; principalType?: SqlAdmin['principalType']; azureADOnlyAuthentication?: boolean };
  return admin.sid && admin.login
    ? {
        login: admin.login,
        sid: admin.sid,
        principalType: admin.principalType ?? 'User',
        azureADOnlyAuthentication: admin.azureADOnlyAuthentication ?? !server.properties['administratorLogin'],
      }
    : undefined;
}

/** ARM's answer to a body it cannot deserialize into the resource type's model. */
const invalidContent = (path: string, { at, problem }: PropertyProblem) =>
  new LabError(
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: 'properties.${path}${at}' ${problem}.`,
    400,
    `properties.${path}${at}`,
  );

/** Checks the properties the lab's services read (a vault's access policies, a SQL server's Entra admin) before they are stored. */
export function validateProperties(info: ResourceTypeInfo, properties: Record<string, unknown>): void {
  const deep = tooDeepAt(properties, MAX_JSON_DEPTH, 'properties');
  if (deep) {
    throw new LabError(
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: '${deep}' nests more than ${MAX_JSON_DEPTH} levels deep.`,
      400,
      'properties',
    );
  }
  switch (info.key) {
    case 'keyvault': {
      const rbac = properties['enableRbacAuthorization'];
      if (rbac !== undefined && rbac !== null && typeof rbac !== 'boolean') {
        throw invalidContent('enableRbacAuthorization', { at: '', problem: 'must be a boolean' });
      }
      const policies = properties['accessPolicies'];
      if (policies === undefined || policies === null) return;
      if (!Array.isArray(policies)) throw invalidContent('accessPolicies', { at: '', problem: 'must be an array' });
      policies.forEach((policy, index) => {
        const problem = accessPolicyProblem(policy);
        if (problem) throw invalidContent(`accessPolicies[${index}]`, problem);
      });
      return;
    }
    case 'sqlserver': {
      const admin = properties['administrators'];
      const problem = admin === undefined || admin === null ? undefined : sqlAdminProblem(admin);
      if (problem) throw invalidContent('administrators', problem);
      return;
    }
  }
}
