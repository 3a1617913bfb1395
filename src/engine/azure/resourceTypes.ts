// The resource types the lab simulates, with what each supports for managed identities.
//
// Identity support follows Microsoft's list of services that support managed identities
// (learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identities-status)
// and each service's own managed-identity page. Where the course material (../shared/seeds)
// says otherwise, `seedSays` keeps the difference so the lab can teach it.

/** How code running on a compute resource gets its tokens. */
export type TokenEndpointKind =
  /** IMDS at 169.254.169.254 (VM, VMSS, AKS nodes, Container Instances). */
  | 'imds'
  /** `IDENTITY_ENDPOINT` + `IDENTITY_HEADER` (App Service, Functions, Container Apps, Automation). */
  | 'identityEndpoint'
  /** The service uses the identity itself (connectors, linked services, policies); no endpoint for your code. */
  | 'serviceManaged';

export type ResourceRole = 'compute' | 'target' | 'identity' | 'infrastructure';

export interface ResourceTypeInfo {
  /** A short key the lab's commands use, e.g. `vm`. */
  key: string;
  armType: string;
  /** ARM `kind`, for types that share an ARM type (Function Apps are `Microsoft.Web/sites`). */
  kind?: string;
  displayName: string;
  role: ResourceRole;
  systemAssigned: boolean;
  userAssigned: boolean;
  tokenEndpoint?: TokenEndpointKind;
  /** Codicon id for views. */
  icon: string;
  /** Azure's naming rule for this type (resource-name-rules), and the message when broken. */
  nameRule: { pattern: RegExp; message: string };
  /** Documentation the identity facts come from. */
  source: string;
  /** What a seed's table says, when it disagrees with current documentation. */
  seedSays?: string;
}

/** A type-specific property ARM would refuse: `at` is the path below the property (`.objectId`), `problem` what it must be. */
export interface PropertyProblem {
  at: string;
  problem: string;
}

const MI_STATUS = 'https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identities-status';

const rule = (pattern: RegExp, message: string) => ({ pattern, message });
const VM_NAME = rule(
  /^[A-Za-z0-9][A-Za-z0-9.-]{0,62}[A-Za-z0-9]$|^[A-Za-z0-9]$/,
  "1-64 characters: letters, digits, hyphens and periods; it can't start with an underscore or end with a period or hyphen",
);
const SITE_NAME = rule(
  /^[A-Za-z0-9][A-Za-z0-9-]{0,58}[A-Za-z0-9]$/,
  '2-60 characters: letters, digits and hyphens; it must start and end with a letter or digit',
);

export const RESOURCE_TYPES: readonly ResourceTypeInfo[] = [
  // Compute: where code runs and asks for tokens.
  {
    key: 'vm',
    armType: 'Microsoft.Compute/virtualMachines',
    displayName: 'Virtual Machine',
    role: 'compute',
    systemAssigned: true,
    userAssigned: true,
    tokenEndpoint: 'imds',
    icon: 'vm',
    nameRule: VM_NAME,
    source: 'https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/qs-configure-cli-windows-vm',
  },
  {
    key: 'vmss',
    armType: 'Microsoft.Compute/virtualMachineScaleSets',
    displayName: 'Virtual Machine Scale Set',
    role: 'compute',
    systemAssigned: true,
    userAssigned: true,
    tokenEndpoint: 'imds',
    icon: 'server-environment',
    nameRule: VM_NAME,
    source: 'https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/qs-configure-cli-windows-vmss',
  },
  {
    key: 'webapp',
    armType: 'Microsoft.Web/sites',
    kind: 'app',
    displayName: 'App Service web app',
    role: 'compute',
    systemAssigned: true,
    userAssigned: true,
    tokenEndpoint: 'identityEndpoint',
    icon: 'globe',
    nameRule: SITE_NAME,
    source: 'https://learn.microsoft.com/azure/app-service/overview-managed-identity',
  },
  {
    key: 'functionapp',
    armType: 'Microsoft.Web/sites',
    kind: 'functionapp',
    displayName: 'Function App',
    role: 'compute',
    systemAssigned: true,
    userAssigned: true,
    tokenEndpoint: 'identityEndpoint',
    icon: 'symbol-event',
    nameRule: SITE_NAME,
    source: 'https://learn.microsoft.com/azure/app-service/overview-managed-identity',
  },
  {
    key: 'aks',
    armType: 'Microsoft.ContainerService/managedClusters',
    displayName: 'AKS cluster',
    role: 'compute',
    systemAssigned: true,
    userAssigned: true,
    tokenEndpoint: 'imds',
    icon: 'layers',
    nameRule: rule(
      /^[A-Za-z0-9][A-Za-z0-9_-]{0,61}[A-Za-z0-9]$|^[A-Za-z0-9]$/,
      '1-63 characters: letters, digits, underscores and hyphens; start and end with a letter or digit',
    ),
    source: 'https://learn.microsoft.com/azure/aks/use-managed-identity',
  },
  {
    key: 'containerapp',
    armType: 'Microsoft.App/containerApps',
    displayName: 'Container App',
    role: 'compute',
    systemAssigned: true,
    userAssigned: true,
    tokenEndpoint: 'identityEndpoint',
    icon: 'package',
    nameRule: rule(
      /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
      '2-32 lower-case letters, digits and hyphens; start with a letter, end with a letter or digit',
    ),
    source: 'https://learn.microsoft.com/azure/container-apps/managed-identity',
  },
  {
    key: 'containerinstance',
    armType: 'Microsoft.ContainerInstance/containerGroups',
    displayName: 'Container Instances group',
    role: 'compute',
    systemAssigned: true,
    userAssigned: true,
    tokenEndpoint: 'imds',
    icon: 'archive',
    nameRule: rule(
      /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$|^[a-z0-9]$/,
      '1-63 lower-case letters, digits and hyphens; start and end with a letter or digit',
    ),
    source: 'https://learn.microsoft.com/azure/container-instances/container-instances-managed-identity',
    seedSays:
      'Container Instances: system-assigned ❌, user-assigned ✅. Current documentation: both are supported (system-assigned for Linux container groups).',
  },
  {
    key: 'logicapp',
    armType: 'Microsoft.Logic/workflows',
    displayName: 'Logic App (Consumption)',
    role: 'compute',
    systemAssigned: true,
    userAssigned: true,
    tokenEndpoint: 'serviceManaged',
    icon: 'git-merge',
    nameRule: rule(/^[A-Za-z0-9_.()-]{1,80}$/, '1-80 characters: letters, digits, hyphens, underscores, periods and parentheses'),
    source: 'https://learn.microsoft.com/azure/logic-apps/authenticate-with-managed-identity',
  },
  {
    key: 'datafactory',
    armType: 'Microsoft.DataFactory/factories',
    displayName: 'Data Factory',
    role: 'compute',
    systemAssigned: true,
    userAssigned: true,
    tokenEndpoint: 'serviceManaged',
    icon: 'database',
    nameRule: rule(
      /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){2,62}$/,
      '3-63 letters, digits and single hyphens; start and end with a letter or digit',
    ),
    source: 'https://learn.microsoft.com/azure/data-factory/data-factory-service-identity',
  },
  {
    key: 'apim',
    armType: 'Microsoft.ApiManagement/service',
    displayName: 'API Management',
    role: 'compute',
    systemAssigned: true,
    userAssigned: true,
    tokenEndpoint: 'serviceManaged',
    icon: 'symbol-interface',
    nameRule: rule(
      /^[A-Za-z][A-Za-z0-9-]{0,48}[A-Za-z0-9]$/,
      '1-50 letters, digits and hyphens; start with a letter, end with a letter or digit',
    ),
    source: 'https://learn.microsoft.com/azure/api-management/api-management-howto-use-managed-service-identity',
  },
  {
    key: 'automation',
    armType: 'Microsoft.Automation/automationAccounts',
    displayName: 'Automation account',
    role: 'compute',
    systemAssigned: true,
    userAssigned: true,
    tokenEndpoint: 'identityEndpoint',
    icon: 'run-all',
    nameRule: rule(
      /^[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9]$/,
      '6-50 letters, digits and hyphens; start with a letter, end with a letter or digit',
    ),
    source: 'https://learn.microsoft.com/azure/automation/enable-managed-identity-for-automation',
  },

  // Targets: services that accept Entra tokens.
  {
    key: 'keyvault',
    armType: 'Microsoft.KeyVault/vaults',
    displayName: 'Key Vault',
    role: 'target',
    systemAssigned: false,
    userAssigned: false,
    icon: 'lock',
    nameRule: rule(
      /^[A-Za-z](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){2,23}$/,
      '3-24 letters, digits and single hyphens; start with a letter, end with a letter or digit',
    ),
    source: MI_STATUS,
  },
  {
    key: 'storage',
    armType: 'Microsoft.Storage/storageAccounts',
    displayName: 'Storage account',
    role: 'target',
    systemAssigned: true,
    userAssigned: true,
    icon: 'database',
    nameRule: rule(/^[a-z0-9]{3,24}$/, '3-24 lower-case letters and digits'),
    source: 'https://learn.microsoft.com/azure/storage/common/customer-managed-keys-configure-existing-account',
  },
  {
    key: 'sqlserver',
    armType: 'Microsoft.Sql/servers',
    displayName: 'SQL server',
    role: 'target',
    systemAssigned: true,
    userAssigned: true,
    icon: 'server',
    nameRule: rule(
      /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$|^[a-z0-9]$/,
      '1-63 lower-case letters, digits and hyphens; not starting or ending with a hyphen',
    ),
    source: 'https://learn.microsoft.com/azure/azure-sql/database/authentication-azure-ad-user-assigned-managed-identity',
  },
  {
    key: 'sqldb',
    armType: 'Microsoft.Sql/servers/databases',
    displayName: 'SQL database',
    role: 'target',
    systemAssigned: false,
    userAssigned: false,
    icon: 'database',
    nameRule: rule(
      /^[^<>*%&:\\/?]{1,127}[^<>*%&:\\/?. ]$|^[^<>*%&:\\/?. ]$/,
      '1-128 characters, none of <>*%&:\\/? and not ending with a period or space',
    ),
    source: MI_STATUS,
  },
  {
    key: 'servicebus',
    armType: 'Microsoft.ServiceBus/namespaces',
    displayName: 'Service Bus namespace',
    role: 'target',
    systemAssigned: true,
    userAssigned: true,
    icon: 'mail',
    nameRule: rule(
      /^[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9]$/,
      '6-50 letters, digits and hyphens; start with a letter, end with a letter or digit',
    ),
    source: 'https://learn.microsoft.com/azure/service-bus-messaging/service-bus-managed-service-identity',
  },
  {
    key: 'eventhubs',
    armType: 'Microsoft.EventHub/namespaces',
    displayName: 'Event Hubs namespace',
    role: 'target',
    systemAssigned: true,
    userAssigned: true,
    icon: 'broadcast',
    nameRule: rule(
      /^[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9]$/,
      '6-50 letters, digits and hyphens; start with a letter, end with a letter or digit',
    ),
    source: 'https://learn.microsoft.com/azure/event-hubs/authenticate-managed-identity',
  },
  {
    key: 'appconfig',
    armType: 'Microsoft.AppConfiguration/configurationStores',
    displayName: 'App Configuration store',
    role: 'target',
    systemAssigned: true,
    userAssigned: true,
    icon: 'settings',
    nameRule: rule(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){4,49}$/, '5-50 letters, digits and single hyphens'),
    source: 'https://learn.microsoft.com/azure/azure-app-configuration/howto-integrate-azure-managed-service-identity',
  },

  // Identities and infrastructure.
  {
    key: 'identity',
    armType: 'Microsoft.ManagedIdentity/userAssignedIdentities',
    displayName: 'User-assigned managed identity',
    role: 'identity',
    systemAssigned: false,
    userAssigned: false,
    icon: 'person',
    nameRule: rule(/^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/, '3-128 letters, digits, hyphens and underscores; start with a letter or digit'),
    source: 'https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-manage-user-assigned-managed-identities',
  },
  {
    key: 'appserviceplan',
    armType: 'Microsoft.Web/serverfarms',
    displayName: 'App Service plan',
    role: 'infrastructure',
    systemAssigned: false,
    userAssigned: false,
    icon: 'server-process',
    nameRule: rule(/^[A-Za-z0-9-]{1,60}$/, '1-60 letters, digits and hyphens'),
    source: MI_STATUS,
  },
];

/** Rows of the seeds' support table that are not Azure resource types at all. */
export const SEED_ONLY_ROWS = [
  {
    service: 'Azure DevOps Pipelines',
    seedSays: 'System-assigned ❌, user-assigned ❌ (use service connections)',
    fact:
      'Azure DevOps is not an Azure resource and has no managed identity of its own; ' +
      'pipelines reach Azure through service connections, which can use workload identity federation or a managed identity of a self-hosted agent VM.',
  },
] as const;

const byKey = new Map(RESOURCE_TYPES.map(t => [t.key, t]));
const byArmType = new Map<string, ResourceTypeInfo[]>();
for (const t of RESOURCE_TYPES) byArmType.set(t.armType.toLowerCase(), [...(byArmType.get(t.armType.toLowerCase()) ?? []), t]);

export const resourceTypeByKey = (key: string): ResourceTypeInfo | undefined => byKey.get(key.toLowerCase());

/** The catalog entry for an ARM type (and kind, for types shared by several kinds). */
export function resourceTypeOf(armType: string, kind?: string): ResourceTypeInfo | undefined {
  const candidates = byArmType.get(armType.toLowerCase());
  if (!candidates || candidates.length === 1) return candidates?.[0];
  const kinds = (kind ?? '').toLowerCase().split(',');
  return candidates.find(t => t.kind && kinds.includes(t.kind)) ?? candidates[0];
}

/** Compute types whose code can ask an endpoint for tokens. */
export const hasTokenEndpoint = (info: ResourceTypeInfo | undefined): boolean =>
  info?.tokenEndpoint === 'imds' || info?.tokenEndpoint === 'identityEndpoint';
