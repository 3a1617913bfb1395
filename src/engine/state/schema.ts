// Reading lab state: migrate older versions, then validate every field, reporting the exact
// path of anything wrong (`resources[2].identity.systemAssigned.principalId: …`). A file that
// fails is never used (and the host never overwrites it).
import type { LabState } from './labState';
import { CURRENT_SCHEMA_VERSION } from './labState';
import { isGuid } from '../base/ids';
import { isJsonObject, MAX_JSON_DEPTH, tooDeepAt } from '../base/json';
import { latencyProblem, tokenLifetimeProblem } from './limits';
import { fromBase64 } from '../base/encoding';
import { parseResourceId } from '../azure/resourceId';
import { resourceTypeOf } from '../azure/resourceTypes';
import { isSigningKeyState } from '../base/crypto/signingKeys';
import { roleGuidOf } from './roleDefinitions';
import { BUILT_IN_ROLES } from '../azure/builtInRoles';
import { DEFAULT_RBAC_PROPAGATION, PROPAGATION_MODES, propagationDelayProblem } from './propagation';

export interface Problem {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; state: LabState; migratedFrom?: number } | { ok: false; problems: Problem[] };

/** Upgrades from version N to N+1. Add an entry here when the schema changes. */
const MIGRATIONS: Record<number, (state: Record<string, unknown>) => Record<string, unknown>> = {
  // 2: the lab clock, Entra groups, RBAC propagation (nothing propagates late in a lab from before it).
  1: state => ({
    ...state,
    clock: { offsetMs: 0 },
    groups: [],
    removedRoleAssignments: [],
    settings: isJsonObject(state['settings'])
      ? { ...state['settings'], rbacPropagation: { ...DEFAULT_RBAC_PROPAGATION } }
      : state['settings'],
  }),
  // 3: scenario progress and a learner's lab set aside while a scenario runs (`scenarios`, optional). The
  // version is bumped although nothing needs filling in, so that an older lab refuses the file rather than
  // saving over it without the set-aside lab.
  2: state => state,
};

type Check = (value: unknown, path: string, problems: Problem[]) => void;

const fail = (problems: Problem[], path: string, message: string): void => {
  problems.push({ path: path || '(root)', message });
};
const typeName = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

const string =
  (test?: (s: string) => string | undefined): Check =>
  (v, path, problems) => {
    if (typeof v !== 'string') return fail(problems, path, `expected a string, found ${typeName(v)}`);
    const why = test?.(v);
    if (why) fail(problems, path, why);
  };
const guid = string(s => (isGuid(s) ? undefined : `expected a GUID, found '${s.slice(0, 60)}'`));
const armId = string(s => {
  try {
    parseResourceId(s);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
});
const number: Check = (v, path, problems) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(problems, path, `expected a number, found ${typeName(v)}`);
};
const boolean: Check = (v, path, problems) => {
  if (typeof v !== 'boolean') fail(problems, path, `expected true or false, found ${typeName(v)}`);
};
const oneOf = (...values: string[]): Check =>
  string(s => (values.includes(s) ? undefined : `expected one of ${values.join(', ')}, found '${s.slice(0, 60)}'`));
const anything: Check = () => undefined;
/** A value the lab's own rule (state/limits.ts, also used by the operation that sets it) accepts. */
const rule =
  (problem: (value: unknown) => string | undefined): Check =>
  (v, path, problems) => {
    const why = problem(v);
    if (why) fail(problems, path, `${why}, found ${typeof v === 'number' ? v : typeName(v)}`);
  };
const base64 = string(s => (fromBase64(s) && s.length > 0 ? undefined : 'expected base64 data'));

const array =
  (item: Check): Check =>
  (v, path, problems) => {
    if (!Array.isArray(v)) return fail(problems, path, `expected an array, found ${typeName(v)}`);
    v.forEach((entry, i) => item(entry, `${path}[${i}]`, problems));
  };
const record =
  (item: Check): Check =>
  (v, path, problems) => {
    if (!isJsonObject(v)) return fail(problems, path, `expected an object, found ${typeName(v)}`);
    for (const [k, entry] of Object.entries(v)) item(entry, `${path}[${JSON.stringify(k)}]`, problems);
  };
const object =
  (fields: Record<string, Check>, optional: Record<string, Check> = {}): Check =>
  (v, path, problems) => {
    if (!isJsonObject(v)) return fail(problems, path, `expected an object, found ${typeName(v)}`);
    const o = v;
    const at = (k: string) => (path ? `${path}.${k}` : k);
    for (const [k, check] of Object.entries(fields)) {
      if (!(k in o)) fail(problems, at(k), 'is missing');
      else check(o[k], at(k), problems);
    }
    for (const [k, check] of Object.entries(optional)) if (k in o && o[k] !== undefined) check(o[k], at(k), problems);
  };

const tags = record(string());
const propagationDelay: Check = (v, path, problems) => {
  const why = propagationDelayProblem(v);
  if (why) fail(problems, path, why);
};
const assignmentFields = {
  name: guid,
  scope: armId,
  roleDefinitionId: string(s => (roleGuidOf(s) ? undefined : `is not a role definition id: '${s.slice(0, 100)}'`)),
  principalId: guid,
  principalType: oneOf('User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'),
  createdOn: number,
  createdBy: string(),
};
const assignmentOptional = { description: string(), inEffectFrom: number };
const permission = object({
  actions: array(string()),
  notActions: array(string()),
  dataActions: array(string()),
  notDataActions: array(string()),
});
const federated = object({ name: string(), issuer: string(), subject: string(), audiences: array(string()) });
const signingKey: Check = (v, path, problems) => {
  if (!isSigningKeyState(v)) {
    fail(problems, path, 'is not a valid signing key (kid, certificate, createdAt and an RSA private JWK are required)');
  }
};

const schema = object(
  {
    schemaVersion: number,
    tenant: object({ tenantId: guid, displayName: string(), defaultDomain: string() }),
    user: object({ objectId: guid, userPrincipalName: string(), displayName: string() }),
    subscriptions: array(object({ subscriptionId: guid, displayName: string() })),
    resourceGroups: array(
      object({
        subscriptionId: guid,
        name: string(s => (s.length > 0 && s.length <= 90 ? undefined : 'must be 1-90 characters')),
        location: string(),
        tags,
      }),
    ),
    resources: array(
      object(
        { id: armId, type: string(), name: string(), location: string(), tags, properties: record(anything), createdAt: number },
        {
          kind: string(),
          identity: object(
            { userAssigned: array(object({ resourceId: armId, principalId: guid, clientId: guid })) },
            { systemAssigned: object({ principalId: guid, clientId: guid }) },
          ),
          managedIdentity: object({ principalId: guid, clientId: guid }),
          federatedIdentityCredentials: array(federated),
        },
      ),
    ),
    servicePrincipals: array(
      object({
        objectId: guid,
        appId: guid,
        displayName: string(),
        servicePrincipalType: oneOf('ManagedIdentity', 'Application'),
        alternativeNames: array(string()),
        createdAt: number,
      }),
    ),
    roleDefinitions: array(
      object({
        name: guid,
        roleName: string(),
        description: string(),
        permissions: array(permission),
        assignableScopes: array(armId),
        createdOn: number,
      }),
    ),
    roleAssignments: array(object(assignmentFields, assignmentOptional)),
    removedRoleAssignments: array(object({ ...assignmentFields, removedOn: number, inEffectUntil: number }, assignmentOptional)),
    groups: array(
      object(
        {
          objectId: guid,
          displayName: string(s => (s.trim().length > 0 && s.length <= 256 ? undefined : 'must be 1-256 characters')),
          mailNickname: string(),
          createdAt: number,
          members: array(object({ objectId: guid, addedAt: number })),
        },
        { description: string() },
      ),
    ),
    dataPlane: record(
      object(
        {},
        {
          secrets: array(
            object(
              {
                name: string(),
                versions: array(
                  object(
                    { version: string(), value: string(), enabled: boolean, created: number, updated: number, tags },
                    { contentType: string() },
                  ),
                ),
              },
              { deleted: object({ deletedDate: number, scheduledPurgeDate: number }) },
            ),
          ),
          containers: array(
            object({
              name: string(),
              created: number,
              blobs: array(object({ name: string(), content: string(), contentType: string(), lastModified: number, etag: string() })),
            }),
          ),
          sqlUsers: array(object({ name: string(), objectId: guid, roles: array(string()) })),
          sqlTables: array(
            object(
              { name: string(), rows: array(record(anything)) },
              {
                columns: array(
                  object({ name: string(), type: oneOf('int', 'bigint', 'bit', 'nvarchar'), nullable: boolean }, { length: number }),
                ),
              },
            ),
          ),
        },
      ),
    ),
    signingKeys: array(signingKey),
    settings: object(
      {
        tokenLifetimeSeconds: rule(tokenLifetimeProblem),
        rbacPropagation: object({ mode: oneOf(...PROPAGATION_MODES), delaySeconds: propagationDelay }),
      },
      { imdsThrottlingByDefault: boolean },
    ),
    clock: object({ offsetMs: number }, { pausedAt: number }),
  },
  {
    secretSeed: base64,
    workloadIssuerKey: signingKey,
    applications: array(
      object({
        appId: guid,
        objectId: guid,
        displayName: string(),
        createdAt: number,
        passwordCredentials: array(
          object({ keyId: guid, displayName: string(), hint: string(), secretHash: base64, startDateTime: number, endDateTime: number }),
        ),
        keyCredentials: array(
          object({
            keyId: guid,
            displayName: string(),
            thumbprint: string(t => (/^[0-9A-F]{40}$/.test(t) ? undefined : 'expected a SHA-1 thumbprint (40 upper-case hex digits)')),
            certificate: base64,
            startDateTime: number,
            endDateTime: number,
          }),
        ),
        federatedIdentityCredentials: array(federated),
      }),
    ),
    tls: object(
      { caCertificate: base64, caKey: base64, serverCertificate: base64, serverKey: base64, createdAt: number },
      { version: number },
    ),
    faults: record(
      object({ throttle: boolean, latencyMs: rule(latencyProblem) }, { failure: oneOf('gone410', 'notFound404', 'serverError500') }),
    ),
    scenarios: object(
      {
        progress: record(
          object(
            { startedAt: number, hintsUsed: number, checks: number },
            { solvedAt: number, lastOutcome: oneOf('solved', 'not-yet', 'too-broad'), solutionShown: boolean },
          ),
        ),
      },
      {
        walkthrough: array(string()),
        active: object(
          {
            id: string(),
            startedAt: number,
            environment: record(string()),
            setAside: (v, path, problems) => setAsideLab(v, path, problems),
          },
          { setupAssignments: array(string()), heldTokens: record(string()) },
        ),
      },
    ),
  },
);

/** The learner's lab set aside while a scenario runs: a whole lab state of its own, checked (and migrated) as one. */
function setAsideLab(value: unknown, path: string, problems: Problem[]): void {
  if (isJsonObject(value) && 'scenarios' in value) {
    return fail(problems, `${path}.scenarios`, 'a lab set aside has no scenarios of its own');
  }
  const parsed = parseLabState(value);
  if (!parsed.ok) for (const p of parsed.problems) fail(problems, `${path}.${p.path}`, p.message);
}

/** Checks that hold across fields: references that must resolve. */
function checkReferences(state: LabState, problems: Problem[]): void {
  if (state.subscriptions.length === 0) fail(problems, 'subscriptions', 'must contain at least one subscription');
  if (state.signingKeys.length === 0) fail(problems, 'signingKeys', 'must contain at least one signing key');
  const subscriptions = new Set(state.subscriptions.map(s => s.subscriptionId.toLowerCase()));
  const groups = new Set(state.resourceGroups.map(g => `${g.subscriptionId}/${g.name}`.toLowerCase()));
  state.resourceGroups.forEach((g, i) => {
    if (!subscriptions.has(g.subscriptionId.toLowerCase())) {
      fail(problems, `resourceGroups[${i}].subscriptionId`, `no subscription '${g.subscriptionId}' in this lab`);
    }
  });
  const principals = new Set([state.user.objectId, ...state.servicePrincipals.map(sp => sp.objectId)].map(id => id.toLowerCase()));
  const seen = new Set<string>();
  state.resources.forEach((r, i) => {
    const parsed = parseResourceId(r.id);
    if (parsed.kind !== 'resource') return fail(problems, `resources[${i}].id`, 'is not the id of a resource');
    if (seen.has(parsed.id.toLowerCase())) fail(problems, `resources[${i}].id`, 'appears twice');
    seen.add(parsed.id.toLowerCase());
    if (!groups.has(`${parsed.subscriptionId}/${parsed.resourceGroup}`.toLowerCase())) {
      fail(problems, `resources[${i}].id`, `its resource group '${parsed.resourceGroup}' is not in this lab`);
    }
    if (parsed.type?.toLowerCase() !== r.type.toLowerCase()) {
      fail(problems, `resources[${i}].type`, `does not match the type in its id ('${parsed.type}')`);
    }
    if (!resourceTypeOf(r.type, r.kind)) fail(problems, `resources[${i}].type`, `'${r.type}' is not a resource type the lab simulates`);
    const system = r.identity?.systemAssigned;
    if (system && !principals.has(system.principalId.toLowerCase())) {
      fail(
        problems,
        `resources[${i}].identity.systemAssigned.principalId`,
        `no service principal '${system.principalId}' in the directory`,
      );
    }
  });
  const roleGuids = new Set([...BUILT_IN_ROLES.map(r => r.name), ...state.roleDefinitions.map(r => r.name)].map(g => g.toLowerCase()));
  state.roleAssignments.forEach((a, i) => {
    const guid = roleGuidOf(a.roleDefinitionId);
    if (guid && !roleGuids.has(guid)) fail(problems, `roleAssignments[${i}].roleDefinitionId`, `no role definition '${guid}'`);
  });
  const groupIds = new Set<string>();
  state.groups.forEach((g, i) => {
    const id = g.objectId.toLowerCase();
    if (groupIds.has(id) || principals.has(id)) fail(problems, `groups[${i}].objectId`, 'is the object id of another directory object');
    groupIds.add(id);
  });
}

/** Levels the state's own structure takes above the values it holds (`dataPlane.{id}.sqlTables[0].rows[0]…`). */
const STATE_NESTING = 8;

export function parseLabState(json: unknown): ParseResult {
  if (!isJsonObject(json)) {
    return { ok: false, problems: [{ path: '(root)', message: `expected an object, found ${typeName(json)}` }] };
  }
  let data = json as Record<string, unknown>;
  const version = data['schemaVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, problems: [{ path: 'schemaVersion', message: 'is missing or not a positive whole number' }] };
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      problems: [
        {
          path: 'schemaVersion',
          message:
            `is ${version}, written by a newer version of Managed Identity Lab; ` +
            `this version reads up to ${CURRENT_SCHEMA_VERSION}. Update the extension to open it.`,
        },
      ],
    };
  }
  for (let v = version; v < CURRENT_SCHEMA_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (!migrate) return { ok: false, problems: [{ path: 'schemaVersion', message: `no migration from version ${v}` }] };
    data = { ...migrate(data), schemaVersion: v + 1 };
  }
  // Checked before anything walks the state recursively (the schema, saving it): a deeper value would overflow the stack.
  const deep = tooDeepAt(data, MAX_JSON_DEPTH + STATE_NESTING);
  if (deep) return { ok: false, problems: [{ path: deep, message: `nests more than ${MAX_JSON_DEPTH} levels deep` }] };
  const problems: Problem[] = [];
  schema(data, '', problems);
  if (problems.length === 0) checkReferences(data as unknown as LabState, problems);
  if (problems.length > 0) return { ok: false, problems };
  upgradeSetAside(data);
  return version === CURRENT_SCHEMA_VERSION
    ? { ok: true, state: data as unknown as LabState }
    : { ok: true, state: data as unknown as LabState, migratedFrom: version };
}

/** A lab set aside in an older version is upgraded with the file that holds it. */
function upgradeSetAside(data: Record<string, unknown>): void {
  const active = (data['scenarios'] as { active?: { setAside: unknown } } | undefined)?.active;
  if (!active) return;
  const parsed = parseLabState(active.setAside);
  if (parsed.ok) active.setAside = parsed.state;
}

export const describeProblems = (problems: readonly Problem[]): string =>
  problems
    .slice(0, 10)
    .map(p => `${p.path}: ${p.message}`)
    .join('\n') + (problems.length > 10 ? `\n… and ${problems.length - 10} more` : '');
