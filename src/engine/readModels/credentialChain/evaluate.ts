// What DefaultAzureCredential does in one place — a lab host, or "your machine" — for one SDK
// language: each credential it tries, what that credential looks at and finds there, how long it
// takes (the lab's measurement when it saw the chain, otherwise an estimate), and which one
// answers. AZURE_TOKEN_CREDENTIALS narrows the chain; AZURE_CLIENT_ID picks the managed identity.
import { DOTNET_MESSAGES, JS_MESSAGES, PYTHON_MESSAGES } from './messages';
import { LANGUAGE_CHAINS, tokenCredentialsChoice, type CredentialName, type LanguageChain, type SdkLanguage } from './languages';
import { SDK_TOKEN_CACHING } from '../../services/tokenLifetimes';

export type ChainEnvironment =
  | {
      kind: 'host';
      name: string;
      typeName: string;
      endpoint: 'imds' | 'identityEndpoint';
      systemAssigned: boolean;
      userAssigned: ReadonlyArray<{ clientId: string; name: string }>;
    }
  /** The learner's own machine: no managed-identity endpoint; `az` signed in as the learner when `milab env --as local` put the lab's on PATH. */
  | { kind: 'local'; cli: 'lab' | 'none'; learner: string };

export interface ChainVariables {
  AZURE_TOKEN_CREDENTIALS?: string;
  AZURE_CLIENT_ID?: string;
  AZURE_TENANT_ID?: string;
  AZURE_CLIENT_SECRET?: string;
  AZURE_FEDERATED_TOKEN_FILE?: string;
}

export interface ChainRequest {
  language: SdkLanguage;
  environment: ChainEnvironment;
  variables?: ChainVariables;
  /** What the lab measured when it saw this chain run (ms per credential attempt). */
  measured?: Partial<Record<CredentialName, number>>;
}

export type StepOutcome = 'answers' | 'unavailable' | 'skipped' | 'not reached' | 'excluded';

export interface ChainStep {
  credential: CredentialName;
  looksAt: string;
  finds: string;
  outcome: StepOutcome;
  /** When it starts and how long it takes, ms from the first getToken call. */
  startsAtMs: number;
  ms: number;
  measured: boolean;
  /** The line the SDK's error has for it (CredentialUnavailableError …), verbatim. */
  sdkSays?: string;
}

export interface CredentialChain {
  language: SdkLanguage;
  languageLabel: string;
  source: string;
  environmentLabel: string;
  tokenCredentials: { value?: string; effect: string; constructorError?: string };
  clientIdEffect?: string;
  steps: ChainStep[];
  answeredBy?: CredentialName;
  totalMs: number;
  /** The error getToken throws when nothing answered. */
  failure?: string;
  notes: string[];
}

/** Estimates (ms) where the lab measured nothing: reading variables is instant; starting a CLI is not. */
const ESTIMATE = { instant: 1, spawnMissing: 10, labCli: 400, realCli: 1500, endpoint: 20 } as const;

interface Attempt {
  outcome: 'answers' | 'unavailable' | 'skipped';
  looksAt: string;
  finds: string;
  ms: number;
  sdkSays?: string;
}

const messagesFor = (language: SdkLanguage) => ({ js: JS_MESSAGES, python: PYTHON_MESSAGES, dotnet: DOTNET_MESSAGES })[language];

function managedIdentity(request: ChainRequest, chain: LanguageChain, probe: boolean): Attempt {
  const env = request.environment;
  const m = messagesFor(request.language);
  const clientId = request.variables?.AZURE_CLIENT_ID;
  if (env.kind === 'local') {
    return probe
      ? {
          outcome: 'unavailable',
          looksAt: 'IMDS at 169.254.169.254 (a probe without the Metadata header)',
          finds: `no answer: your machine has no IMDS, so the probe waits for its ${chain.probeTimeoutMs / 1000} s timeout`,
          ms: chain.probeTimeoutMs,
          sdkSays: m.imdsUnavailable,
        }
      : {
          outcome: 'unavailable',
          looksAt: 'IMDS at 169.254.169.254 (no probe: ManagedIdentityCredential was chosen alone)',
          finds: 'no answer, and no probe timeout applies: the request waits until the network gives up',
          ms: 20_000,
          sdkSays: m.imdsUnavailable,
        };
  }
  const where = env.endpoint === 'imds' ? `IMDS on ${env.name}` : `IDENTITY_ENDPOINT of ${env.name}`;
  const notFound = (why: string): Attempt => ({
    outcome: 'unavailable',
    looksAt: where,
    finds: why,
    ms: ESTIMATE.endpoint,
    sdkSays: m.identityNotFound,
  });
  if (clientId) {
    const attached = env.userAssigned.find(u => u.clientId.toLowerCase() === clientId.toLowerCase());
    if (!attached) return notFound(`AZURE_CLIENT_ID ${clientId} is not an identity of ${env.name}: "Identity not found" (400)`);
    return {
      outcome: 'answers',
      looksAt: where,
      finds: `a token for user-assigned identity ${attached.name} (client_id from AZURE_CLIENT_ID)`,
      ms: ESTIMATE.endpoint,
    };
  }
  if (env.systemAssigned) {
    return { outcome: 'answers', looksAt: where, finds: `a token for ${env.name}'s system-assigned identity`, ms: ESTIMATE.endpoint };
  }
  if (env.endpoint === 'imds' && env.userAssigned.length === 1) {
    return {
      outcome: 'answers',
      looksAt: where,
      finds: `a token for its only user-assigned identity, ${env.userAssigned[0]!.name}`,
      ms: ESTIMATE.endpoint,
    };
  }
  if (env.userAssigned.length > 1 || (env.endpoint === 'identityEndpoint' && env.userAssigned.length === 1)) {
    return notFound(`${env.name} has only user-assigned identities and none is named: set AZURE_CLIENT_ID`);
  }
  return notFound(`${env.name} has no managed identity: "Identity not found" (400)`);
}

function attempt(credential: CredentialName, request: ChainRequest, chain: LanguageChain, onlyThis: boolean): Attempt {
  const m = messagesFor(request.language);
  const v = request.variables ?? {};
  const env = request.environment;
  const js = request.language === 'js';
  switch (credential) {
    case 'EnvironmentCredential':
      if (v.AZURE_TENANT_ID && v.AZURE_CLIENT_ID && v.AZURE_CLIENT_SECRET) {
        return {
          outcome: 'answers',
          looksAt: 'AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET',
          finds: 'a client secret: it signs in as that app registration',
          ms: ESTIMATE.endpoint,
        };
      }
      return {
        outcome: 'unavailable',
        looksAt: 'AZURE_TENANT_ID + AZURE_CLIENT_ID with AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_USERNAME',
        finds: 'not all set',
        ms: ESTIMATE.instant,
        sdkSays: m.environment,
      };
    case 'WorkloadIdentityCredential':
      if (v.AZURE_CLIENT_ID && v.AZURE_TENANT_ID && v.AZURE_FEDERATED_TOKEN_FILE) {
        return {
          outcome: 'answers',
          looksAt: 'AZURE_FEDERATED_TOKEN_FILE (+ client and tenant ids)',
          finds: 'a projected token to exchange at Entra',
          ms: ESTIMATE.endpoint,
        };
      }
      return {
        // JS builds it in a factory that throws without AZURE_CLIENT_ID: DefaultAzureCredential skips it, and the final error has no line for it.
        outcome: js ? 'skipped' : 'unavailable',
        looksAt: 'AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE',
        finds: 'not all set' + (js ? ' (so the JS SDK leaves it out, without a line in the error)' : ''),
        ms: ESTIMATE.instant,
        ...('workloadIdentity' in m ? { sdkSays: m.workloadIdentity } : {}),
      };
    case 'ManagedIdentityCredential':
      // Chosen alone (JS 4.13+, .NET 1.16+), the probe is off.
      return managedIdentity(request, chain, !(onlyThis && request.language !== 'python'));
    case 'SharedTokenCacheCredential':
      return {
        outcome: 'unavailable',
        looksAt: "MSAL's shared token cache",
        finds: 'no accounts',
        ms: ESTIMATE.spawnMissing,
        sdkSays: PYTHON_MESSAGES.sharedTokenCache,
      };
    case 'VisualStudioCredential':
      return {
        outcome: 'unavailable',
        looksAt: "Visual Studio's token provider",
        finds: 'not installed',
        ms: ESTIMATE.spawnMissing,
        sdkSays: DOTNET_MESSAGES.visualStudio,
      };
    case 'VisualStudioCodeCredential':
      return {
        outcome: 'unavailable',
        looksAt: js ? "the @azure/identity-vscode plugin and VS Code's Azure sign-in" : "VS Code's Azure sign-in",
        finds: js ? 'no plugin registered' : 'no VS Code Azure account',
        ms: ESTIMATE.instant,
        sdkSays: m.visualStudioCode,
      };
    case 'AzureCliCredential':
      if (env.kind === 'local' && env.cli === 'lab') {
        return {
          outcome: 'answers',
          looksAt: '`az` on PATH: az account get-access-token --output json --resource …',
          finds: `the lab's az, signed in as ${env.learner}: a token as you`,
          ms: ESTIMATE.labCli,
        };
      }
      return {
        outcome: 'unavailable',
        looksAt: '`az` on PATH',
        finds: env.kind === 'host' ? `not installed on ${env.name}` : 'not installed',
        ms: ESTIMATE.spawnMissing,
        sdkSays: m.cliMissing,
      };
    case 'AzurePowerShellCredential':
      return {
        outcome: 'unavailable',
        looksAt: 'pwsh with Az.Accounts',
        finds: 'not installed',
        ms: ESTIMATE.spawnMissing,
        sdkSays: m.powerShell,
      };
    case 'AzureDeveloperCliCredential':
      return {
        outcome: 'unavailable',
        looksAt: '`azd` on PATH',
        finds: 'not installed',
        ms: ESTIMATE.spawnMissing,
        sdkSays: m.developerCli,
      };
    case 'BrokerCredential':
      return js
        ? {
            outcome: 'skipped',
            looksAt: 'the @azure/identity-broker plugin',
            finds: 'not registered (left out, without a line in the error)',
            ms: 0,
          }
        : {
            outcome: 'unavailable',
            looksAt: 'the azure-identity-broker package (WAM)',
            finds: 'not installed',
            ms: ESTIMATE.instant,
            ...(js ? {} : { sdkSays: PYTHON_MESSAGES.broker }),
          };
  }
}

function describeEnvironment(env: ChainEnvironment): string {
  if (env.kind === 'local') {
    return env.cli === 'lab'
      ? "your machine (no managed identity; the lab's az signed in as you)"
      : 'your machine (no managed identity, no az)';
  }
  return `${env.name} (${env.typeName}, ${env.endpoint === 'imds' ? 'IMDS' : 'IDENTITY_ENDPOINT'})`;
}

export function credentialChain(request: ChainRequest): CredentialChain {
  const chain = LANGUAGE_CHAINS[request.language];
  const variables = request.variables ?? {};
  const choice = tokenCredentialsChoice(chain, variables.AZURE_TOKEN_CREDENTIALS);
  const m = messagesFor(request.language);
  const notes: string[] = [];
  const tokenCredentials: CredentialChain['tokenCredentials'] = {
    effect: 'not set: the whole chain runs, production credentials first',
    ...(variables.AZURE_TOKEN_CREDENTIALS !== undefined ? { value: variables.AZURE_TOKEN_CREDENTIALS } : {}),
  };
  let included: ReadonlySet<CredentialName>;
  switch (choice.kind) {
    case 'all':
      included = new Set(chain.order);
      break;
    case 'group':
      included = new Set(choice.credentials);
      tokenCredentials.effect =
        choice.group === 'dev'
          ? 'dev: only the developer credentials (no managed-identity probe)'
          : 'prod: only Environment, WorkloadIdentity and ManagedIdentity';
      break;
    case 'single':
      included = new Set([choice.credential]);
      tokenCredentials.effect =
        `${choice.credential} only` +
        (choice.credential === 'ManagedIdentityCredential' && request.language !== 'python' ? ' (and no IMDS probe)' : '');
      break;
    case 'invalid':
      included = new Set();
      tokenCredentials.effect = 'not a value the SDK knows: the DefaultAzureCredential constructor throws';
      tokenCredentials.constructorError =
        request.language === 'js'
          ? JS_MESSAGES.invalidTokenCredentials(choice.value)
          : `Invalid value for environment variable AZURE_TOKEN_CREDENTIALS: ${choice.value} (${chain.tokenCredentialsSince}).`;
  }
  notes.push(`AZURE_TOKEN_CREDENTIALS: ${chain.tokenCredentialsSince}.`);
  const steps: ChainStep[] = [];
  let at = 0;
  let answeredBy: CredentialName | undefined;
  for (const credential of chain.order) {
    const base = { credential, startsAtMs: at, measured: false };
    if (!included.has(credential)) {
      steps.push({
        ...base,
        looksAt: '',
        finds:
          choice.kind === 'invalid' ? 'the constructor threw' : `left out by AZURE_TOKEN_CREDENTIALS=${variables.AZURE_TOKEN_CREDENTIALS}`,
        outcome: 'excluded',
        ms: 0,
      });
      continue;
    }
    if (answeredBy) {
      steps.push({ ...base, looksAt: '', finds: `not reached: ${answeredBy} answered`, outcome: 'not reached', ms: 0 });
      continue;
    }
    const result = attempt(credential, request, chain, choice.kind === 'single');
    const measured = request.measured?.[credential];
    const ms = measured ?? result.ms;
    steps.push({
      ...base,
      looksAt: result.looksAt,
      finds: result.finds,
      outcome: result.outcome,
      ms,
      measured: measured !== undefined,
      ...(result.sdkSays && result.outcome === 'unavailable' ? { sdkSays: result.sdkSays } : {}),
    });
    at += ms;
    if (result.outcome === 'answers') answeredBy = credential;
  }
  const clientId = variables.AZURE_CLIENT_ID;
  const chainResult: CredentialChain = {
    language: request.language,
    languageLabel: chain.label,
    source: chain.source,
    environmentLabel: describeEnvironment(request.environment),
    tokenCredentials,
    ...(clientId
      ? {
          clientIdEffect:
            `AZURE_CLIENT_ID=${clientId}: ManagedIdentityCredential asks for that user-assigned identity (client_id=…); ` +
            'WorkloadIdentity and Environment credentials use it as their app id',
        }
      : {}),
    steps,
    ...(answeredBy ? { answeredBy } : {}),
    totalMs: at,
    notes,
  };
  if (!answeredBy && !tokenCredentials.constructorError) {
    const lines = steps.filter(s => s.outcome === 'unavailable' && s.sdkSays).map(s => s.sdkSays!);
    chainResult.failure =
      request.language === 'js'
        ? [m.chainFailed, ...lines].join('\n')
        : request.language === 'python'
          ? [
              m.chainFailed,
              'Attempted credentials:',
              ...steps.filter(s => s.sdkSays && s.outcome === 'unavailable').map(s => `\t${s.credential}: ${s.sdkSays}`),
              PYTHON_MESSAGES.troubleshoot,
            ].join('\n')
          : [m.chainFailed, ...lines.map(l => `- ${l}`)].join('\n');
  }
  if (request.environment.kind === 'local' && included.has('ManagedIdentityCredential') && choice.kind !== 'single') {
    notes.push(
      `Off Azure the managed-identity step costs the probe's ${chain.probeTimeoutMs / 1000} s before the developer credentials get a turn: ` +
        'set AZURE_TOKEN_CREDENTIALS=dev (or AzureCliCredential) locally.',
    );
  }
  const caching = SDK_TOKEN_CACHING[request.language];
  notes.push(`Tokens it gets are cached in the process: ${caching.rule} (${caching.source})`);
  if (chain.sticksToFirstSuccess) notes.push(`${chain.label} keeps using the credential that answered first for later tokens.`);
  else notes.push('The JS SDK walks the chain again for each new token it needs (msal caches the tokens themselves).');
  return chainResult;
}
