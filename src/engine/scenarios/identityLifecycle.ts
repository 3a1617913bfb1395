// Five scenarios about which identity a request uses, and for how long it exists: none turned on
// ("authentication unavailable"), a system-assigned identity lost with its VM, one user-assigned
// identity shared by three computes, two on one VM with no client_id, and an AZURE_CLIENT_ID that
// names an identity the VM does not have. Sources: the seeds' tables (001 §3.2, §3.9; 003
// Characteristics); IMDS errors in Microsoft Learn; Azure/azure-sdk-for-python#38826.
import type { Lab } from '../lab/lab';
import { LAB_CALLER } from '../lab/authorization';
import type { ScenarioDefinition } from './types';
import { SECRET_ACTIONS } from '../services/keyVault';
import { deleteResource } from '../operations/resources';
import { setScenarioEnvironment } from '../operations/scenarioProgress';
import { GROUP, grant, groundwork, named, resource, systemPrincipalOf, userIdentity, vaultWith, vm } from './kit';
import { allOk, broaderThanNeeded, firstFailure, goal, stepsOf, verdict, type Goal } from './verdict';

const CHAPTER_3 = '001_c9de0b23652fd1b1.txt';
const NOTES = '003_7d5dbaf2777594bf.txt';

const vaultLine = (vault: string) => `VAULT=$(az keyvault show -n ${vault} --query id -o tsv)`;
const assign = (role: string, scope = '"$VAULT"') =>
  `az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal --role "${role}" --scope ${scope}`;
const vmPrincipal = (host: string) => `PRINCIPAL=$(az vm identity show -g ${GROUP} -n ${host} --query principalId -o tsv)`;
const identityField = (variable: string, name: string, field: 'id' | 'clientId' | 'principalId') =>
  `${variable}=$(az identity show -g ${GROUP} -n ${name} --query ${field} -o tsv)`;
const secretNeed = (vaultId: string, secret: string) => ({ action: SECRET_ACTIONS.get, scope: `${vaultId}/secrets/${secret}` });
const listWords = (words: readonly string[]): string =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
const GROUP_SCOPE = 'GROUP_ID=$(az group show -n rg-scenario --query id -o tsv)';

/** The principal a check should look at for a host: its system-assigned one, else the one user-assigned identity it has. */
function hostPrincipals(lab: Lab, host: string): string[] {
  const resource = named(lab, 'vm', host) ?? named(lab, 'webapp', host) ?? named(lab, 'functionapp', host);
  return [resource?.identity?.systemAssigned?.principalId, ...(resource?.identity?.userAssigned ?? []).map(u => u.principalId)].filter(
    (p): p is string => Boolean(p),
  );
}

export const miUnavailable: ScenarioDefinition = {
  id: 'mi-unavailable',
  title: '"ManagedIdentityCredential authentication unavailable"',
  seed: { file: CHAPTER_3, section: '3.9 Troubleshooting Tips', row: 'ManagedIdentityCredential authentication unavailable' },
  disagreement: '"ManagedIdentityCredential authentication unavailable"',
  story: [
    'The app on **vm-reports** uses `ManagedIdentityCredential` to read **report-key** from **kv-reports**, and fails with',
    '*ManagedIdentityCredential authentication unavailable*: the VM has no managed identity, so IMDS has nothing to issue a token for.',
    '',
    "The course's fix is `az vm identity assign`. Do it — and see that a new identity is a *new principal*, with no access to anything yet.",
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    vm(lab, 'vm-reports');
    vaultWith(lab, 'kv-reports', { 'report-key': 'report-key-from-the-scenario' });
  },
  workload: {
    runsAs: 'vm-reports',
    credential: 'ManagedIdentityCredential',
    action: { kind: 'readSecret', vault: 'kv-reports', secret: 'report-key' },
    description: 'The app on vm-reports reads report-key from kv-reports with ManagedIdentityCredential.',
  },
  hints: [
    'Look at the token request in Token Flow: IMDS answers 400 — there is no identity on vm-reports to issue a token for.',
    'Turn on its system-assigned identity (az vm identity assign, or Enable System-Assigned Identity on the VM in Resources). Then check again.',
    'The new identity is a new service principal with no roles: give it Key Vault Secrets User on kv-reports.',
  ],
  solution: {
    terminal: [
      `az vm identity assign -g ${GROUP} -n vm-reports`,
      vmPrincipal('vm-reports'),
      vaultLine('kv-reports'),
      assign('Key Vault Secrets User'),
    ],
    note: "Turn on the VM's system-assigned identity, then give that new principal Key Vault Secrets User on kv-reports.",
  },
  wrongFixes: [
    {
      tried: 'turning the identity on, and nothing else',
      terminal: [`az vm identity assign -g ${GROUP} -n vm-reports`],
      outcome: 'not-yet',
      says: 'the new principal [0-9a-f-]{36} has no role on kv-reports yet',
    },
    {
      tried: 'a role for the identity at the resource group',
      terminal: [
        `az vm identity assign -g ${GROUP} -n vm-reports`,
        vmPrincipal('vm-reports'),
        GROUP_SCOPE,
        assign('Key Vault Secrets User', '"$GROUP_ID"'),
      ],
      outcome: 'too-broad',
      says: 'at resource group rg-scenario reaches far beyond kv-reports',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'vm-reports');
    const host = named(lab, 'vm', 'vm-reports');
    const vault = named(lab, 'keyvault', 'kv-reports');
    const principals = hostPrincipals(lab, 'vm-reports');
    const hasRole = vault
      ? principals.some(p => lab.access.isAllowed(p, SECRET_ACTIONS.get, `${vault.id}/secrets/report-key`, 'data'))
      : false;
    const goals: Goal[] = [
      goal(
        'vm-reports has a managed identity',
        principals.length > 0,
        host ? `${firstFailure(lab, steps) ?? ''} Turn one on.`.trim() : 'the lab has no vm-reports.',
      ),
      goal(
        "vm-reports's app reads report-key",
        allOk(steps),
        principals.length && !hasRole
          ? `the new principal ${principals[0]} has no role on kv-reports yet: a new identity starts with no access. ${firstFailure(lab, steps) ?? ''}`.trim()
          : firstFailure(lab, steps),
      ),
    ];
    const broad = vault
      ? principals.map(p => broaderThanNeeded(lab, p, [secretNeed(vault.id, 'report-key')], "vm-reports's app")).find(Boolean)
      : undefined;
    return verdict(this.id, goals, 'vm-reports has an identity, and that principal may read report-key.', broad);
  },
};

export const systemAssignedLifecycle: ScenarioDefinition = {
  id: 'system-assigned-lifecycle',
  title: 'A VM deleted and re-created: its identity did not come back',
  seed: { file: NOTES, section: 'Characteristics' },
  story: [
    '**vm-batch** read **batch-key** from **kv-batch** every night. Yesterday it was deleted and ' +
      're-created from the same template, with its system-assigned identity on.',
    "Now it gets 403. A system-assigned identity lives and dies with its resource: the new VM has a *new* principal, and the old one's role assignment",
    'is left behind, orphaned (the portal shows it as *Identity not found*).',
    '',
    'Give the new identity its access, clean up the orphan — and consider why a user-assigned identity would have survived the re-creation.',
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    const old = vm(lab, 'vm-batch', { systemAssigned: true });
    const vault = vaultWith(lab, 'kv-batch', { 'batch-key': 'batch-key-from-the-scenario' });
    grant(lab, old.identity!.systemAssigned!.principalId, 'Key Vault Secrets User', vault.id);
    deleteResource(lab, LAB_CALLER, old.id);
    vm(lab, 'vm-batch', { systemAssigned: true });
  },
  workload: {
    runsAs: 'vm-batch',
    credential: 'DefaultAzureCredential',
    action: { kind: 'readSecret', vault: 'kv-batch', secret: 'batch-key' },
    description: 'The nightly job on vm-batch reads batch-key from kv-batch with DefaultAzureCredential.',
  },
  hints: [
    "Compare vm-batch's principal id (az vm identity show) with the principal of the role assignment on kv-batch (az role assignment list --scope …).",
    "The assignment belongs to the deleted VM's identity: its principal no longer exists. Identities & Access lists it under orphaned assignments.",
    'Assign Key Vault Secrets User to the new principal, and delete the orphaned assignment (az role ' +
      'assignment delete --ids …). A user-assigned identity, attached to the VM, would have kept its access.',
  ],
  solution: {
    terminal: [
      vmPrincipal('vm-batch'),
      vaultLine('kv-batch'),
      assign('Key Vault Secrets User'),
      `ORPHAN=$(az role assignment list --scope "$VAULT" --query "[?principalName==''].id" -o tsv)`,
      'az role assignment delete --ids "$ORPHAN"',
    ],
    note: 'Grant the new principal Key Vault Secrets User on kv-batch, and remove the orphaned assignment of the deleted identity.',
  },
  wrongFixes: [
    {
      tried: 'deleting the orphaned assignment only',
      terminal: [
        vaultLine('kv-batch'),
        `ORPHAN=$(az role assignment list --scope "$VAULT" --query "[?principalName==''].id" -o tsv)`,
        'az role assignment delete --ids "$ORPHAN"',
      ],
      outcome: 'not-yet',
      says: "vm-batch's app reads batch-key — vm-batch reads batch-key from kv-batch: 403",
    },
    {
      tried: 'granting the new principal but leaving the orphan behind',
      terminal: [vmPrincipal('vm-batch'), vaultLine('kv-batch'), assign('Key Vault Secrets User')],
      outcome: 'not-yet',
      says: 'orphaned.*principal [0-9a-f-]{36} no longer exists',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'vm-batch');
    const vault = named(lab, 'keyvault', 'kv-batch');
    const orphans = vault
      ? lab.assignments.all.filter(a => a.scope.toLowerCase().startsWith(vault.id.toLowerCase()) && !lab.directory.principal(a.principalId))
      : [];
    const principal = systemPrincipalOf(lab, 'vm-batch');
    const goals = [
      goal("vm-batch's app reads batch-key", allOk(steps), firstFailure(lab, steps)),
      goal(
        'no orphaned role assignment is left on kv-batch',
        orphans.length === 0,
        orphans.length
          ? `the assignment ${orphans[0]!.name} is orphaned: its principal ${orphans[0]!.principalId} no longer exists ` +
              "(it was the deleted VM's identity). Remove it."
          : undefined,
      ),
    ];
    const broad = principal && vault ? broaderThanNeeded(lab, principal, [secretNeed(vault.id, 'batch-key')], "vm-batch's job") : undefined;
    return verdict(
      this.id,
      goals,
      'the new identity has its access and the orphan is gone. A user-assigned identity would have kept its access through the re-creation.',
      broad,
    );
  },
};

const SHARED_HOSTS = ['vm-shared', 'app-shared', 'func-shared'] as const;

export const userAssignedShared: ScenarioDefinition = {
  id: 'user-assigned-shared',
  title: 'Three computes, one user-assigned identity, one grant',
  seed: { file: CHAPTER_3, section: '3.2 Types of Managed Identities' },
  story: [
    'The same service runs on **vm-shared**, the web app **app-shared** and the function app **func-shared**. Each reads **shared-config** from **kv-shared**.',
    'It is configured with `AZURE_CLIENT_ID` naming the user-assigned identity **id-shared** — which none of them has yet, and which has no role.',
    '',
    'Make the three share that one identity and one role assignment (the course: *one identity shared ' +
      'across many Functions*), rather than three identities and three grants.',
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    const identity = userIdentity(lab, 'id-shared');
    vm(lab, 'vm-shared');
    resource(lab, 'webapp', 'app-shared');
    resource(lab, 'functionapp', 'func-shared');
    vaultWith(lab, 'kv-shared', { 'shared-config': 'shared-config-from-the-scenario' });
    setScenarioEnvironment(lab, 'AZURE_CLIENT_ID', identity.managedIdentity!.clientId);
  },
  workload: {
    runsAs: 'vm-shared',
    alsoRunsOn: ['app-shared', 'func-shared'],
    credential: 'DefaultAzureCredential',
    action: { kind: 'readSecret', vault: 'kv-shared', secret: 'shared-config' },
    description:
      'The service, deployed to vm-shared, app-shared and func-shared, reads shared-config from kv-shared ' +
      'with DefaultAzureCredential and AZURE_CLIENT_ID=<id-shared>.',
  },
  hints: [
    'Each of the three asks its endpoint for a token for id-shared (client_id) and is told the identity is not assigned to it.',
    'Attach id-shared to each: az vm identity assign / az webapp identity assign / az functionapp identity assign with --identities <its id>.',
    "Then one role assignment for id-shared's principal — Key Vault Secrets User on kv-shared — serves all three.",
  ],
  solution: {
    terminal: [
      identityField('ID', 'id-shared', 'id'),
      `az vm identity assign -g ${GROUP} -n vm-shared --identities "$ID"`,
      `az webapp identity assign -g ${GROUP} -n app-shared --identities "$ID"`,
      `az functionapp identity assign -g ${GROUP} -n func-shared --identities "$ID"`,
      identityField('PRINCIPAL', 'id-shared', 'principalId'),
      vaultLine('kv-shared'),
      assign('Key Vault Secrets User'),
    ],
    note: "Attach id-shared to the three, and give id-shared's principal Key Vault Secrets User on kv-shared once.",
  },
  wrongFixes: [
    {
      tried: 'a system-assigned identity and a grant for each of the three',
      terminal: [
        'scenario env --unset AZURE_CLIENT_ID',
        vaultLine('kv-shared'),
        `az vm identity assign -g ${GROUP} -n vm-shared`,
        vmPrincipal('vm-shared'),
        assign('Key Vault Secrets User'),
        `az webapp identity assign -g ${GROUP} -n app-shared`,
        `PRINCIPAL=$(az webapp identity show -g ${GROUP} -n app-shared --query principalId -o tsv)`,
        assign('Key Vault Secrets User'),
        `az functionapp identity assign -g ${GROUP} -n func-shared`,
        `PRINCIPAL=$(az functionapp identity show -g ${GROUP} -n func-shared --query principalId -o tsv)`,
        assign('Key Vault Secrets User'),
      ],
      outcome: 'not-yet',
      says: 'vm-shared, app-shared and func-shared have no id-shared attached',
    },
    {
      tried: 'attaching id-shared everywhere, without a role',
      terminal: [
        identityField('ID', 'id-shared', 'id'),
        `az vm identity assign -g ${GROUP} -n vm-shared --identities "$ID"`,
        `az webapp identity assign -g ${GROUP} -n app-shared --identities "$ID"`,
        `az functionapp identity assign -g ${GROUP} -n func-shared --identities "$ID"`,
      ],
      outcome: 'not-yet',
      says: '403 ForbiddenByRbac',
    },
    {
      tried: 'the one grant at the resource group',
      terminal: [
        identityField('ID', 'id-shared', 'id'),
        `az vm identity assign -g ${GROUP} -n vm-shared --identities "$ID"`,
        `az webapp identity assign -g ${GROUP} -n app-shared --identities "$ID"`,
        `az functionapp identity assign -g ${GROUP} -n func-shared --identities "$ID"`,
        identityField('PRINCIPAL', 'id-shared', 'principalId'),
        GROUP_SCOPE,
        assign('Key Vault Secrets User', '"$GROUP_ID"'),
      ],
      outcome: 'too-broad',
      says: 'reaches far beyond kv-shared',
    },
  ],
  check(lab, run) {
    const identity = named(lab, 'identity', 'id-shared');
    const vault = named(lab, 'keyvault', 'kv-shared');
    const goals: Goal[] = [];
    for (const host of SHARED_HOSTS) {
      const steps = stepsOf(run, host);
      goals.push(goal(`${host} reads shared-config`, allOk(steps), firstFailure(lab, steps)));
    }
    const without = SHARED_HOSTS.filter(host => {
      const r = named(lab, 'vm', host) ?? named(lab, 'webapp', host) ?? named(lab, 'functionapp', host);
      return !r?.identity?.userAssigned.some(u => u.resourceId.toLowerCase() === identity?.id.toLowerCase());
    });
    goals.push(
      goal(
        'the three share id-shared',
        without.length === 0,
        without.length ? `${listWords(without)} ${without.length === 1 ? 'has' : 'have'} no id-shared attached.` : undefined,
      ),
    );
    const ownGrants = vault
      ? SHARED_HOSTS.flatMap(host => {
          const own = systemPrincipalOf(lab, host);
          return own && lab.assignments.forPrincipal(own).some(a => a.state.scope.toLowerCase().startsWith(vault.id.toLowerCase()))
            ? [host]
            : [];
        })
      : [];
    goals.push(
      goal(
        "one grant serves all three (id-shared's)",
        ownGrants.length === 0,
        ownGrants.length
          ? `${ownGrants.join(', ')} holds a grant of its own on kv-shared: share id-shared's one grant instead.`
          : undefined,
      ),
    );
    const principal = identity?.managedIdentity?.principalId;
    const broad =
      principal && vault ? broaderThanNeeded(lab, principal, [secretNeed(vault.id, 'shared-config')], 'the shared service') : undefined;
    return verdict(this.id, goals, 'one identity, one grant, three computes: and it outlives any of them.', broad);
  },
};

export const multipleUserAssigned: ScenarioDefinition = {
  id: 'multiple-user-assigned',
  title: 'Two user-assigned identities on one VM, and no client_id',
  seed: { file: NOTES, section: 'User-assigned managed identity' },
  story: [
    '**vm-orders** has two user-assigned identities: **id-orders** (which holds Key Vault Secrets User ' +
      'on **kv-orders**) and **id-backup** (the backup agent on the same VM uses it).',
    'The orders app asks IMDS for a token without saying which identity, and IMDS answers **400**: with ' +
      'several user-assigned identities and no system-assigned one, it will not guess.',
    '',
    "Fix it in the app's environment — `AZURE_CLIENT_ID` (or `managedIdentityClientId` in code) — not by detaching the backup agent's identity.",
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    const orders = userIdentity(lab, 'id-orders');
    const backup = userIdentity(lab, 'id-backup');
    vm(lab, 'vm-orders', { userAssigned: [orders.id, backup.id] });
    const vault = vaultWith(lab, 'kv-orders', { 'orders-db': 'orders-db-from-the-scenario' });
    grant(lab, orders.managedIdentity!.principalId, 'Key Vault Secrets User', vault.id);
  },
  workload: {
    runsAs: 'vm-orders',
    credential: 'DefaultAzureCredential',
    action: { kind: 'readSecret', vault: 'kv-orders', secret: 'orders-db' },
    description:
      'The orders app on vm-orders reads orders-db from kv-orders with DefaultAzureCredential (AZURE_CLIENT_ID from its environment).',
  },
  hints: [
    "IMDS's 400 says it: multiple user-assigned identities, and the request named none.",
    'Name the identity the app should use: its client id, in AZURE_CLIENT_ID (DefaultAzureCredential reads it), or managedIdentityClientId in code.',
    'CLIENT=$(az identity show -g rg-scenario -n id-orders --query clientId -o tsv), then scenario env AZURE_CLIENT_ID="$CLIENT".',
  ],
  solution: {
    terminal: [identityField('CLIENT', 'id-orders', 'clientId'), 'scenario env AZURE_CLIENT_ID="$CLIENT"'],
    note: "Set AZURE_CLIENT_ID to id-orders's client id in the app's environment; both identities stay on the VM.",
  },
  wrongFixes: [
    {
      tried: "detaching the backup agent's identity",
      terminal: [identityField('ID', 'id-backup', 'id'), `az vm identity remove -g ${GROUP} -n vm-orders --identities "$ID"`],
      outcome: 'not-yet',
      says: 'the backup agent on vm-orders uses id-backup',
    },
    {
      tried: "naming the backup agent's identity",
      terminal: [identityField('CLIENT', 'id-backup', 'clientId'), 'scenario env AZURE_CLIENT_ID="$CLIENT"'],
      outcome: 'not-yet',
      says: '403 ForbiddenByRbac',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'vm-orders');
    const host = named(lab, 'vm', 'vm-orders');
    const attached = (name: string) => {
      const identity = named(lab, 'identity', name);
      return Boolean(identity && host?.identity?.userAssigned.some(u => u.resourceId.toLowerCase() === identity.id.toLowerCase()));
    };
    const goals = [
      goal(
        'both identities stay on vm-orders',
        attached('id-orders') && attached('id-backup'),
        'the backup agent on vm-orders uses id-backup (and the orders app id-orders): name the identity in the app instead of detaching one.',
      ),
      goal('the orders app reads orders-db as id-orders', allOk(steps), firstFailure(lab, steps)),
    ];
    return verdict(this.id, goals, 'the app names id-orders (AZURE_CLIENT_ID), and the VM keeps both identities.');
  },
};

export const wrongClientId: ScenarioDefinition = {
  id: 'wrong-client-id',
  title: 'AZURE_CLIENT_ID names an identity the VM does not have',
  seed: { file: CHAPTER_3, section: '3.9 Troubleshooting Tips' },
  story: [
    'The payments app on **vm-pay** was moved from an older deployment. Its environment still has ' +
      '`AZURE_CLIENT_ID` = the client id of **id-pay-old**, which is not attached to vm-pay.',
    'IMDS answers **400 Identity not found** — the SDKs word it *The requested identity has not been ' +
      'assigned to this resource* (Azure/azure-sdk-for-python#38826).',
    '',
    'vm-pay has its own system-assigned identity (no roles) and the user-assigned **id-pay**, which ' +
      'holds Key Vault Secrets User on **kv-pay**. Point the app at the right one.',
    "(The course's table suggests setting `AZURE_CLIENT_ID` to make DefaultAzureCredential faster; a stale one breaks it.)",
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    const current = userIdentity(lab, 'id-pay');
    const old = userIdentity(lab, 'id-pay-old');
    vm(lab, 'vm-pay', { systemAssigned: true, userAssigned: [current.id] });
    const vault = vaultWith(lab, 'kv-pay', { 'pay-api-key': 'pay-api-key-from-the-scenario' });
    grant(lab, current.managedIdentity!.principalId, 'Key Vault Secrets User', vault.id);
    setScenarioEnvironment(lab, 'AZURE_CLIENT_ID', old.managedIdentity!.clientId);
  },
  workload: {
    runsAs: 'vm-pay',
    credential: 'DefaultAzureCredential',
    action: { kind: 'readSecret', vault: 'kv-pay', secret: 'pay-api-key' },
    description:
      'The payments app on vm-pay reads pay-api-key from kv-pay with DefaultAzureCredential and the AZURE_CLIENT_ID in its environment.',
  },
  hints: [
    'Which client id does the token request name? Compare it with the identities az vm identity show -g rg-scenario -n vm-pay lists.',
    'Unsetting AZURE_CLIENT_ID makes IMDS use the system-assigned identity, which has no role: name the identity that has it.',
    'CLIENT=$(az identity show -g rg-scenario -n id-pay --query clientId -o tsv), then scenario env AZURE_CLIENT_ID="$CLIENT".',
  ],
  solution: {
    terminal: [identityField('CLIENT', 'id-pay', 'clientId'), 'scenario env AZURE_CLIENT_ID="$CLIENT"'],
    note: "Set AZURE_CLIENT_ID to id-pay's client id: the identity that is attached and holds the role.",
  },
  wrongFixes: [
    {
      tried: 'unsetting AZURE_CLIENT_ID',
      terminal: ['scenario env --unset AZURE_CLIENT_ID'],
      outcome: 'not-yet',
      says: '403 ForbiddenByRbac',
    },
    {
      tried: 'attaching id-pay-old to the VM',
      terminal: [identityField('ID', 'id-pay-old', 'id'), `az vm identity assign -g ${GROUP} -n vm-pay --identities "$ID"`],
      outcome: 'not-yet',
      says: '403 ForbiddenByRbac',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'vm-pay');
    const goals = [goal('the payments app reads pay-api-key', allOk(steps), firstFailure(lab, steps))];
    return verdict(this.id, goals, 'AZURE_CLIENT_ID names id-pay, attached to vm-pay and granted on kv-pay.');
  },
};

export const IDENTITY_SCENARIOS: readonly ScenarioDefinition[] = [
  miUnavailable,
  systemAssignedLifecycle,
  userAssignedShared,
  multipleUserAssigned,
  wrongClientId,
];
