// Two scenarios about the managed-identity endpoint itself: App Service has no IMDS (its endpoint
// is IDENTITY_ENDPOINT with its header), and IMDS's rate limits (20 requests a second, 5 at once,
// then 429), met by an app that asks for a token before every call. Sources: the seeds' IMDS
// curl (001 §3.6); App Service managed identity and IMDS rate-limiting docs in Microsoft Learn.
import type { ScenarioDefinition } from './types';
import { faultsFor } from '../operations/faults';
import { grant, groundwork, named, resource, vaultWith, vm } from './kit';
import { allOk, firstFailure, goal, stepsOf, verdict } from './verdict';

const CHAPTER_3 = '001_c9de0b23652fd1b1.txt';

export const appServiceEndpoint: ScenarioDefinition = {
  id: 'app-service-endpoint',
  title: 'On App Service the endpoint is IDENTITY_ENDPOINT, not 169.254.169.254',
  seed: { file: CHAPTER_3, section: '3.6 Using Managed Identity in Code' },
  story: [
    "The web app **app-portal** was moved from a VM. Its startup script still uses the course's *Bash (Direct Token Request)*: `curl` to",
    '`http://169.254.169.254/metadata/identity/oauth2/token` with `Metadata: true` — and gets no token. App Service has no IMDS:',
    'it gives each app `IDENTITY_ENDPOINT` and `IDENTITY_HEADER`, and the request goes there with `X-IDENTITY-HEADER` and api-version 2019-08-01.',
    '',
    "The identity and its role are fine. Change where the app asks (its setting `TOKEN_SOURCE`), or let the SDK's ManagedIdentityCredential find the endpoint.",
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    const app = resource(lab, 'webapp', 'app-portal', { identity: { systemAssigned: true } });
    const vault = vaultWith(lab, 'kv-portal', { 'portal-secret': 'portal-secret-from-the-scenario' });
    grant(lab, app.identity!.systemAssigned!.principalId, 'Key Vault Secrets User', vault.id);
  },
  workload: {
    runsAs: 'app-portal',
    credential: 'curl',
    action: { kind: 'readSecret', vault: 'kv-portal', secret: 'portal-secret' },
    environment: { TOKEN_SOURCE: 'imds' },
    description:
      'The startup script of app-portal gets a Key Vault token (TOKEN_SOURCE says where it asks) and reads portal-secret from kv-portal.',
  },
  hints: [
    'Look at the failed request in Token Flow: it went to IMDS (169.254.169.254), which App Service does not have.',
    'milab env --as app-portal prints what App Service gives an app: IDENTITY_ENDPOINT and IDENTITY_HEADER, not an IMDS address.',
    'scenario env TOKEN_SOURCE=identity-endpoint (curl ' +
      '"$IDENTITY_ENDPOINT?api-version=2019-08-01&resource=…" -H "X-IDENTITY-HEADER: $IDENTITY_HEADER"), or TOKEN_SOURCE=sdk.',
  ],
  solution: {
    terminal: [],
    environment: { TOKEN_SOURCE: 'identity-endpoint' },
    note: 'Ask the App Service identity endpoint (IDENTITY_ENDPOINT, with X-IDENTITY-HEADER: $IDENTITY_HEADER and api-version 2019-08-01).',
  },
  wrongFixes: [
    {
      tried: 'another role for the identity (Key Vault Secrets Officer)',
      terminal: [
        'PRINCIPAL=$(az webapp identity show -g rg-scenario -n app-portal --query principalId -o tsv)',
        'VAULT=$(az keyvault show -n kv-portal --query id -o tsv)',
        'az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ' +
          'ServicePrincipal --role "Key Vault Secrets Officer" --scope "$VAULT"',
      ],
      outcome: 'not-yet',
      says: 'IDENTITY_ENDPOINT',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'app-portal');
    const viaImds = steps.some(s => /169\.254\.169\.254/.test(s.did));
    const goals = [
      goal(
        "app-portal's script asks its platform's endpoint (IDENTITY_ENDPOINT) for the token",
        steps.length > 0 && !viaImds,
        `${firstFailure(lab, steps) ?? ''} On App Service the token comes from IDENTITY_ENDPOINT with the X-IDENTITY-HEADER header.`.trim(),
      ),
      goal("app-portal's script reads portal-secret", allOk(steps), firstFailure(lab, steps)),
    ];
    return verdict(this.id, goals, 'the token came from IDENTITY_ENDPOINT, with its header, as App Service serves it.');
  },
};

export const imdsThrottling: ScenarioDefinition = {
  id: 'imds-throttling',
  title: 'A burst of token requests: 429 from IMDS',
  seed: { file: CHAPTER_3, section: '3.3 How Managed Identities Work' },
  story: [
    'The API on **vm-busy** handles a burst of 40 requests, 8 at a time, and asks IMDS for a Key Vault token before each one (its setting `TOKEN_CACHE=off`).',
    'IMDS allows 20 requests per second and 5 at once for identity; beyond that it answers **429 Too Many Requests**, and those requests fail.',
    '',
    'Tokens live for hours: the fix is in the app. Keep the token and reuse it until it nears expiry ' +
      "(the SDKs' credentials cache it for you), and back off on a 429.",
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    vm(lab, 'vm-busy', { systemAssigned: true });
  },
  workload: {
    runsAs: 'vm-busy',
    credential: 'curl',
    action: { kind: 'tokenBurst', scope: 'https://vault.azure.net/.default', count: 40, parallel: 8 },
    environment: { TOKEN_CACHE: 'off', TOKEN_RETRY: 'none' },
    description:
      'The API on vm-busy handles 40 requests, 8 at a time; each needs a Key Vault token (TOKEN_CACHE and TOKEN_RETRY are its settings).',
  },
  hints: [
    'Count the requests in Activity: dozens of token requests in one second, the later ones answered 429.',
    'A managed-identity token is valid for hours. Asking again for every call is what trips the limit.',
    'scenario env TOKEN_CACHE=on (one token, reused) — and TOKEN_RETRY=backoff, so a 429 waits and retries rather than failing.',
  ],
  solution: {
    terminal: [],
    environment: { TOKEN_CACHE: 'on', TOKEN_RETRY: 'backoff' },
    note: 'Cache the token in the app (TOKEN_CACHE=on): one request to IMDS serves the whole burst; and back off on a 429 (TOKEN_RETRY=backoff).',
  },
  wrongFixes: [
    {
      tried: 'retrying a 429 at once',
      terminal: [],
      environment: { TOKEN_RETRY: 'immediate' },
      outcome: 'not-yet',
      says: 'refused with 429',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'vm-busy');
    const host = named(lab, 'vm', 'vm-busy');
    const limits = host ? faultsFor(lab, host.id).throttle : false;
    const throttled = steps.reduce((n, s) => n + (s.throttled ?? 0), 0);
    const requests = steps.reduce((n, s) => n + (s.tokenRequests ?? 0), 0);
    const goals = [
      goal(
        'IMDS still enforces its limits on vm-busy (as on Azure, where they cannot be switched off)',
        limits,
        "the lab's fault switch turned vm-busy's IMDS limits off: on Azure they always apply. Turn throttling back on (Set Endpoint Faults) and fix the app.",
      ),
      goal(
        'every one of the 40 operations got its token',
        allOk(steps),
        `${firstFailure(lab, steps) ?? ''} ${throttled} of ${requests} token requests were refused with 429.`.trim(),
      ),
    ];
    return verdict(
      this.id,
      goals,
      `the burst got its tokens with ${requests} request${requests === 1 ? '' : 's'} to IMDS` +
        `${throttled ? ` (${throttled} answered 429, then retried after a wait)` : ''}.`,
    );
  },
};

export const ENDPOINT_SCENARIOS: readonly ScenarioDefinition[] = [appServiceEndpoint, imdsThrottling];
