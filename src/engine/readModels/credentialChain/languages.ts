// DefaultAzureCredential's chain in each SDK language: the order it tries credentials in, which
// belong to AZURE_TOKEN_CREDENTIALS's `prod` and `dev`, which names it accepts alone, and how
// long its managed-identity probe waits. Sources (research notes time-and-chain.md §7, §9):
//  - JS @azure/identity 4.14.1: sdk/identity/identity/src/credentials/defaultAzureCredential.ts,
//    defaultAzureCredentialFunctions.ts, managedIdentityCredential/imdsMsi.ts (probe 1 s);
//  - Python azure-identity 1.25: azure/identity/_credentials/default.py, chained.py, imds.py;
//  - .NET Azure.Identity 1.16: src/Credentials/DefaultAzureCredential.cs, src/DefaultAzureCredentialFactory.cs.

export type SdkLanguage = 'js' | 'python' | 'dotnet';

export type CredentialName =
  | 'EnvironmentCredential'
  | 'WorkloadIdentityCredential'
  | 'ManagedIdentityCredential'
  | 'SharedTokenCacheCredential'
  | 'VisualStudioCredential'
  | 'VisualStudioCodeCredential'
  | 'AzureCliCredential'
  | 'AzurePowerShellCredential'
  | 'AzureDeveloperCliCredential'
  | 'BrokerCredential';

export interface LanguageChain {
  language: SdkLanguage;
  label: string;
  /** The files the order is read from. */
  source: string;
  order: readonly CredentialName[];
  prod: readonly CredentialName[];
  dev: readonly CredentialName[];
  /** Credentials AZURE_TOKEN_CREDENTIALS may name alone (compared trimmed and lower-cased), as the SDK spells them. */
  single: ReadonlyArray<readonly [CredentialName, string]>;
  /** Since which version the variable is honoured, in words. */
  tokenCredentialsSince: string;
  /** How long the managed-identity step's probe of IMDS waits for an answer. */
  probeTimeoutMs: number;
  /** Whether DefaultAzureCredential keeps using the first credential that answered. */
  sticksToFirstSuccess: boolean;
}

const PROD: readonly CredentialName[] = ['EnvironmentCredential', 'WorkloadIdentityCredential', 'ManagedIdentityCredential'];

/** Every SDK's chain is `prod` (the same three everywhere) followed by its own `dev` group, in order. */
const chainOf = (chain: Omit<LanguageChain, 'order' | 'prod'>): LanguageChain => ({ ...chain, prod: PROD, order: [...PROD, ...chain.dev] });

export const LANGUAGE_CHAINS: Readonly<Record<SdkLanguage, LanguageChain>> = {
  js: chainOf({
    language: 'js',
    label: 'JavaScript (@azure/identity 4.x)',
    source: 'azure-sdk-for-js sdk/identity/identity/src/credentials/defaultAzureCredential.ts, defaultAzureCredentialFunctions.ts',
    dev: [
      'VisualStudioCodeCredential',
      'AzureCliCredential',
      'AzurePowerShellCredential',
      'AzureDeveloperCliCredential',
      'BrokerCredential',
    ],
    single: [
      ['EnvironmentCredential', 'EnvironmentCredential'],
      ['WorkloadIdentityCredential', 'WorkloadIdentityCredential'],
      ['ManagedIdentityCredential', 'ManagedIdentityCredential'],
      ['VisualStudioCodeCredential', 'VisualStudioCodeCredential'],
      ['AzureCliCredential', 'AzureCliCredential'],
      ['AzurePowerShellCredential', 'AzurePowerShellCredential'],
      ['AzureDeveloperCliCredential', 'AzureDeveloperCliCredential'],
    ],
    tokenCredentialsSince:
      'dev/prod since 4.10.0, one credential since 4.11.0; ManagedIdentityCredential alone skips the probe since 4.13.0',
    probeTimeoutMs: 1000,
    sticksToFirstSuccess: false,
  }),
  python: chainOf({
    language: 'python',
    label: 'Python (azure-identity 1.2x)',
    source: 'azure-sdk-for-python sdk/identity/azure-identity/azure/identity/_credentials/default.py, chained.py',
    // 1.23.0's release notes list the first four; VS Code and the broker joined the chain in 1.24.0b1 (their group is unverified).
    dev: [
      'SharedTokenCacheCredential',
      'VisualStudioCodeCredential',
      'AzureCliCredential',
      'AzurePowerShellCredential',
      'AzureDeveloperCliCredential',
      'BrokerCredential',
    ],
    single: [
      ['EnvironmentCredential', 'EnvironmentCredential'],
      ['WorkloadIdentityCredential', 'WorkloadIdentityCredential'],
      ['ManagedIdentityCredential', 'ManagedIdentityCredential'],
      ['AzureCliCredential', 'AzureCliCredential'],
      ['AzurePowerShellCredential', 'AzurePowershellCredential'],
      ['AzureDeveloperCliCredential', 'AzureDeveloperCliCredential'],
    ],
    tokenCredentialsSince: 'dev/prod since 1.23.0, one credential since 1.24.0b1',
    probeTimeoutMs: 1000,
    sticksToFirstSuccess: true,
  }),
  dotnet: chainOf({
    language: 'dotnet',
    label: '.NET (Azure.Identity 1.1x)',
    source: 'azure-sdk-for-net sdk/identity/Azure.Identity/src/DefaultAzureCredentialFactory.cs (CreateCredentialChain)',
    dev: [
      'VisualStudioCredential',
      'VisualStudioCodeCredential',
      'AzureCliCredential',
      'AzurePowerShellCredential',
      'AzureDeveloperCliCredential',
      'BrokerCredential',
    ],
    single: [
      ['VisualStudioCredential', 'VisualStudioCredential'],
      ['VisualStudioCodeCredential', 'VisualStudioCodeCredential'],
      ['AzureCliCredential', 'AzureCliCredential'],
      ['AzurePowerShellCredential', 'AzurePowerShellCredential'],
      ['AzureDeveloperCliCredential', 'AzureDeveloperCliCredential'],
      ['EnvironmentCredential', 'EnvironmentCredential'],
      ['WorkloadIdentityCredential', 'WorkloadIdentityCredential'],
      ['ManagedIdentityCredential', 'ManagedIdentityCredential'],
      ['BrokerCredential', 'BrokerCredential'],
    ],
    tokenCredentialsSince:
      'dev/prod since 1.14.0, one credential since 1.15.0; ManagedIdentityCredential alone skips the probe since 1.16.0',
    probeTimeoutMs: 1000,
    sticksToFirstSuccess: true,
  }),
};

export type TokenCredentialsChoice =
  | { kind: 'all' }
  | { kind: 'group'; group: 'dev' | 'prod'; credentials: readonly CredentialName[] }
  | { kind: 'single'; credential: CredentialName }
  | { kind: 'invalid'; value: string };

/** What AZURE_TOKEN_CREDENTIALS selects, read as the SDK reads it (trimmed, case-insensitive). */
export function tokenCredentialsChoice(chain: LanguageChain, value: string | undefined): TokenCredentialsChoice {
  const wanted = (value ?? '').trim().toLowerCase();
  if (!wanted) return { kind: 'all' };
  if (wanted === 'dev' || wanted === 'prod') return { kind: 'group', group: wanted, credentials: chain[wanted] };
  const single = chain.single.find(([, spelled]) => spelled.toLowerCase() === wanted);
  return single ? { kind: 'single', credential: single[0] } : { kind: 'invalid', value: value ?? '' };
}
