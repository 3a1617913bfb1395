// The resource providers behind the lab's resource types, as ARM's `GET …/providers[/{namespace}]`
// describes them: each type with the API versions it serves, newest first. Clients read this to
// pick an api-version (`az resource show --ids` takes the newest non-preview one). The versions
// are ones these providers publish (Azure REST API specs, specification/{service}/resource-manager);
// the lab serves every api-version alike, so only their shape and order matter.
import { RESOURCE_TYPES } from './resourceTypes';

const API_VERSIONS: Record<string, readonly string[]> = {
  'Microsoft.Compute/virtualMachines': [
    '2024-07-01',
    '2024-03-01',
    '2023-09-01',
    '2023-07-01',
    '2023-03-01',
    '2022-11-01',
    '2022-08-01',
    '2021-11-01',
  ],
  'Microsoft.Compute/virtualMachineScaleSets': [
    '2024-07-01',
    '2024-03-01',
    '2023-09-01',
    '2023-07-01',
    '2023-03-01',
    '2022-11-01',
    '2022-08-01',
  ],
  'Microsoft.Web/sites': ['2023-12-01', '2023-01-01', '2022-09-01', '2022-03-01', '2021-03-01', '2020-12-01'],
  'Microsoft.Web/serverfarms': ['2023-12-01', '2023-01-01', '2022-09-01', '2022-03-01', '2021-03-01', '2020-12-01'],
  'Microsoft.ContainerService/managedClusters': ['2024-05-01', '2024-02-01', '2023-10-01', '2023-08-01', '2023-06-01'],
  'Microsoft.App/containerApps': ['2024-03-01', '2023-05-01', '2022-10-01', '2022-03-01'],
  'Microsoft.ContainerInstance/containerGroups': ['2023-05-01', '2022-09-01', '2021-10-01', '2021-09-01'],
  'Microsoft.Logic/workflows': ['2019-05-01', '2018-07-01-preview', '2017-07-01', '2016-06-01'],
  'Microsoft.DataFactory/factories': ['2018-06-01', '2017-09-01-preview'],
  'Microsoft.ApiManagement/service': ['2022-08-01', '2021-08-01', '2021-01-01-preview', '2020-12-01'],
  'Microsoft.Automation/automationAccounts': ['2023-11-01', '2022-08-08', '2021-06-22', '2019-06-01'],
  'Microsoft.KeyVault/vaults': [
    '2023-07-01',
    '2023-02-01',
    '2022-07-01',
    '2021-10-01',
    '2019-09-01',
    '2018-02-14',
    '2016-10-01',
    '2015-06-01',
  ],
  'Microsoft.Storage/storageAccounts': ['2023-05-01', '2023-01-01', '2022-09-01', '2022-05-01', '2021-09-01', '2021-04-01', '2019-06-01'],
  'Microsoft.Sql/servers': ['2021-11-01', '2021-02-01-preview', '2020-11-01-preview', '2014-04-01'],
  'Microsoft.Sql/servers/databases': ['2021-11-01', '2021-02-01-preview', '2020-11-01-preview', '2014-04-01'],
  'Microsoft.ServiceBus/namespaces': ['2022-10-01-preview', '2021-11-01', '2021-06-01-preview', '2017-04-01'],
  'Microsoft.EventHub/namespaces': ['2024-01-01', '2022-10-01-preview', '2021-11-01', '2017-04-01'],
  'Microsoft.AppConfiguration/configurationStores': ['2023-03-01', '2022-05-01', '2021-10-01-preview', '2019-10-01'],
  'Microsoft.ManagedIdentity/userAssignedIdentities': ['2023-01-31', '2018-11-30', '2015-08-31-preview'],
};

/** The newest version for a type the table does not list: still a real, widely served one. */
const FALLBACK_VERSIONS = ['2021-04-01'];

export interface ProviderResourceType {
  /** The type below the namespace: `vaults`, `servers/databases`. */
  resourceType: string;
  apiVersions: readonly string[];
}

export interface ResourceProvider {
  namespace: string;
  resourceTypes: readonly ProviderResourceType[];
}

function build(): ResourceProvider[] {
  const byNamespace = new Map<string, Map<string, ProviderResourceType>>();
  for (const info of RESOURCE_TYPES) {
    const [namespace, ...rest] = info.armType.split('/');
    const types = byNamespace.get(namespace!) ?? new Map<string, ProviderResourceType>();
    types.set(rest.join('/'), { resourceType: rest.join('/'), apiVersions: API_VERSIONS[info.armType] ?? FALLBACK_VERSIONS });
    byNamespace.set(namespace!, types);
  }
  return [...byNamespace]
    .map(([namespace, types]) => ({ namespace, resourceTypes: [...types.values()] }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace));
}

export const RESOURCE_PROVIDERS: readonly ResourceProvider[] = build();

/** A provider by namespace, as ARM matches it (case-insensitively). */
export const findProvider = (namespace: string): ResourceProvider | undefined =>
  RESOURCE_PROVIDERS.find(p => p.namespace.toLowerCase() === namespace.toLowerCase());
