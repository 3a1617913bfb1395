// RBAC decisions at scale: 100,000 role assignments over 20,000 resources and 10,000
// principals. The lab's indexed decider against a naive scan of every assignment, in the
// same run, on the same data and the same role-verdict cache (so the comparison isolates
// the indexing).
import { Lab } from '../src/engine/lab/lab';
import { emptyLabState } from '../src/engine/operations/sampleLab';
import type { LabState, RoleAssignmentState } from '../src/engine/state/labState';
import { resourceGroupId, resourceId, subscriptionId } from '../src/engine/azure/resourceId';
import { BUILT_IN_ROLES } from '../src/engine/azure/builtInRoles';
import { roleDefinitionId } from '../src/engine/state/roleDefinitions';
import { evaluatePermissions, type Plane } from '../src/engine/azure/permissions';
import { isAtOrAbove } from '../src/engine/azure/resourceId';
import { planeOf } from '../src/engine/azure/actions';
import { fmt, table, timeEach } from './stats';

const RESOURCES = 20_000;
const PRINCIPALS = 10_000;
const ASSIGNMENTS = 100_000;
const GROUPS = 200;

/** A deterministic generator, so every run measures the same lab. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

const uuid = (rand: () => number) => 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => Math.floor(rand() * 16).toString(16));

export async function buildLargeLab(): Promise<{ lab: Lab; scopes: string[]; principals: string[] }> {
  const rand = random(42);
  const state: LabState = await emptyLabState();
  const sub = state.subscriptions[0]!.subscriptionId;
  const scopes: string[] = [subscriptionId(sub)];
  const types = [
    'Microsoft.KeyVault/vaults',
    'Microsoft.Compute/virtualMachines',
    'Microsoft.Storage/storageAccounts',
    'Microsoft.Web/sites',
  ];
  for (let g = 0; g < GROUPS; g++) {
    const group = `rg-${g}`;
    state.resourceGroups.push({ subscriptionId: sub, name: group, location: 'eastus', tags: {} });
    scopes.push(resourceGroupId(sub, group));
  }
  for (let r = 0; r < RESOURCES; r++) {
    const group = `rg-${r % GROUPS}`;
    const type = types[r % types.length]!;
    const id = resourceId(sub, group, type, `res${r}`);
    state.resources.push({ id, type, name: `res${r}`, location: 'eastus', tags: {}, properties: {}, createdAt: 0 });
    scopes.push(id);
  }
  const principals: string[] = [];
  for (let p = 0; p < PRINCIPALS; p++) {
    const objectId = uuid(rand);
    principals.push(objectId);
    state.servicePrincipals.push({
      objectId,
      appId: uuid(rand),
      displayName: `sp-${p}`,
      servicePrincipalType: 'Application',
      alternativeNames: [],
      createdAt: 0,
    });
  }
  const roles = BUILT_IN_ROLES.map(r => r.name);
  const assignments: RoleAssignmentState[] = [];
  for (let a = 0; a < ASSIGNMENTS; a++) {
    const pick = rand();
    // 10% subscription, 30% resource group, 60% resource: the shape of real estates.
    const scope =
      pick < 0.1
        ? scopes[0]!
        : pick < 0.4
          ? scopes[1 + Math.floor(rand() * GROUPS)]!
          : scopes[1 + GROUPS + Math.floor(rand() * RESOURCES)]!;
    assignments.push({
      name: uuid(rand),
      scope,
      roleDefinitionId: roleDefinitionId(sub, roles[Math.floor(rand() * roles.length)]!),
      principalId: principals[Math.floor(rand() * PRINCIPALS)]!,
      principalType: 'ServicePrincipal',
      createdOn: 0,
      createdBy: state.user.objectId,
    });
  }
  state.roleAssignments = assignments;
  return { lab: new Lab(state), scopes, principals };
}

const ACTIONS = [
  'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  'Microsoft.KeyVault/vaults/read',
  'Microsoft.Compute/virtualMachines/write',
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
  'Microsoft.Authorization/roleAssignments/write',
  'Microsoft.Web/sites/write',
];

export async function benchRbac(): Promise<string> {
  const built = Date.now();
  const { lab, scopes, principals } = await buildLargeLab();
  const buildMs = Date.now() - built;
  const rand = random(7);
  const queries = Array.from({ length: 200_000 }, () => ({
    principal: principals[Math.floor(rand() * principals.length)]!,
    action: ACTIONS[Math.floor(rand() * ACTIONS.length)]!,
    scope: scopes[Math.floor(rand() * scopes.length)]!,
  }));
  const all = lab.assignments.all.map(a => ({ a, key: a.scope.toLowerCase(), role: lab.roles.get(a.roleDefinitionId)! }));
  const verdicts = new Map<string, boolean>();
  const naive = (q: { principal: string; action: string; scope: string }): boolean => {
    const plane: Plane = planeOf(q.action);
    for (const { a, role } of all) {
      if (a.principalId !== q.principal || !isAtOrAbove(a.scope, q.scope)) continue;
      const key = `${role.name}|${plane}|${q.action}`;
      let granted = verdicts.get(key);
      if (granted === undefined) verdicts.set(key, (granted = evaluatePermissions(role.permissions, q.action, plane).granted));
      if (granted) return true;
    }
    return false;
  };

  // Warm up both (JIT, caches), then measure.
  for (const q of queries.slice(0, 5_000)) lab.access.isAllowed(q.principal, q.action, q.scope);
  for (const q of queries.slice(0, 200)) naive(q);
  let agree = 0;
  const sample = queries.slice(0, 2_000);
  for (const q of sample) if (naive(q) === lab.access.isAllowed(q.principal, q.action, q.scope)) agree++;

  const indexed = timeEach(queries, q => lab.access.isAllowed(q.principal, q.action, q.scope));
  const explained = timeEach(queries.slice(0, 50_000), q =>
    lab.access.decide({ principalId: q.principal, action: q.action, scope: q.scope }),
  );
  const scan = timeEach(queries.slice(0, 2_000), naive);
  const allowed = queries.slice(0, 20_000).filter(q => lab.access.isAllowed(q.principal, q.action, q.scope)).length;

  const rows = [
    {
      decider: 'indexed isAllowed (hot path)',
      decisions: fmt(indexed.count, 0),
      'per second': fmt(indexed.perSecond, 0),
      'p50 µs': fmt(indexed.p50us, 2),
      'p99 µs': fmt(indexed.p99us, 2),
      'vs naive': `${fmt(indexed.perSecond / scan.perSecond, 0)}×`,
    },
    {
      decider: 'indexed decide (with reasons)',
      decisions: fmt(explained.count, 0),
      'per second': fmt(explained.perSecond, 0),
      'p50 µs': fmt(explained.p50us, 2),
      'p99 µs': fmt(explained.p99us, 2),
      'vs naive': `${fmt(explained.perSecond / scan.perSecond, 0)}×`,
    },
    {
      decider: 'naive scan of all assignments',
      decisions: fmt(scan.count, 0),
      'per second': fmt(scan.perSecond, 0),
      'p50 µs': fmt(scan.p50us, 2),
      'p99 µs': fmt(scan.p99us, 2),
      'vs naive': '1×',
    },
  ];
  return [
    `RBAC decisions: ${ASSIGNMENTS.toLocaleString('en-US')} assignments, ${RESOURCES.toLocaleString('en-US')} resources, ` +
      `${PRINCIPALS.toLocaleString('en-US')} principals (lab built in ${buildMs} ms; ` +
      `${((allowed / 20_000) * 100).toFixed(0)}% of queries allowed; indexed and naive agree on ${agree}/${sample.length})`,
    table(rows),
  ].join('\n');
}
