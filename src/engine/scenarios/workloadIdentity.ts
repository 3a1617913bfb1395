// Two scenarios about AKS workload identity: a pod presenting a projected service-account token
// that has expired (AADSTS700024 — what it really means, against the seeds' table), and a
// federated credential whose subject is not the pod's service account (AADSTS70021, today
// AADSTS700213). Sources: the seeds' table (001 §3.9); Microsoft Entra error codes and the
// workload identity docs; Azure/azure-workload-identity troubleshooting.
import type { ScenarioDefinition } from './types';
import { addFederatedCredential } from '../operations/applications';
import { issuerUrlOf, serviceAccountSubject } from '../services/entra/workloadIssuer';
import { groundwork, named, resource, userIdentity } from './kit';
import { allOk, firstFailure, goal, stepsOf, verdict } from './verdict';

const CHAPTER_3 = '001_c9de0b23652fd1b1.txt';

export const aadsts700024: ScenarioDefinition = {
  id: 'aadsts700024',
  title: 'AADSTS700024: the client assertion is not within its valid time range',
  seed: { file: CHAPTER_3, section: '3.9 Troubleshooting Tips', row: 'AADSTS700024' },
  disagreement: 'AADSTS700024 means a client assertion is not within its valid time range',
  story: [
    'The worker pod **orders/orders-sa** on **aks-orders** exchanges its projected service-account token for a Key Vault token as **id-orders-wi**',
    "(AKS workload identity), and Entra answers **AADSTS700024**. The course's table reads it as *Client " +
      'assertion audience is wrong — verify the resource URL*.',
    '',
    'It is not: AADSTS700024 means the assertion is *not within its valid time range*. The app read the token file once at start-up, two hours ago;',
    'kubelet has rotated the file since, and the copy the app holds has expired. Changing the resource URL changes nothing.',
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    const cluster = resource(lab, 'aks', 'aks-orders');
    const identity = userIdentity(lab, 'id-orders-wi');
    addFederatedCredential(lab, identity.id, {
      name: 'fic-orders',
      issuer: issuerUrlOf(lab, cluster),
      subject: serviceAccountSubject('orders', 'orders-sa'),
    });
  },
  workload: {
    runsAs: 'aks-orders',
    credential: 'WorkloadIdentityCredential',
    action: {
      kind: 'federatedToken',
      cluster: 'aks-orders',
      namespace: 'orders',
      serviceAccount: 'orders-sa',
      identity: 'id-orders-wi',
      scope: 'https://vault.azure.net/.default',
    },
    environment: { TOKEN_FILE_READ: 'once', TOKEN_SCOPE: 'https://vault.azure.net/.default' },
    description:
      'The pod orders/orders-sa on aks-orders presents its service-account token (as TOKEN_FILE_READ says ' +
      'it reads it) to Entra for TOKEN_SCOPE, as id-orders-wi.',
  },
  hints: [
    "Read AADSTS700024's whole text: 'Client assertion is not within its valid time range' — with the assertion's times. Nothing about an audience.",
    "The assertion is the pod's projected token. Decode it in Token Flow: its exp is in the past. Who still holds an old copy?",
    'Read the token file again before each request (as WorkloadIdentityCredential does): scenario env TOKEN_FILE_READ=each-request.',
  ],
  solution: {
    terminal: [],
    environment: { TOKEN_FILE_READ: 'each-request' },
    note: "Re-read AZURE_FEDERATED_TOKEN_FILE for each token request (the SDK's WorkloadIdentityCredential does): kubelet keeps the file fresh.",
  },
  wrongFixes: [
    {
      tried: "the course's fix: a different resource URL",
      terminal: [],
      environment: { TOKEN_SCOPE: 'https://management.azure.com/.default' },
      outcome: 'not-yet',
      says: 'AADSTS700024',
    },
    {
      tried: 'deleting and re-creating the federated credential',
      terminal: [
        'ISSUER=$(az identity federated-credential show --name fic-orders --identity-name id-orders-wi -g rg-scenario --query issuer -o tsv)',
        'az identity federated-credential delete --name fic-orders --identity-name id-orders-wi -g rg-scenario --yes',
        'az identity federated-credential create --name fic-orders --identity-name id-orders-wi -g ' +
          'rg-scenario --issuer "$ISSUER" --subject system:serviceaccount:orders:orders-sa',
      ],
      outcome: 'not-yet',
      says: 'AADSTS700024',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'aks-orders');
    const goals = [goal('the pod orders/orders-sa gets its token as id-orders-wi', allOk(steps), firstFailure(lab, steps))];
    return verdict(
      this.id,
      goals,
      'the pod presents a fresh service-account token: AADSTS700024 was about time, never about the audience.',
    );
  },
};

export const federatedSubjectMismatch: ScenarioDefinition = {
  id: 'federated-subject-mismatch',
  title: "AKS workload identity: the federated credential's subject is not the pod's",
  seed: { file: CHAPTER_3, section: '3.2 Types of Managed Identities' },
  story: [
    'The shop pod runs on **aks-shop** in namespace **shop** as the service account **shop-sa**, and exchanges its token as **id-shop**.',
    "id-shop's federated credential **fic-shop** trusts `system:serviceaccount:default:shop` — the namespace and name from an old manifest. Entra matches",
    "issuer, subject and audience exactly (case-sensitively) and answers **AADSTS70021** (today's form: " +
      '**AADSTS700213**), *No matching federated identity record found*.',
    '',
    'Fix it with the federated credential commands: `az identity federated-credential list|create|delete`.',
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    const cluster = resource(lab, 'aks', 'aks-shop');
    const identity = userIdentity(lab, 'id-shop');
    addFederatedCredential(lab, identity.id, {
      name: 'fic-shop',
      issuer: issuerUrlOf(lab, cluster),
      subject: serviceAccountSubject('default', 'shop'),
    });
  },
  workload: {
    runsAs: 'aks-shop',
    credential: 'WorkloadIdentityCredential',
    action: {
      kind: 'federatedToken',
      cluster: 'aks-shop',
      namespace: 'shop',
      serviceAccount: 'shop-sa',
      identity: 'id-shop',
      scope: 'https://vault.azure.net/.default',
    },
    description: 'The pod shop/shop-sa on aks-shop exchanges its service-account token at Entra for a Key Vault token, as id-shop.',
  },
  hints: [
    "The error prints the assertion's issuer, subject and audience. Compare them with az identity " +
      'federated-credential list --identity-name id-shop -g rg-scenario.',
    'The subject is system:serviceaccount:<namespace>:<service account> of the pod: here ' +
      'system:serviceaccount:shop:shop-sa. Matching is exact and case-sensitive.',
    "Create a credential with that subject and the same issuer (the cluster's: az resource show … " +
      '--query properties.oidcIssuerProfile.issuerURL), and delete the stale one.',
  ],
  solution: {
    terminal: [
      'ISSUER=$(az identity federated-credential show --name fic-shop --identity-name id-shop -g rg-scenario --query issuer -o tsv)',
      'az identity federated-credential create --name fic-shop-sa --identity-name id-shop -g rg-scenario --issuer "$ISSUER" --subject system:serviceaccount:shop:shop-sa --audiences api://AzureADTokenExchange',
      'az identity federated-credential delete --name fic-shop --identity-name id-shop -g rg-scenario --yes',
    ],
    note: "Add a federated credential for system:serviceaccount:shop:shop-sa with the cluster's issuer, and delete the stale one.",
  },
  wrongFixes: [
    {
      tried: 'a subject in the wrong case (Shop-SA)',
      terminal: [
        'ISSUER=$(az identity federated-credential show --name fic-shop --identity-name id-shop -g rg-scenario --query issuer -o tsv)',
        'az identity federated-credential create --name fic-shop-case --identity-name id-shop -g rg-scenario ' +
          '--issuer "$ISSUER" --subject system:serviceaccount:shop:Shop-SA',
      ],
      outcome: 'not-yet',
      says: 'AADSTS7002(1|13).*case-sensitive',
    },
    {
      tried: 'the right subject with another issuer',
      terminal: [
        'az identity federated-credential create --name fic-shop-gh --identity-name id-shop -g rg-scenario --issuer https://token.actions.githubusercontent.com --subject system:serviceaccount:shop:shop-sa',
      ],
      outcome: 'not-yet',
      says: 'AADSTS7002(1|13)',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'aks-shop');
    const identity = named(lab, 'identity', 'id-shop');
    const stale = (identity?.federatedIdentityCredentials ?? []).filter(f => f.subject === serviceAccountSubject('default', 'shop'));
    const podSubject = serviceAccountSubject('shop', 'shop-sa');
    // Entra compares subjects byte for byte: one that differs only in case is the commonest near miss.
    const nearMiss = (identity?.federatedIdentityCredentials ?? []).find(
      f => f.subject !== podSubject && f.subject.toLowerCase() === podSubject.toLowerCase(),
    );
    const caseNote = nearMiss
      ? ` '${nearMiss.name}' trusts ${nearMiss.subject}: subjects are matched exactly and case-sensitively, and the pod's is ${podSubject}.`
      : '';
    const goals = [
      goal(
        'the pod shop/shop-sa gets its token as id-shop',
        allOk(steps),
        `${firstFailure(lab, steps) ?? ''}${caseNote}`.trim() || undefined,
      ),
      goal(
        'no federated credential trusts a service account that no pod uses',
        stale.length === 0,
        `'${stale[0]?.name}' still trusts system:serviceaccount:default:shop: any pod running as that service account gets id-shop's tokens. ` +
          'Delete it (az identity federated-credential delete).',
      ),
    ];
    return verdict(this.id, goals, "id-shop trusts exactly the pod's service account, system:serviceaccount:shop:shop-sa.");
  },
};

export const WORKLOAD_IDENTITY_SCENARIOS: readonly ScenarioDefinition[] = [aadsts700024, federatedSubjectMismatch];
