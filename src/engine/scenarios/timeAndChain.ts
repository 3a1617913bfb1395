// Five scenarios about time and the credential chain, from the course material's troubleshooting
// table and the complaints behind it: a 403 right after a role was granted (propagation), a
// group that does not help for hours (the identity's cached token), a token an app kept past its
// expiry, a token request that "fails locally" (DefaultAzureCredential ends at Azure CLI, as you),
// and DefaultAzureCredential slow locally (the IMDS probe).
import type { Lab } from '../lab/lab';
import { LAB_CALLER } from '../lab/authorization';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../operations/resources';
import { createRoleAssignment } from '../operations/roleAssignments';
import { setRbacPropagation } from '../operations/settings';
import { addGroupMember, createGroup } from '../operations/groups';
import { subscriptionId } from '../azure/resourceId';
import type { ReadonlyResource } from '../state/labState';
import type { ScenarioCheck, ScenarioDefinition, WorkloadRun } from './types';
import { broaderThan, secretAccess, secretReads, yourMachineChains } from './evidence';
import { goal, stepsOf, verdict as judged, whyFailed, type Goal } from './verdict';

const CHAPTER_3 = '001_c9de0b23652fd1b1.txt';
const TROUBLESHOOTING = '3.9 Troubleshooting Tips';
const GRANTING = '3.5 Granting Access to Azure Resources';

const GROUP = 'rg-scenario';
const LOCATION = 'eastus';
const SECRETS_USER = 'Key Vault Secrets User';

/** A resource group, the learner as Owner of the subscription (as whoever creates one is), a vault with one secret. */
function base(lab: Lab, vaultName: string, secret: string): ReadonlyResource {
  createOrUpdateResourceGroup(lab, LAB_CALLER, { name: GROUP, location: LOCATION });
  const sub = lab.defaultSubscriptionId;
  if (!lab.assignments.find(lab.directory.user.objectId, '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', subscriptionId(sub))) {
    createRoleAssignment(lab, LAB_CALLER, {
      scope: subscriptionId(sub),
      role: 'Owner',
      principalId: lab.directory.user.objectId,
      principalType: 'User',
    });
  }
  const vault = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: GROUP, type: 'keyvault', name: vaultName });
  const now = lab.clock.now();
  lab.dataFor(vault.id).secrets = [
    {
      name: secret,
      versions: [{ version: '0'.repeat(31) + '1', value: `value-of-${secret}`, enabled: true, created: now, updated: now, tags: {} }],
    },
  ];
  lab.notify('dataPlane');
  return vault;
}

const vm = (lab: Lab, name: string) =>
  createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: GROUP, type: 'vm', name, identity: { systemAssigned: true } });
const vaultOf = (lab: Lab, name: string) => lab.arm.resources.find(r => r.name === name && r.type === 'Microsoft.KeyVault/vaults');
const hostOf = (lab: Lab, name: string) => lab.arm.resources.find(r => r.name === name && r.type === 'Microsoft.Compute/virtualMachines');

/** Broader than needed is said as soon as the grant is there (the grant is the lesson); otherwise the catalogue's verdict. */
function verdict(id: string, goals: Goal[], tooBroad: string | undefined, solved: string): ScenarioCheck {
  if (tooBroad) {
    return {
      id,
      outcome: 'too-broad',
      goals: goals.map(({ text, met }) => ({ text, met })),
      message: `It works, but it is broader than needed: ${tooBroad}`,
    };
  }
  return judged(id, goals, solved);
}

/** Why the app's latest read on `host` did not do it: the check's own re-run, or (without one) what to do. */
const whyNotRead = (lab: Lab, run: WorkloadRun | undefined, host: string, otherwise: string): string => {
  const step = stepsOf(run, host).at(-1);
  return step && !step.ok ? whyFailed(lab, step) : otherwise;
};

const labTime = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Does the identity of `hostName` read the secret with a 200, at or after lab time `since`? */
function hostRead(lab: Lab, hostName: string, vault: string, secret: string, since: number): boolean {
  const host = hostOf(lab, hostName);
  return (
    Boolean(host) &&
    secretReads(lab, vault, secret).some(
      r => r.status === 200 && r.at >= since && r.hostResourceId?.toLowerCase() === host!.id.toLowerCase(),
    )
  );
}

export const propagationDelay: ScenarioDefinition = {
  id: 'propagation-delay',
  title: 'A 403 right after the role was granted',
  seed: { file: CHAPTER_3, section: TROUBLESHOOTING, row: 'Forbidden (403)' },
  story:
    'vm-orders reads the secret api-key from kv-orders. You granted its identity access a moment ago, and Key Vault still answers 403 — ' +
    'Azure documents that role assignment changes take up to 10 minutes. This lab propagates them as Azure does.',
  setup(lab) {
    base(lab, 'kv-orders', 'api-key');
    vm(lab, 'vm-orders');
    setRbacPropagation(lab, 'realistic', 600);
  },
  workload: {
    runsAs: 'vm-orders',
    credential: 'DefaultAzureCredential',
    action: { kind: 'readSecret', vault: 'kv-orders', secret: 'api-key' },
    description: 'The app on vm-orders reads api-key from kv-orders with DefaultAzureCredential.',
  },
  hints: [
    'Read the whole 403: it names the action, and it says "please observe propagation time".',
    'Role assignments reach Key Vault after a delay (up to 10 minutes). The trace of the denied request says when yours takes effect.',
    'Grant the least that works — Key Vault Secrets User on the vault — then let the lab time pass: clock advance 10m.',
  ],
  solution: {
    terminal: [
      'PRINCIPAL=$(az vm identity show -g rg-scenario -n vm-orders --query principalId -o tsv)',
      'VAULT=$(az keyvault show -n kv-orders --query id -o tsv)',
      'az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope "$VAULT"',
      'clock advance 10m',
    ],
    note: 'Grant Key Vault Secrets User on the vault, wait out the propagation (10 minutes of lab time), and run the app again.',
  },
  wrongFixes: [
    {
      tried: 'grant the right role and check at once',
      terminal: [
        'PRINCIPAL=$(az vm identity show -g rg-scenario -n vm-orders --query principalId -o tsv)',
        'VAULT=$(az keyvault show -n kv-orders --query id -o tsv)',
        'az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal' +
          ' --role "Key Vault Secrets User" --scope "$VAULT"',
      ],
      outcome: 'not-yet',
      says: 'has propagated .* takes effect at',
    },
    {
      tried: 'Key Vault Administrator on the resource group, then wait',
      terminal: [
        'PRINCIPAL=$(az vm identity show -g rg-scenario -n vm-orders --query principalId -o tsv)',
        'az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal' +
          ' --role "Key Vault Administrator" -g rg-scenario',
        'clock advance 10m',
      ],
      outcome: 'too-broad',
      says: "'Key Vault Administrator' at .*rg-scenario grants more than reading secrets of this vault",
    },
  ],
  check(lab, run) {
    const host = hostOf(lab, 'vm-orders');
    const vault = vaultOf(lab, 'kv-orders');
    const principal = host?.identity?.systemAssigned?.principalId;
    const decision = principal && vault ? secretAccess(lab, principal, vault.id) : undefined;
    const pending = decision?.considered.some(c => c.inEffectFrom !== undefined) ?? false;
    const inEffectSince = decision?.grants.length
      ? Math.min(
          ...decision.grants.map(g => lab.assignments.get(g.assignment)?.inEffectFrom ?? lab.assignments.get(g.assignment)?.createdOn ?? 0),
        )
      : Infinity;
    const effective = decision?.considered.map(c => c.inEffectFrom).find(t => t !== undefined);
    const goals = [
      goal(
        "vm-orders's identity has a role on kv-orders that reads secrets",
        Boolean(decision?.allowed) || pending,
        whyNotRead(lab, run, 'vm-orders', "no role assignment of vm-orders's identity reads kv-orders's secrets"),
      ),
      goal(
        'the role assignment has propagated (lab time)',
        Boolean(decision?.allowed),
        effective !== undefined
          ? `it takes effect at ${labTime(effective)} lab time; Azure takes up to 10 minutes (clock advance 10m)`
          : 'no assignment is on its way',
      ),
      goal(
        'the app on vm-orders read api-key after that',
        Boolean(decision?.allowed) && hostRead(lab, 'vm-orders', 'kv-orders', 'api-key', inEffectSince),
        whyNotRead(lab, run, 'vm-orders', 'run the app again (scenario check does)'),
      ),
    ];
    const broad = decision && vault ? broaderThan(decision, SECRETS_USER, vault.id) : undefined;
    return verdict(this.id, goals, broad, 'the assignment propagated and the app read its secret.');
  },
};

export const groupMembershipCached: ScenarioDefinition = {
  id: 'group-membership-cached',
  title: 'Added to the group, still denied',
  seed: { file: CHAPTER_3, section: GRANTING },
  story:
    "vm-reports's identity was added to kv-readers, which holds Key Vault Secrets User on kv-reports, and it still gets 403. " +
    'The managed-identity endpoint serves the token it cached before the membership (for up to 24 hours), and its groups are the ones it was issued with.',
  setup(lab) {
    const vault = base(lab, 'kv-reports', 'report-key');
    vm(lab, 'vm-reports');
    const group = createGroup(lab, { displayName: 'kv-readers', mailNickname: 'kv-readers' });
    createRoleAssignment(lab, LAB_CALLER, { scope: vault.id, role: SECRETS_USER, principalId: group.objectId, principalType: 'Group' });
  },
  afterWarmUp(lab) {
    const group = lab.directory.groups.find(g => g.displayName === 'kv-readers')!;
    addGroupMember(lab, group.objectId, hostOf(lab, 'vm-reports')!.identity!.systemAssigned!.principalId);
  },
  workload: {
    runsAs: 'vm-reports',
    credential: 'DefaultAzureCredential',
    action: { kind: 'readSecret', vault: 'kv-reports', secret: 'report-key' },
    warmUp: true,
    description: 'The app on vm-reports reads report-key from kv-reports; it ran once before its identity joined kv-readers.',
  },
  hints: [
    'Decode the token the app used (Token Flow shows its claims): which groups does it carry?',
    'The endpoint hands out its cached token until near expiry: the group is not in it. Advancing the clock a day lets it expire.',
    "Microsoft's advice is to give the identity the role directly rather than through a group that changes.",
  ],
  solution: {
    terminal: [
      'PRINCIPAL=$(az vm identity show -g rg-scenario -n vm-reports --query principalId -o tsv)',
      'VAULT=$(az keyvault show -n kv-reports --query id -o tsv)',
      'az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope "$VAULT"',
    ],
    note: 'Assign the role to the identity itself (the best-practice fix), or wait out the cached token: clock advance 24h.',
  },
  wrongFixes: [
    {
      tried: 'wait an hour for the membership to count',
      terminal: ['clock advance 1h'],
      outcome: 'not-yet',
      says: 'after its identity joined kv-readers — .*403',
    },
    {
      tried: 'Key Vault Secrets Officer on the vault, to the identity itself',
      terminal: [
        'PRINCIPAL=$(az vm identity show -g rg-scenario -n vm-reports --query principalId -o tsv)',
        'VAULT=$(az keyvault show -n kv-reports --query id -o tsv)',
        'az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal' +
          ' --role "Key Vault Secrets Officer" --scope "$VAULT"',
      ],
      outcome: 'too-broad',
      says: "'Key Vault Secrets Officer' at .* grants more than reading secrets of this vault",
    },
  ],
  check(lab, run) {
    const group = lab.directory.groups.find(g => g.displayName === 'kv-readers');
    const host = hostOf(lab, 'vm-reports');
    const principal = host?.identity?.systemAssigned?.principalId ?? '';
    const joined = group?.members.find(m => m.objectId.toLowerCase() === principal.toLowerCase())?.addedAt ?? Infinity;
    const vault = vaultOf(lab, 'kv-reports');
    const decision = vault ? secretAccess(lab, principal, vault.id) : undefined;
    const goals = [
      goal(
        'the app on vm-reports read report-key after its identity joined kv-readers',
        hostRead(lab, 'vm-reports', 'kv-reports', 'report-key', joined),
        whyNotRead(lab, run, 'vm-reports', 'run the app again (scenario check does)'),
      ),
    ];
    const direct = decision && vault ? { ...decision, grants: decision.grants.filter(g => !g.viaGroup) } : undefined;
    const broad = direct && vault ? broaderThan(direct, SECRETS_USER, vault.id) : undefined;
    return verdict(this.id, goals, broad, 'the app reads its secret.');
  },
};

export const tokenExpiry: ScenarioDefinition = {
  id: 'token-expiry',
  title: 'A token kept past its expiry',
  seed: { file: CHAPTER_3, section: '3.6 Using Managed Identity in Code' },
  story:
    'The app on vm-batch got one token when it started and keeps sending it. A day later Key Vault answers 401 [TokenExpired]. ' +
    'The SDK renews tokens by itself; code that caches the token string does not.',
  setup(lab) {
    const vault = base(lab, 'kv-batch', 'batch-key');
    const host = vm(lab, 'vm-batch');
    createRoleAssignment(lab, LAB_CALLER, {
      scope: vault.id,
      role: SECRETS_USER,
      principalId: host.identity!.systemAssigned!.principalId,
      principalType: 'ServicePrincipal',
    });
  },
  workload: {
    runsAs: 'vm-batch',
    credential: 'ManagedIdentityCredential',
    action: { kind: 'readSecret', vault: 'kv-batch', secret: 'batch-key', holdToken: true },
    warmUp: true,
    description: 'The app on vm-batch gets one token at start and reuses it for every read of batch-key.',
  },
  hints: [
    'Managed-identity tokens live about 24 hours (the exp claim). Move the lab clock past that: clock advance 25h.',
    "Key Vault's 401 [TokenExpired] is what the held token gets then; each service has its own words for it (Storage: Lifetime validation failed).",
    'Ask for a new token and call again — as the SDK does on its own, at half-life and before expiry.',
  ],
  solution: {
    terminal: ['clock advance 25h'],
    note: 'Let the token expire, see the 401, then let the app get a new token (the SDK renews by itself).',
  },
  wrongFixes: [
    {
      tried: 'an hour later (the token is still good)',
      terminal: ['clock advance 1h'],
      outcome: 'not-yet',
      says: 'refused as expired .* still valid',
    },
  ],
  check(lab, run) {
    const reads = secretReads(lab, 'kv-batch', 'batch-key');
    const expired = reads.find(r => r.status === 401 && r.errorCode === 'TokenExpired');
    // Recorded after it, or the check's own re-run read it once restarted (its trace may join an earlier flow's, and time).
    const steps = stepsOf(run, 'vm-batch');
    const restarted = steps.length > 1 && steps.at(-1)!.ok && steps.at(-2)!.status === 401;
    const renewed = expired ? restarted || reads.slice(reads.indexOf(expired) + 1).some(r => r.status === 200) : false;
    const goals = [
      goal(
        'the held token was refused as expired (401 TokenExpired)',
        Boolean(expired),
        'the token the app got when it started is still valid (about 24 hours: its exp claim); move the lab clock past it',
      ),
      goal('the app read batch-key again with a new token', renewed, 'restart the app (scenario check does) once its token was refused'),
    ];
    return verdict(this.id, goals, undefined, 'you saw the token expire and a new one work.');
  },
};

export const localTokenFails: ScenarioDefinition = {
  id: 'local-token-fails',
  title: 'Token request fails locally',
  seed: { file: CHAPTER_3, section: TROUBLESHOOTING, row: 'Token request fails locally' },
  story:
    'On your machine the same app gets 403 from kv-dev. There is no managed identity here: DefaultAzureCredential falls through to AzureCliCredential, ' +
    'and the token is yours — and you have no data role on the vault (being Owner does not let you read secrets).',
  setup(lab) {
    base(lab, 'kv-dev', 'dev-secret');
  },
  workload: {
    runsAs: 'local',
    credential: 'DefaultAzureCredential',
    action: { kind: 'readSecret', vault: 'kv-dev', secret: 'dev-secret' },
    description: 'The app on your machine (milab env --as local) reads dev-secret from kv-dev with DefaultAzureCredential.',
  },
  hints: [
    "Look at the 403's Caller: appid 04b07795-… is Azure CLI, and the oid is you.",
    'Owner of the subscription has no data actions: Key Vault secrets need a data role.',
    'Give yourself Key Vault Secrets User on kv-dev.',
  ],
  solution: {
    terminal: [
      'LEARNER=$(az ad signed-in-user show --query id -o tsv)',
      'VAULT=$(az keyvault show -n kv-dev --query id -o tsv)',
      'az role assignment create --assignee-object-id "$LEARNER" --assignee-principal-type User --role "Key Vault Secrets User" --scope "$VAULT"',
    ],
    note: 'Locally the app runs as you (through az): grant your own user the data role it needs.',
  },
  wrongFixes: [
    {
      tried: 'Key Vault Secrets Officer for yourself',
      terminal: [
        'LEARNER=$(az ad signed-in-user show --query id -o tsv)',
        'VAULT=$(az keyvault show -n kv-dev --query id -o tsv)',
        'az role assignment create --assignee-object-id "$LEARNER" --assignee-principal-type User --role "Key Vault Secrets Officer" --scope "$VAULT"',
      ],
      outcome: 'too-broad',
      says: "'Key Vault Secrets Officer' at .* grants more than reading secrets of this vault",
    },
  ],
  check(lab) {
    const vault = vaultOf(lab, 'kv-dev');
    const learner = lab.directory.user.objectId;
    const decision = vault ? secretAccess(lab, learner, vault.id) : undefined;
    const since = decision?.grants.length
      ? Math.min(...decision.grants.map(g => lab.assignments.get(g.assignment)?.createdOn ?? 0))
      : Infinity;
    const readAsYou = secretReads(lab, 'kv-dev', 'dev-secret').some(
      r => r.status === 200 && r.at >= since && r.objectId?.toLowerCase() === learner.toLowerCase(),
    );
    const goals = [
      goal(
        'you have a data role on kv-dev that reads secrets',
        Boolean(decision?.allowed),
        'Owner of the subscription has no data actions; on your machine the token is yours (Azure CLI)',
      ),
      goal(
        'the app on your machine read dev-secret as you',
        readAsYou,
        'run it with the environment of milab env --as local, then check again',
      ),
    ];
    const broad = decision && vault ? broaderThan(decision, SECRETS_USER, vault.id) : undefined;
    return verdict(this.id, goals, broad, 'locally the app reads the secret as you.');
  },
};

/** The probe's timeout: a chain that waited it out took at least this long. */
const PROBE_MS = 1000;

export const dacSlowLocally: ScenarioDefinition = {
  id: 'dac-slow-locally',
  title: 'DefaultAzureCredential slow locally',
  seed: { file: CHAPTER_3, section: TROUBLESHOOTING, row: 'DefaultAzureCredential slow locally' },
  disagreement: '"DefaultAzureCredential slow locally": AZURE_CLIENT_ID does not skip the IMDS probe',
  story:
    'On your machine every start of the app waits over a second before it gets a token: DefaultAzureCredential probes IMDS, ' +
    'which is not there, and waits for the probe to time out before it tries Azure CLI.',
  setup(lab) {
    const vault = base(lab, 'kv-fast', 'fast-secret');
    createRoleAssignment(lab, LAB_CALLER, {
      scope: vault.id,
      role: SECRETS_USER,
      principalId: lab.directory.user.objectId,
      principalType: 'User',
    });
  },
  workload: {
    runsAs: 'local',
    credential: 'DefaultAzureCredential',
    action: { kind: 'getToken', scope: 'https://vault.azure.net/.default' },
    description: 'The app on your machine gets a Key Vault token with DefaultAzureCredential when it starts.',
  },
  hints: [
    'Open the trace of the chain the lab saw: where did the time go?',
    'The managed-identity step waits 1 s for IMDS. Locally you can leave it out.',
    'Set AZURE_TOKEN_CREDENTIALS=dev (or AzureCliCredential) for local runs; keep the full chain in Azure.',
  ],
  solution: {
    terminal: [],
    environment: { AZURE_TOKEN_CREDENTIALS: 'dev' },
    note: 'Run the app with AZURE_TOKEN_CREDENTIALS=dev locally (or AzureCliCredential): no IMDS probe, no second lost.',
  },
  wrongFixes: [
    {
      tried: "the course material's AZURE_CLIENT_ID",
      terminal: [],
      environment: { AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000000' },
      outcome: 'not-yet',
      says: 'no IMDS probe',
    },
  ],
  check(lab) {
    const chains = yourMachineChains(lab);
    const probes = (t: (typeof chains)[number]) => t.chainAttempts!.some(a => a.credential === 'ManagedIdentityCredential');
    const latest = chains.at(-1);
    const lastProbed = chains.filter(probes).at(-1);
    const answered = latest?.chainAttempts?.some(a => a.outcome === 'answered') ?? false;
    // Quicker than the last chain that probed, or than the probe's timeout alone when none did.
    const bar = Math.max(PROBE_MS, lastProbed?.durationMs ?? 0);
    const goals = [
      goal(
        'the latest chain on your machine tried no managed identity (no IMDS probe)',
        Boolean(latest) && !probes(latest!),
        latest
          ? 'it began with ManagedIdentityCredential, which waits for IMDS'
          : 'the lab has seen no chain from your machine since the start: run the app',
      ),
      goal(
        `it got its token quicker than the chain with the probe (the lab measures both)`,
        Boolean(latest) && answered && latest!.durationMs < bar,
        `it took ${latest?.durationMs ?? 0} ms, against ${bar} ms with the probe`,
      ),
    ];
    return verdict(this.id, goals, undefined, `the chain took ${latest?.durationMs ?? 0} ms, with no probe.`);
  },
};

export const TIME_AND_CHAIN_SCENARIOS: readonly ScenarioDefinition[] = [
  propagationDelay,
  groupMembershipCached,
  tokenExpiry,
  localTokenFails,
  dacSlowLocally,
];
