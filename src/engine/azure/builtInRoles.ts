// Azure built-in role definitions: real GUIDs and permissions, copied from Microsoft's
// documentation (MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/*.md).
// Each entry names the file it came from. Do not edit by hand without checking the source.

export interface RolePermission {
  actions: readonly string[];
  notActions: readonly string[];
  dataActions: readonly string[];
  notDataActions: readonly string[];
}

export interface BuiltInRole {
  /** The role definition GUID (its ARM `name`). */
  name: string;
  roleName: string;
  description: string;
  permissions: readonly RolePermission[];
  /** Where the definition was read: repository path (and commit if known). */
  source: string;
}

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  {
    name: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    roleName: 'Owner',
    description: 'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    permissions: [
      {
        actions: ['*'],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/privileged.md (commit 0b8729eaf7eb0aabc6390cb17348d19761285f12)',
  },
  {
    name: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    roleName: 'Contributor',
    description:
      'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    permissions: [
      {
        actions: ['*'],
        notActions: [
          'Microsoft.Authorization/*/Delete',
          'Microsoft.Authorization/*/Write',
          'Microsoft.Authorization/elevateAccess/Action',
          'Microsoft.Blueprint/blueprintAssignments/write',
          'Microsoft.Blueprint/blueprintAssignments/delete',
          'Microsoft.Compute/galleries/share/action',
          'Microsoft.Purview/consents/write',
          'Microsoft.Purview/consents/delete',
          'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
          'Microsoft.Subscription/cancel/action',
          'Microsoft.Subscription/enable/action',
        ],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/privileged.md (commit 0b8729eaf7eb0aabc6390cb17348d19761285f12)',
  },
  {
    name: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    roleName: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    permissions: [
      {
        actions: ['*/read'],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/general.md (commit 03e5750af10b23b5ba437d5b333ec5e9437844f9)',
  },
  {
    name: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    roleName: 'User Access Administrator',
    description: 'Lets you manage user access to Azure resources.',
    permissions: [
      {
        actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/privileged.md (commit 0b8729eaf7eb0aabc6390cb17348d19761285f12)',
  },
  {
    name: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
    roleName: 'Role Based Access Control Administrator',
    description:
      'Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.',
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/roleAssignments/write',
          'Microsoft.Authorization/roleAssignments/delete',
          '*/read',
          'Microsoft.Support/*',
        ],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/privileged.md (commit 0b8729eaf7eb0aabc6390cb17348d19761285f12)',
  },
  {
    name: '00482a5a-887f-4fb3-b363-3b7fe8e74483',
    roleName: 'Key Vault Administrator',
    description:
      "Perform all data plane operations on a key vault and all objects in it, including certificates, keys, and secrets. Cannot manage key vault resources or manage role assignments. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Support/*',
          'Microsoft.KeyVault/checkNameAvailability/read',
          'Microsoft.KeyVault/deletedVaults/read',
          'Microsoft.KeyVault/locations/*/read',
          'Microsoft.KeyVault/vaults/*/read',
          'Microsoft.KeyVault/operations/read',
        ],
        notActions: [],
        dataActions: ['Microsoft.KeyVault/vaults/*'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/security.md (commit 03e5750af10b23b5ba437d5b333ec5e9437844f9)',
  },
  {
    name: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    roleName: 'Key Vault Secrets Officer',
    description:
      "Perform any action on the secrets of a key vault, except manage permissions. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Support/*',
          'Microsoft.KeyVault/checkNameAvailability/read',
          'Microsoft.KeyVault/deletedVaults/read',
          'Microsoft.KeyVault/locations/*/read',
          'Microsoft.KeyVault/vaults/*/read',
          'Microsoft.KeyVault/operations/read',
        ],
        notActions: [],
        dataActions: ['Microsoft.KeyVault/vaults/secrets/*'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/security.md (commit 03e5750af10b23b5ba437d5b333ec5e9437844f9)',
  },
  {
    name: '4633458b-17de-408a-b874-0445c86b69e6',
    roleName: 'Key Vault Secrets User',
    description: "Read secret contents. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: [
      {
        actions: [],
        notActions: [],
        dataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/security.md (commit 03e5750af10b23b5ba437d5b333ec5e9437844f9)',
  },
  {
    name: '21090545-7ca7-4776-b22c-e363652d74d2',
    roleName: 'Key Vault Reader',
    description:
      "Read metadata of key vaults and its certificates, keys, and secrets. Cannot read sensitive values such as secret contents or key material. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Support/*',
          'Microsoft.KeyVault/checkNameAvailability/read',
          'Microsoft.KeyVault/deletedVaults/read',
          'Microsoft.KeyVault/locations/*/read',
          'Microsoft.KeyVault/vaults/*/read',
          'Microsoft.KeyVault/operations/read',
        ],
        notActions: [],
        dataActions: ['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/security.md (commit 03e5750af10b23b5ba437d5b333ec5e9437844f9)',
  },
  {
    name: '12338af0-0e69-4776-bea7-57ae8d297424',
    roleName: 'Key Vault Crypto User',
    description:
      "Perform cryptographic operations using keys. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: [
      {
        actions: [],
        notActions: [],
        dataActions: [
          'Microsoft.KeyVault/vaults/keys/read',
          'Microsoft.KeyVault/vaults/keys/update/action',
          'Microsoft.KeyVault/vaults/keys/backup/action',
          'Microsoft.KeyVault/vaults/keys/encrypt/action',
          'Microsoft.KeyVault/vaults/keys/decrypt/action',
          'Microsoft.KeyVault/vaults/keys/wrap/action',
          'Microsoft.KeyVault/vaults/keys/unwrap/action',
          'Microsoft.KeyVault/vaults/keys/sign/action',
          'Microsoft.KeyVault/vaults/keys/verify/action',
        ],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/security.md (commit 03e5750af10b23b5ba437d5b333ec5e9437844f9)',
  },
  {
    name: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
    roleName: 'Key Vault Crypto Officer',
    description:
      "Perform any action on the keys of a key vault, except manage permissions. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Support/*',
          'Microsoft.KeyVault/checkNameAvailability/read',
          'Microsoft.KeyVault/deletedVaults/read',
          'Microsoft.KeyVault/locations/*/read',
          'Microsoft.KeyVault/vaults/*/read',
          'Microsoft.KeyVault/operations/read',
        ],
        notActions: [],
        dataActions: ['Microsoft.KeyVault/vaults/keys/*', 'Microsoft.KeyVault/vaults/keyrotationpolicies/*'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/security.md (commit 03e5750af10b23b5ba437d5b333ec5e9437844f9)',
  },
  {
    name: 'a4417e6f-fecd-4de8-b567-7b0420556985',
    roleName: 'Key Vault Certificates Officer',
    description:
      "Perform any action on the certificates of a key vault, except manage permissions. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Support/*',
          'Microsoft.KeyVault/checkNameAvailability/read',
          'Microsoft.KeyVault/deletedVaults/read',
          'Microsoft.KeyVault/locations/*/read',
          'Microsoft.KeyVault/vaults/*/read',
          'Microsoft.KeyVault/operations/read',
        ],
        notActions: [],
        dataActions: [
          'Microsoft.KeyVault/vaults/certificatecas/*',
          'Microsoft.KeyVault/vaults/certificates/*',
          'Microsoft.KeyVault/vaults/certificatecontacts/write',
        ],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/security.md (commit 03e5750af10b23b5ba437d5b333ec5e9437844f9)',
  },
  {
    name: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
    roleName: 'Key Vault Certificate User',
    description: "Read certificate contents. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: [
      {
        actions: [],
        notActions: [],
        dataActions: [
          'Microsoft.KeyVault/vaults/certificates/read',
          'Microsoft.KeyVault/vaults/secrets/getSecret/action',
          'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
          'Microsoft.KeyVault/vaults/keys/read',
        ],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/security.md (commit 03e5750af10b23b5ba437d5b333ec5e9437844f9)',
  },
  {
    name: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
    roleName: 'Storage Blob Data Reader',
    description: 'Allows for read access to Azure Storage blob containers and data',
    permissions: [
      {
        actions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/read',
          'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
        ],
        notActions: [],
        dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/storage.md (commit 1b4e136a1da731e1ed16444eb6ce5701bcd8c0f4)',
  },
  {
    name: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
    roleName: 'Storage Blob Data Contributor',
    description: 'Allows for read, write and delete access to Azure Storage blob containers and data',
    permissions: [
      {
        actions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/delete',
          'Microsoft.Storage/storageAccounts/blobServices/containers/read',
          'Microsoft.Storage/storageAccounts/blobServices/containers/write',
          'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
        ],
        notActions: [],
        dataActions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action',
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
        ],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/storage.md (commit 1b4e136a1da731e1ed16444eb6ce5701bcd8c0f4)',
  },
  {
    name: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
    roleName: 'Storage Blob Data Owner',
    description: 'Allows for full access to Azure Storage blob containers and data, including assigning POSIX access control.',
    permissions: [
      {
        actions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/*',
          'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
        ],
        notActions: [],
        dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/storage.md (commit 1b4e136a1da731e1ed16444eb6ce5701bcd8c0f4)',
  },
  {
    name: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
    roleName: 'Storage Queue Data Contributor',
    description: 'Allows for read, write, and delete access to Azure Storage queues and queue messages',
    permissions: [
      {
        actions: [
          'Microsoft.Storage/storageAccounts/queueServices/queues/delete',
          'Microsoft.Storage/storageAccounts/queueServices/queues/read',
          'Microsoft.Storage/storageAccounts/queueServices/queues/write',
        ],
        notActions: [],
        dataActions: [
          'Microsoft.Storage/storageAccounts/queueServices/queues/messages/delete',
          'Microsoft.Storage/storageAccounts/queueServices/queues/messages/read',
          'Microsoft.Storage/storageAccounts/queueServices/queues/messages/write',
          'Microsoft.Storage/storageAccounts/queueServices/queues/messages/process/action',
        ],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/storage.md (commit 1b4e136a1da731e1ed16444eb6ce5701bcd8c0f4)',
  },
  {
    name: '19e7f393-937e-4f77-808e-94535e297925',
    roleName: 'Storage Queue Data Reader',
    description: 'Allows for read access to Azure Storage queues and queue messages',
    permissions: [
      {
        actions: ['Microsoft.Storage/storageAccounts/queueServices/queues/read'],
        notActions: [],
        dataActions: ['Microsoft.Storage/storageAccounts/queueServices/queues/messages/read'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/storage.md (commit 1b4e136a1da731e1ed16444eb6ce5701bcd8c0f4)',
  },
  {
    name: '17d1049b-9a84-46fb-8f53-869881c3d3ab',
    roleName: 'Storage Account Contributor',
    description:
      'Lets you manage storage accounts, including accessing storage account keys which provide full access to storage account data.',
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.Insights/diagnosticSettings/*',
          'Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action',
          'Microsoft.ResourceHealth/availabilityStatuses/read',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Storage/storageAccounts/*',
          'Microsoft.Support/*',
        ],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/storage.md (commit 1b4e136a1da731e1ed16444eb6ce5701bcd8c0f4)',
  },
  {
    name: '9b7fa17d-e63e-47b0-bb0a-15c516ac86ec',
    roleName: 'SQL DB Contributor',
    description:
      "Lets you manage SQL databases, but not access to them. Also, you can't manage their security-related policies or their parent SQL servers.",
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.ResourceHealth/availabilityStatuses/read',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Sql/locations/*/read',
          'Microsoft.Sql/servers/databases/*',
          'Microsoft.Sql/servers/read',
          'Microsoft.Support/*',
          'Microsoft.Insights/metrics/read',
          'Microsoft.Insights/metricDefinitions/read',
        ],
        notActions: [
          'Microsoft.Sql/servers/databases/ledgerDigestUploads/write',
          'Microsoft.Sql/servers/databases/ledgerDigestUploads/disable/action',
          'Microsoft.Sql/managedInstances/databases/currentSensitivityLabels/*',
          'Microsoft.Sql/managedInstances/databases/recommendedSensitivityLabels/*',
          'Microsoft.Sql/managedInstances/databases/schemas/tables/columns/sensitivityLabels/*',
          'Microsoft.Sql/managedInstances/databases/securityAlertPolicies/*',
          'Microsoft.Sql/managedInstances/databases/sensitivityLabels/*',
          'Microsoft.Sql/managedInstances/databases/vulnerabilityAssessments/*',
          'Microsoft.Sql/managedInstances/securityAlertPolicies/*',
          'Microsoft.Sql/managedInstances/vulnerabilityAssessments/*',
          'Microsoft.Sql/servers/databases/auditingSettings/*',
          'Microsoft.Sql/servers/databases/auditRecords/read',
          'Microsoft.Sql/servers/databases/currentSensitivityLabels/*',
          'Microsoft.Sql/servers/databases/dataMaskingPolicies/*',
          'Microsoft.Sql/servers/databases/extendedAuditingSettings/*',
          'Microsoft.Sql/servers/databases/recommendedSensitivityLabels/*',
          'Microsoft.Sql/servers/databases/schemas/tables/columns/sensitivityLabels/*',
          'Microsoft.Sql/servers/databases/securityAlertPolicies/*',
          'Microsoft.Sql/servers/databases/securityMetrics/*',
          'Microsoft.Sql/servers/databases/sensitivityLabels/*',
          'Microsoft.Sql/servers/databases/vulnerabilityAssessments/*',
          'Microsoft.Sql/servers/databases/vulnerabilityAssessmentScans/*',
          'Microsoft.Sql/servers/databases/vulnerabilityAssessmentSettings/*',
          'Microsoft.Sql/servers/vulnerabilityAssessments/*',
        ],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/databases.md (commit 04d64497f0328d7b9643436e32ea28bb872b7b8f)',
  },
  {
    name: '6d8ee4ec-f05a-4a1d-8b00-a9b17e38b437',
    roleName: 'SQL Server Contributor',
    description: 'Lets you manage SQL servers and databases, but not access to them, and not their security -related policies.',
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.ResourceHealth/availabilityStatuses/read',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Sql/locations/*/read',
          'Microsoft.Sql/servers/*',
          'Microsoft.Support/*',
          'Microsoft.Insights/metrics/read',
          'Microsoft.Insights/metricDefinitions/read',
        ],
        notActions: [
          'Microsoft.Sql/managedInstances/databases/currentSensitivityLabels/*',
          'Microsoft.Sql/managedInstances/databases/recommendedSensitivityLabels/*',
          'Microsoft.Sql/managedInstances/databases/schemas/tables/columns/sensitivityLabels/*',
          'Microsoft.Sql/managedInstances/databases/securityAlertPolicies/*',
          'Microsoft.Sql/managedInstances/databases/sensitivityLabels/*',
          'Microsoft.Sql/managedInstances/databases/vulnerabilityAssessments/*',
          'Microsoft.Sql/managedInstances/securityAlertPolicies/*',
          'Microsoft.Sql/managedInstances/vulnerabilityAssessments/*',
          'Microsoft.Sql/servers/auditingSettings/*',
          'Microsoft.Sql/servers/databases/auditingSettings/*',
          'Microsoft.Sql/servers/databases/auditRecords/read',
          'Microsoft.Sql/servers/databases/currentSensitivityLabels/*',
          'Microsoft.Sql/servers/databases/dataMaskingPolicies/*',
          'Microsoft.Sql/servers/databases/extendedAuditingSettings/*',
          'Microsoft.Sql/servers/databases/recommendedSensitivityLabels/*',
          'Microsoft.Sql/servers/databases/schemas/tables/columns/sensitivityLabels/*',
          'Microsoft.Sql/servers/databases/securityAlertPolicies/*',
          'Microsoft.Sql/servers/databases/securityMetrics/*',
          'Microsoft.Sql/servers/databases/sensitivityLabels/*',
          'Microsoft.Sql/servers/databases/vulnerabilityAssessments/*',
          'Microsoft.Sql/servers/databases/vulnerabilityAssessmentScans/*',
          'Microsoft.Sql/servers/databases/vulnerabilityAssessmentSettings/*',
          'Microsoft.Sql/servers/devOpsAuditingSettings/*',
          'Microsoft.Sql/servers/extendedAuditingSettings/*',
          'Microsoft.Sql/servers/securityAlertPolicies/*',
          'Microsoft.Sql/servers/vulnerabilityAssessments/*',
          'Microsoft.Sql/servers/azureADOnlyAuthentications/delete',
          'Microsoft.Sql/servers/azureADOnlyAuthentications/write',
          'Microsoft.Sql/servers/externalPolicyBasedAuthorizations/delete',
          'Microsoft.Sql/servers/externalPolicyBasedAuthorizations/write',
        ],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/databases.md (commit 04d64497f0328d7b9643436e32ea28bb872b7b8f)',
  },
  {
    name: '516239f1-63e1-4d78-a4de-a74fb236a071',
    roleName: 'App Configuration Data Reader',
    description: 'Allows read access to App Configuration data.',
    permissions: [
      {
        actions: [],
        notActions: [],
        dataActions: ['Microsoft.AppConfiguration/configurationStores/*/read'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/integration.md (commit ebcc6966a7046d3791c4edb32d29bb9332c2e7d6)',
  },
  {
    name: '5ae67dd6-50cb-40e7-96ff-dc2bfa4b606b',
    roleName: 'App Configuration Data Owner',
    description: 'Allows full access to App Configuration data.',
    permissions: [
      {
        actions: [],
        notActions: [],
        dataActions: [
          'Microsoft.AppConfiguration/configurationStores/*/read',
          'Microsoft.AppConfiguration/configurationStores/*/write',
          'Microsoft.AppConfiguration/configurationStores/*/delete',
          'Microsoft.AppConfiguration/configurationStores/*/action',
        ],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/integration.md (commit ebcc6966a7046d3791c4edb32d29bb9332c2e7d6)',
  },
  {
    name: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
    roleName: 'Azure Service Bus Data Sender',
    description: 'Allows for send access to Azure Service Bus resources.',
    permissions: [
      {
        actions: [
          'Microsoft.ServiceBus/*/queues/read',
          'Microsoft.ServiceBus/*/topics/read',
          'Microsoft.ServiceBus/*/topics/subscriptions/read',
        ],
        notActions: [],
        dataActions: ['Microsoft.ServiceBus/*/send/action'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/integration.md (commit ebcc6966a7046d3791c4edb32d29bb9332c2e7d6)',
  },
  {
    name: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
    roleName: 'Azure Service Bus Data Receiver',
    description: 'Allows for receive access to Azure Service Bus resources.',
    permissions: [
      {
        actions: [
          'Microsoft.ServiceBus/*/queues/read',
          'Microsoft.ServiceBus/*/topics/read',
          'Microsoft.ServiceBus/*/topics/subscriptions/read',
        ],
        notActions: [],
        dataActions: ['Microsoft.ServiceBus/*/receive/action'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/integration.md (commit ebcc6966a7046d3791c4edb32d29bb9332c2e7d6)',
  },
  {
    name: '090c5cfd-751d-490a-894a-3ce6f1109419',
    roleName: 'Azure Service Bus Data Owner',
    description: 'Allows for full access to Azure Service Bus resources.',
    permissions: [
      {
        actions: ['Microsoft.ServiceBus/*'],
        notActions: [],
        dataActions: ['Microsoft.ServiceBus/*'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/integration.md (commit ebcc6966a7046d3791c4edb32d29bb9332c2e7d6)',
  },
  {
    name: '2b629674-e913-4c01-ae53-ef4638d8f975',
    roleName: 'Azure Event Hubs Data Sender',
    description: 'Allows send access to Azure Event Hubs resources.',
    permissions: [
      {
        actions: ['Microsoft.EventHub/*/eventhubs/read'],
        notActions: [],
        dataActions: ['Microsoft.EventHub/*/send/action'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/analytics.md (commit 704d044a0cd4f7668b0f3218347eee4e427c6fd9)',
  },
  {
    name: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
    roleName: 'Azure Event Hubs Data Receiver',
    description: 'Allows receive access to Azure Event Hubs resources.',
    permissions: [
      {
        actions: ['Microsoft.EventHub/*/eventhubs/consumergroups/read'],
        notActions: [],
        dataActions: ['Microsoft.EventHub/*/receive/action'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/analytics.md (commit 704d044a0cd4f7668b0f3218347eee4e427c6fd9)',
  },
  {
    name: 'f526a384-b230-433a-b45c-95f59c4a2dec',
    roleName: 'Azure Event Hubs Data Owner',
    description: 'Allows for full access to Azure Event Hubs resources.',
    permissions: [
      {
        actions: ['Microsoft.EventHub/*'],
        notActions: [],
        dataActions: ['Microsoft.EventHub/*'],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/analytics.md (commit 704d044a0cd4f7668b0f3218347eee4e427c6fd9)',
  },
  {
    name: 'de139f84-1756-47ae-9be6-808fbbe84772',
    roleName: 'Website Contributor',
    description: 'Lets you manage websites (not web plans), but not access to them.',
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.Insights/components/*',
          'Microsoft.ResourceHealth/availabilityStatuses/read',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Support/*',
          'Microsoft.Web/certificates/*',
          'Microsoft.Web/listSitesAssignedToHostName/read',
          'Microsoft.Web/serverFarms/join/action',
          'Microsoft.Web/serverFarms/read',
          'Microsoft.Web/sites/*',
        ],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/web-and-mobile.md (commit 085b64ed9ed1b0d9684886ae290e21b3aeaffdc0)',
  },
  {
    name: '9980e02c-c2be-4d73-94e8-173b1dc7cf3c',
    roleName: 'Virtual Machine Contributor',
    description:
      "Lets you manage virtual machines, but not access to them, and not the virtual network or storage account they're connected to.",
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Compute/availabilitySets/*',
          'Microsoft.Compute/locations/*',
          'Microsoft.Compute/virtualMachines/*',
          'Microsoft.Compute/virtualMachineScaleSets/*',
          'Microsoft.Compute/cloudServices/*',
          'Microsoft.Compute/disks/write',
          'Microsoft.Compute/disks/read',
          'Microsoft.Compute/disks/delete',
          'Microsoft.Compute/hostgroups/write',
          'Microsoft.Compute/hostgroups/hosts/write',
          'Microsoft.DevTestLab/schedules/*',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.Network/applicationGateways/backendAddressPools/join/action',
          'Microsoft.Network/loadBalancers/backendAddressPools/join/action',
          'Microsoft.Network/loadBalancers/inboundNatPools/join/action',
          'Microsoft.Network/loadBalancers/inboundNatRules/join/action',
          'Microsoft.Network/loadBalancers/probes/join/action',
          'Microsoft.Network/loadBalancers/read',
          'Microsoft.Network/locations/*',
          'Microsoft.Network/networkInterfaces/*',
          'Microsoft.Network/networkSecurityGroups/join/action',
          'Microsoft.Network/networkSecurityGroups/read',
          'Microsoft.Network/publicIPAddresses/join/action',
          'Microsoft.Network/publicIPAddresses/read',
          'Microsoft.Network/virtualNetworks/read',
          'Microsoft.Network/virtualNetworks/subnets/join/action',
          'Microsoft.RecoveryServices/locations/*',
          'Microsoft.RecoveryServices/Vaults/backupFabrics/backupProtectionIntent/write',
          'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/*/read',
          'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/read',
          'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/write',
          'Microsoft.RecoveryServices/Vaults/backupPolicies/read',
          'Microsoft.RecoveryServices/Vaults/backupPolicies/write',
          'Microsoft.RecoveryServices/Vaults/read',
          'Microsoft.RecoveryServices/Vaults/usages/read',
          'Microsoft.RecoveryServices/Vaults/write',
          'Microsoft.ResourceHealth/availabilityStatuses/read',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.SerialConsole/serialPorts/connect/action',
          'Microsoft.SqlVirtualMachine/*',
          'Microsoft.Storage/storageAccounts/listKeys/action',
          'Microsoft.Storage/storageAccounts/read',
          'Microsoft.Support/*',
        ],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/compute.md (commit 064f7ba29b923d4ec86a135614d256690fe0ac73)',
  },
  {
    name: 'f1a07417-d97a-45cb-824c-7a7467783830',
    roleName: 'Managed Identity Operator',
    description: 'Read and Assign User Assigned Identity',
    permissions: [
      {
        actions: [
          'Microsoft.ManagedIdentity/userAssignedIdentities/*/read',
          'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
          'Microsoft.Authorization/*/read',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Support/*',
        ],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/identity.md (commit 1b4e136a1da731e1ed16444eb6ce5701bcd8c0f4)',
  },
  {
    name: 'e40ec5ca-96e0-45a2-b4ff-59039f2c2b59',
    roleName: 'Managed Identity Contributor',
    description: 'Create, Read, Update, and Delete User Assigned Identity',
    permissions: [
      {
        actions: [
          'Microsoft.ManagedIdentity/userAssignedIdentities/read',
          'Microsoft.ManagedIdentity/userAssignedIdentities/write',
          'Microsoft.ManagedIdentity/userAssignedIdentities/delete',
          'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read',
          'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write',
          'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete',
          'Microsoft.ManagedIdentity/userAssignedIdentities/revokeTokens/action',
          'Microsoft.Authorization/*/read',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Support/*',
        ],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/identity.md (commit 1b4e136a1da731e1ed16444eb6ce5701bcd8c0f4)',
  },
  {
    name: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
    roleName: 'AcrPull',
    description: 'acr pull',
    permissions: [
      {
        actions: ['Microsoft.ContainerRegistry/registries/pull/read'],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
    source:
      'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/containers.md (commit 0088bfa77543e07f8a41771de8db977ddfc62e1d)',
  },
];
