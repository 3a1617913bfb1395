// First-party resource applications: the APIs a managed identity asks tokens for. Their
// app ids are Microsoft's real, well-known first-party application ids; the identifier
// URIs are the `resource` values the SDKs send (scope minus `/.default`).

export interface ResourceApp {
  displayName: string;
  appId: string;
  /** Accepted `resource` values; the first is the canonical one. */
  identifierUris: readonly string[];
  /** Which lab service validates tokens for it, if any. */
  service?: 'keyvault' | 'storage' | 'arm' | 'sql';
}

export const RESOURCE_APPS: readonly ResourceApp[] = [
  {
    displayName: 'Azure Key Vault',
    appId: 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093',
    identifierUris: ['https://vault.azure.net'],
    service: 'keyvault',
  },
  {
    displayName: 'Windows Azure Service Management API',
    appId: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
    identifierUris: ['https://management.azure.com/', 'https://management.core.windows.net/'],
    service: 'arm',
  },
  {
    displayName: 'Azure Storage',
    appId: 'e406a681-f3d4-42a8-90b6-c2b029497af1',
    identifierUris: ['https://storage.azure.com/'],
    service: 'storage',
  },
  {
    displayName: 'Azure SQL Database',
    appId: '022907d3-0f1b-48f7-badc-1ba6abab6d66',
    identifierUris: ['https://database.windows.net/'],
    service: 'sql',
  },
  { displayName: 'Microsoft Graph', appId: '00000003-0000-0000-c000-000000000000', identifierUris: ['https://graph.microsoft.com'] },
  { displayName: 'Microsoft.ServiceBus', appId: '80a10ef9-8168-493d-abf9-3297c4ef6e3c', identifierUris: ['https://servicebus.azure.net'] },
  { displayName: 'Microsoft.EventHubs', appId: '80369ed6-5f11-4dd9-bef3-692475845e77', identifierUris: ['https://eventhubs.azure.net'] },
  { displayName: 'Azure App Configuration', appId: '35ffadb3-7fc1-497e-b61b-381d28e744cc', identifierUris: ['https://azconfig.io'] },
];

/**
 * Entra matches identifier URIs without regard to case, with or without one trailing slash —
 * and nothing looser: a resource with surrounding spaces or ending in `//` names no application
 * (AADSTS500011), so it gets no token (and never a cache entry of its own).
 */
const normalize = (uri: string): string => {
  const lower = uri.toLowerCase();
  return lower.endsWith('/') && !lower.endsWith('//') ? lower.slice(0, -1) : lower;
};

const byUri = new Map<string, ResourceApp>();
for (const app of RESOURCE_APPS) {
  byUri.set(app.appId, app);
  for (const uri of app.identifierUris) byUri.set(normalize(uri), app);
}

/** The resource application a `resource` value (URI or app id) names, if the tenant has it. */
export const findResourceApp = (resource: string): ResourceApp | undefined => byUri.get(normalize(resource));

/** `https://vault.azure.net/.default` → `https://vault.azure.net` (how the SDKs turn scopes into resources). */
export const scopeToResource = (scope: string): string => scope.replace(/\/\.default$/i, '');
