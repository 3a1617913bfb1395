// Four scenarios about reaching Key Vault's secrets: the seeds' 403 and its least-privileged fix,
// Reader (control plane) versus data roles, a vault in access-policy mode, and a token for the
// wrong audience. Sources: the seeds' troubleshooting table and role commands (001 §3.5, §3.9;
// 000 "Assigning Permissions"); Key Vault RBAC guide and error codes (AKV10022) in Microsoft Learn.
import type { ScenarioDefinition } from './types';
import { SECRET_ACTIONS } from '../services/keyVault';
import { accessPoliciesOf } from '../state/resourceProperties';
import { GROUP, grant, groundwork, named, systemPrincipalOf, vaultWith, vm } from './kit';
import { allOk, broaderThanNeeded, firstFailure, goal, stepsOf, verdict } from './verdict';

const CHAPTER_3 = '001_c9de0b23652fd1b1.txt';
const PRIMER = '000_f14faabe402d3dc7.txt';

const principalLines = (host: string) => [`PRINCIPAL=$(az vm identity show -g ${GROUP} -n ${host} --query principalId -o tsv)`];
const vaultLine = (vault: string) => `VAULT=$(az keyvault show -n ${vault} --query id -o tsv)`;
const assign = (role: string, scope = '"$VAULT"') =>
  `az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal --role "${role}" --scope ${scope}`;
const SUBSCRIPTION = 'SUB=$(az account show --query id -o tsv)';

const secretNeed = (vaultId: string, secret: string) => ({ action: SECRET_ACTIONS.get, scope: `${vaultId}/secrets/${secret}` });

export const forbidden403: ScenarioDefinition = {
  id: 'forbidden-403',
  title: 'A VM reads a secret and gets 403',
  seed: { file: CHAPTER_3, section: '3.9 Troubleshooting Tips', row: 'Forbidden (403)' },
  disagreement: '"Key Vault Reader" cannot read secret values',
  story: [
    "The app on **vm-web** reads the secret **db-password** from **kv-web** with `DefaultAzureCredential`, as the course's C# sample does.",
    'Its system-assigned identity is on, and Key Vault answers **403 Forbidden** (`ForbiddenByRbac`): ' +
      "the course's row *Forbidden (403) — MI lacks RBAC role on target resource*.",
    '',
    "Give the identity what it needs to read that secret, and nothing more. The course's comment says *as Reader* over a command that assigns " +
      '*Key Vault Secrets User*: only the second can read a secret value.',
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    vm(lab, 'vm-web', { systemAssigned: true });
    vaultWith(lab, 'kv-web', { 'db-password': 'P@ssw0rd-from-the-scenario' });
  },
  workload: {
    runsAs: 'vm-web',
    credential: 'DefaultAzureCredential',
    action: { kind: 'readSecret', vault: 'kv-web', secret: 'db-password' },
    description: 'The app on vm-web reads db-password from kv-web with DefaultAzureCredential (a token from IMDS, then Key Vault).',
  },
  hints: [
    "Read the whole 403: Key Vault names the caller (vm-web's identity), the action (…/secrets/getSecret/action) and the scope.",
    'A secret value is data: it needs a role with data actions. Reader, Contributor and Owner manage the vault (control plane) and have none.',
    "Assign Key Vault Secrets User to vm-web's identity at the vault itself — not at the resource group or the subscription.",
  ],
  solution: {
    terminal: [...principalLines('vm-web'), vaultLine('kv-web'), assign('Key Vault Secrets User')],
    note: "Assign Key Vault Secrets User to vm-web's system-assigned identity, scoped to kv-web.",
  },
  wrongFixes: [
    {
      tried: 'Reader on the vault',
      terminal: [...principalLines('vm-web'), vaultLine('kv-web'), assign('Reader')],
      outcome: 'not-yet',
      says: '403 ForbiddenByRbac.*Reader .*is a data action, and Reader has no dataActions',
    },
    {
      tried: 'Contributor on the vault',
      terminal: [...principalLines('vm-web'), vaultLine('kv-web'), assign('Contributor')],
      outcome: 'not-yet',
      says: 'Contributor has no dataActions',
    },
    {
      tried: 'Owner on the vault',
      terminal: [...principalLines('vm-web'), vaultLine('kv-web'), assign('Owner')],
      outcome: 'not-yet',
      says: 'Owner has no dataActions',
    },
    {
      tried: 'Key Vault Secrets User at the subscription',
      terminal: [...principalLines('vm-web'), SUBSCRIPTION, assign('Key Vault Secrets User', '"/subscriptions/$SUB"')],
      outcome: 'too-broad',
      says: 'Key Vault Secrets User at subscription .* reaches far beyond kv-web; Key Vault Secrets User on kv-web itself is enough',
    },
    {
      tried: 'Key Vault Administrator at the subscription',
      terminal: [...principalLines('vm-web'), SUBSCRIPTION, assign('Key Vault Administrator', '"/subscriptions/$SUB"')],
      outcome: 'too-broad',
      says: 'Key Vault Administrator at subscription .* reaches far beyond kv-web',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'vm-web');
    const vault = named(lab, 'keyvault', 'kv-web');
    const principal = systemPrincipalOf(lab, 'vm-web');
    const goals = [goal("vm-web's app reads db-password from kv-web", allOk(steps), firstFailure(lab, steps))];
    const broad = principal && vault ? broaderThanNeeded(lab, principal, [secretNeed(vault.id, 'db-password')], "vm-web's app") : undefined;
    return verdict(
      this.id,
      goals,
      "vm-web's identity reads the secret with Key Vault Secrets User on kv-web, the least that works.",
      broad,
    );
  },
};

export const readerIsNotData: ScenarioDefinition = {
  id: 'reader-is-not-data',
  title: 'Reader on the vault lists it but cannot read a secret',
  seed: { file: PRIMER, section: 'Assigning Permissions' },
  disagreement: '"Key Vault Reader" cannot read secret values',
  story: [
    "A colleague gave **vm-app**'s identity **Reader** on **kv-app** — the course's comment says *Give your MI access to Key Vault as Reader*.",
    "The app reads the vault's properties from Azure Resource Manager, which works, then reads the secret **api-key**, which gets 403.",
    '',
    'Azure has two planes: Azure Resource Manager (the vault as a resource) and the data plane (what is in it). ' +
      'Reader and Key Vault Reader cover the first and secret *metadata*; only a role with the data action `getSecret` reads a value.',
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    const host = vm(lab, 'vm-app', { systemAssigned: true });
    const vault = vaultWith(lab, 'kv-app', { 'api-key': 'key-from-the-scenario' });
    grant(lab, host.identity!.systemAssigned!.principalId, 'Reader', vault.id);
  },
  workload: {
    runsAs: 'vm-app',
    credential: 'DefaultAzureCredential',
    action: {
      kind: 'sequence',
      steps: [
        { kind: 'readVault', vault: 'kv-app' },
        { kind: 'readSecret', vault: 'kv-app', secret: 'api-key' },
      ],
    },
    description: "The app on vm-app reads kv-app's properties from ARM (control plane), then the secret api-key (data plane).",
  },
  hints: [
    'Compare the two requests in Token Flow: same identity, same vault; ARM allows one, Key Vault refuses the other.',
    "Check Access for vm-app's identity: Microsoft.KeyVault/vaults/read is allowed; …/secrets/getSecret/action is a data action Reader does not have.",
    'Keep Reader for the properties, and add Key Vault Secrets User on the vault for the secret.',
  ],
  solution: {
    terminal: [...principalLines('vm-app'), vaultLine('kv-app'), assign('Key Vault Secrets User')],
    note: 'Add Key Vault Secrets User on kv-app: Reader stays for what ARM serves, the data role reads the secret.',
  },
  wrongFixes: [
    {
      tried: 'Key Vault Reader on the vault (a "reader" of Key Vault)',
      terminal: [...principalLines('vm-app'), vaultLine('kv-app'), assign('Key Vault Reader')],
      outcome: 'not-yet',
      says: "Key Vault Reader does not include 'Microsoft.KeyVault/vaults/secrets/getSecret/action'",
    },
    {
      tried: 'Contributor on the vault',
      terminal: [...principalLines('vm-app'), vaultLine('kv-app'), assign('Contributor')],
      outcome: 'not-yet',
      says: 'Contributor has no dataActions',
    },
    {
      tried: 'Key Vault Administrator on the vault',
      terminal: [...principalLines('vm-app'), vaultLine('kv-app'), assign('Key Vault Administrator')],
      outcome: 'too-broad',
      says: 'Key Vault Administrator grants far more than .*Key Vault Secrets User on kv-app is the least-privileged role',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'vm-app');
    const vault = named(lab, 'keyvault', 'kv-app');
    const principal = systemPrincipalOf(lab, 'vm-app');
    const [properties, secret] = [steps.filter(s => /properties/.test(s.did)), steps.filter(s => /reads api-key/.test(s.did))];
    const goals = [
      goal("vm-app's app reads kv-app's properties (control plane)", allOk(properties), firstFailure(lab, properties)),
      goal("vm-app's app reads the secret api-key (data plane)", allOk(secret), firstFailure(lab, secret)),
    ];
    const needs = vault ? [{ action: 'Microsoft.KeyVault/vaults/read', scope: vault.id }, secretNeed(vault.id, 'api-key')] : [];
    const broad = principal && vault ? broaderThanNeeded(lab, principal, needs, "vm-app's app") : undefined;
    return verdict(this.id, goals, 'Reader serves the control plane, Key Vault Secrets User the secret: each plane its own role.', broad);
  },
};

const POLICY_PERMISSIONS_NEEDED = ['get'];

export const accessPolicyVault: ScenarioDefinition = {
  id: 'access-policy-vault',
  title: 'A vault in access-policy mode ignores role assignments',
  seed: { file: CHAPTER_3, section: '3.5 Granting Access to Azure Resources' },
  story: [
    '**kv-legacy** was created years ago, with access policies: its *permission model* is not Azure RBAC (`enableRbacAuthorization` is false).',
    "The app on **vm-legacy** reads **conn-string** and gets 403 — and the course's fix, `az role " +
      'assignment create … Key Vault Secrets User`, changes nothing:',
    'in access-policy mode Key Vault reads only its own access policies.',
    '',
    'Give the identity a policy that allows getting secrets, or move the vault to Azure RBAC and grant the role there.',
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    vm(lab, 'vm-legacy', { systemAssigned: true });
    vaultWith(lab, 'kv-legacy', { 'conn-string': 'Server=tcp:legacy;Password=from-the-scenario' }, { rbac: false });
  },
  workload: {
    runsAs: 'vm-legacy',
    credential: 'DefaultAzureCredential',
    action: { kind: 'readSecret', vault: 'kv-legacy', secret: 'conn-string' },
    description: 'The app on vm-legacy reads conn-string from kv-legacy with DefaultAzureCredential.',
  },
  hints: [
    'The 403 here is not ForbiddenByRbac: Key Vault says the principal "does not have secrets get permission". Which permission model does kv-legacy use?',
    'az keyvault show -n kv-legacy --query properties.enableRbacAuthorization: false means access policies, and role assignments do nothing for data.',
    'az keyvault set-policy -n kv-legacy --object-id <principal> --secret-permissions get — or az ' +
      'keyvault update --enable-rbac-authorization true, then the role.',
  ],
  solution: {
    terminal: [...principalLines('vm-legacy'), 'az keyvault set-policy -n kv-legacy --object-id "$PRINCIPAL" --secret-permissions get'],
    note: "Add an access policy for vm-legacy's identity that allows getting secrets (or switch the vault to Azure RBAC and assign Key Vault Secrets User).",
  },
  wrongFixes: [
    {
      tried: 'Key Vault Secrets User on the vault (an RBAC role, as for any other vault)',
      terminal: [...principalLines('vm-legacy'), vaultLine('kv-legacy'), assign('Key Vault Secrets User')],
      outcome: 'not-yet',
      says: 'access policies.*role assignments are ignored',
    },
    {
      tried: 'an access policy with every secret permission',
      terminal: [...principalLines('vm-legacy'), 'az keyvault set-policy -n kv-legacy --object-id "$PRINCIPAL" --secret-permissions all'],
      outcome: 'too-broad',
      says: "the access policy for vm-legacy's identity grants secrets all; get is all the app needs",
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'vm-legacy');
    const vault = named(lab, 'keyvault', 'kv-legacy');
    const principal = systemPrincipalOf(lab, 'vm-legacy');
    const goals = [goal("vm-legacy's app reads conn-string from kv-legacy", allOk(steps), firstFailure(lab, steps))];
    let broad: string | undefined;
    if (vault && principal) {
      if (vault.properties['enableRbacAuthorization'] === false) {
        const policy = accessPoliciesOf(vault).find(p => p.objectId.toLowerCase() === principal.toLowerCase());
        const extra = (policy?.permissions.secrets ?? []).filter(p => !POLICY_PERMISSIONS_NEEDED.includes(p.toLowerCase()));
        if (extra.length) {
          broad = `the access policy for vm-legacy's identity grants secrets ${extra.join(', ')}; get is all the app needs.`;
        }
      } else {
        broad = broaderThanNeeded(lab, principal, [secretNeed(vault.id, 'conn-string')], "vm-legacy's app");
      }
    }
    return verdict(this.id, goals, "kv-legacy lets vm-legacy's identity get secrets, by the vault's own permission model.", broad);
  },
};

export const wrongAudience: ScenarioDefinition = {
  id: 'wrong-audience',
  title: 'A token for Azure Resource Manager presented to Key Vault',
  seed: { file: CHAPTER_3, section: '3.9 Troubleshooting Tips', row: 'AADSTS700024' },
  disagreement: 'AADSTS700024 means a client assertion is not within its valid time range',
  story: [
    "The app on **vm-api** uses the course's `curl` recipe, but its settings ask IMDS for a token for `https://management.azure.com/` (`KEYVAULT_TOKEN_RESOURCE`),",
    'then send it to Key Vault, which answers **401** with `AKV10022: Invalid audience`. The identity has the right role: the token is for the wrong service.',
    '',
    "The course's table blames a wrong audience on *AADSTS700024*; on Azure a wrong audience is refused by the service that receives the token " +
      '(Key Vault: AKV10022; ARM: InvalidAuthenticationTokenAudience), and AADSTS700024 is an expired client assertion.',
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    const host = vm(lab, 'vm-api', { systemAssigned: true });
    const vault = vaultWith(lab, 'kv-api', { 'partner-key': 'partner-key-from-the-scenario' });
    grant(lab, host.identity!.systemAssigned!.principalId, 'Key Vault Secrets User', vault.id);
  },
  workload: {
    runsAs: 'vm-api',
    credential: 'curl',
    action: { kind: 'readSecret', vault: 'kv-api', secret: 'partner-key' },
    environment: { KEYVAULT_TOKEN_RESOURCE: 'https://management.azure.com/' },
    description:
      "The app on vm-api asks IMDS for a token for $KEYVAULT_TOKEN_RESOURCE, then reads partner-key from kv-api with it (the course's curl).",
  },
  hints: [
    "Open the 401 in Token Flow and look at the token's aud claim: which service was it issued for?",
    'Key Vault accepts tokens for https://vault.azure.net only. The fix is in the app: the resource it asks IMDS for.',
    'scenario env KEYVAULT_TOKEN_RESOURCE=https://vault.azure.net',
  ],
  solution: {
    terminal: [],
    environment: { KEYVAULT_TOKEN_RESOURCE: 'https://vault.azure.net' },
    note: "Ask IMDS for a token for Key Vault (resource=https://vault.azure.net): the app's setting, not Azure, is wrong.",
  },
  wrongFixes: [
    {
      tried: 'a stronger role (Key Vault Secrets Officer)',
      terminal: [...principalLines('vm-api'), vaultLine('kv-api'), assign('Key Vault Secrets Officer')],
      outcome: 'not-yet',
      says: '401 Unauthorized.*audience',
    },
    {
      tried: 'a resource URL with a typo (https://vault.azure.com)',
      terminal: [],
      environment: { KEYVAULT_TOKEN_RESOURCE: 'https://vault.azure.com' },
      outcome: 'not-yet',
      says: 'AADSTS500011',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'vm-api');
    const principal = systemPrincipalOf(lab, 'vm-api');
    const vault = named(lab, 'keyvault', 'kv-api');
    const goals = [goal("vm-api's app reads partner-key with a token for Key Vault", allOk(steps), firstFailure(lab, steps))];
    const broad = principal && vault ? broaderThanNeeded(lab, principal, [secretNeed(vault.id, 'partner-key')], "vm-api's app") : undefined;
    return verdict(this.id, goals, 'the token is for https://vault.azure.net, the audience Key Vault accepts.', broad);
  },
};

export const KEY_VAULT_SCENARIOS: readonly ScenarioDefinition[] = [forbidden403, readerIsNotData, accessPolicyVault, wrongAudience];
