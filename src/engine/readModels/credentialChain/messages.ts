// What each SDK's DefaultAzureCredential says, verbatim, when a credential in its chain is
// unavailable or the whole chain fails. JS: @azure/identity 4.14.1 run live (research notes
// time-and-chain.md §7, "have have" is the SDK's own text); Python: azure-identity 1.25.3
// chained.py and a real log; .NET: Azure.Identity DefaultAzureCredentialFactory.cs and real logs.

export const JS_MESSAGES = {
  chainFailed: 'ChainedTokenCredential authentication failed.',
  environment:
    'CredentialUnavailableError: EnvironmentCredential is unavailable. No underlying credential could be used. To troubleshoot, visit https://aka.ms/azsdk/js/identity/environmentcredential/troubleshoot.',
  imdsUnavailable:
    'CredentialUnavailableError: ManagedIdentityCredential: Authentication failed. Message Attempted to use the IMDS endpoint, but it is not available.',
  identityNotFound:
    'CredentialUnavailableError: ManagedIdentityCredential: Authentication failed. Message invalid_request: Error(s): Not Available - Timestamp: Not Available - Description: Identity not found - Correlation ID: Not Available - Trace ID: Not Available',
  visualStudioCode:
    'CredentialUnavailableError: Visual Studio Code Authentication is not available. Ensure you have have Azure Resources Extension installed in VS Code, signed into Azure via VS Code, installed the @azure/identity-vscode package, and properly configured the extension.',
  cliMissing:
    "CredentialUnavailableError: Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions and then, once installed, authenticate to your Azure account using 'az login'.",
  cliLogin: "CredentialUnavailableError: Please run 'az login' from a command prompt to authenticate before using this credential.",
  powerShell:
    'CredentialUnavailableError: Error: Unable to execute PowerShell. Ensure that it is installed in your system. To troubleshoot, visit https://aka.ms/azsdk/js/identity/powershellcredential/troubleshoot.',
  developerCli:
    "CredentialUnavailableError: Azure Developer CLI couldn't be found. To mitigate this issue, see the troubleshooting guidelines at https://aka.ms/azsdk/js/identity/azdevclicredential/troubleshoot.",
  invalidTokenCredentials: (value: string) =>
    `Invalid value for AZURE_TOKEN_CREDENTIALS = ${value}. Valid values are 'prod' or 'dev' or any of these credentials - EnvironmentCredential, WorkloadIdentityCredential, ManagedIdentityCredential, VisualStudioCodeCredential, AzureCliCredential, AzurePowerShellCredential, AzureDeveloperCliCredential.`,
} as const;

export const PYTHON_MESSAGES = {
  chainFailed: 'DefaultAzureCredential failed to retrieve a token from the included credentials.',
  environment:
    'EnvironmentCredential authentication unavailable. Environment variables are not fully configured.\nVisit https://aka.ms/azsdk/python/identity/environmentcredential/troubleshoot to troubleshoot this issue.',
  workloadIdentity:
    "WorkloadIdentityCredential authentication unavailable. The workload options are not fully configured. See the troubleshooting guide for more information: https://aka.ms/azsdk/python/identity/workloadidentitycredential/troubleshoot. Missing required arguments: 'tenant_id', 'client_id', 'token_file_path'.",
  imdsUnavailable: 'ManagedIdentityCredential authentication unavailable, no response from the IMDS endpoint.',
  identityNotFound: 'ManagedIdentityCredential authentication unavailable. The requested identity has not been assigned to this resource.',
  sharedTokenCache: 'SharedTokenCacheCredential authentication unavailable. No accounts were found in the cache.',
  visualStudioCode:
    "VisualStudioCodeCredential requires the 'azure-identity-broker' package to be installed. You must also ensure you have the Azure Resources extension installed and have signed in to Azure via Visual Studio Code.",
  cliMissing: 'Azure CLI not found on path',
  powerShell: 'PowerShell is not installed',
  developerCli:
    "Azure Developer CLI could not be found. Please visit https://aka.ms/azure-dev for installation instructions and then,once installed, authenticate to your Azure account using 'azd auth login'.",
  broker: "InteractiveBrowserBrokerCredential unavailable. The 'azure-identity-broker' package is required to use brokered authentication.",
  troubleshoot:
    'To mitigate this issue, please refer to the troubleshooting guidelines here at https://aka.ms/azsdk/python/identity/defaultazurecredential/troubleshoot.',
} as const;

export const DOTNET_MESSAGES = {
  chainFailed:
    'DefaultAzureCredential failed to retrieve a token from the included credentials. See the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/defaultazurecredential/troubleshoot',
  environment:
    'EnvironmentCredential authentication unavailable. Environment variables are not fully configured. See the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/environmentcredential/troubleshoot',
  workloadIdentity:
    'WorkloadIdentityCredential authentication unavailable. The workload options are not fully configured. See the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/workloadidentitycredential/troubleshoot',
  imdsUnavailable: 'ManagedIdentityCredential authentication unavailable. No response received from the managed identity endpoint.',
  identityNotFound: 'ManagedIdentityCredential authentication unavailable. The requested identity has not been assigned to this resource.',
  visualStudio:
    "VisualStudioCredential authentication failed: Visual Studio Token provider can't be accessed at /home/app/.IdentityService/AzureServiceAuth/tokenprovider.json",
  // The research found this line elided in real logs ("VisualStudioCodeCredential authentication failed: …"): the rest is the lab's (unverified).
  visualStudioCode: 'VisualStudioCodeCredential authentication failed: no Azure account signed in to VS Code was found.',
  cliMissing: 'AzureCliCredential authentication failed: Azure CLI not installed',
  powerShell: 'AzurePowerShellCredential authentication failed: PowerShell is not installed.',
  developerCli:
    "AzureDeveloperCliCredential authentication failed: Please visit https://aka.ms/azure-dev for installation instructions and then, once installed, authenticate to your Azure account using 'azd auth login'.",
} as const;
