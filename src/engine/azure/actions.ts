// The operations the lab's services check, with their plane. Azure keeps management
// ("control plane") actions and data actions apart: a role's `actions` never grant a data
// action, which is why Reader or Contributor cannot read a secret. Names from Azure's
// resource provider operations list (learn.microsoft.com/azure/role-based-access-control/resource-provider-operations).
import type { Plane } from './permissions';

export interface KnownOperation {
  action: string;
  plane: Plane;
  description: string;
}

const data = (action: string, description: string): KnownOperation => ({ action, plane: 'data', description });
const control = (action: string, description: string): KnownOperation => ({ action, plane: 'control', description });

export const KNOWN_OPERATIONS: readonly KnownOperation[] = [
  // Key Vault data plane
  data('Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Get a secret’s value'),
  data('Microsoft.KeyVault/vaults/secrets/readMetadata/action', 'List or view a secret’s properties, not its value'),
  data('Microsoft.KeyVault/vaults/secrets/setSecret/action', 'Create or update a secret value'),
  data('Microsoft.KeyVault/vaults/secrets/delete', 'Delete a secret'),
  data('Microsoft.KeyVault/vaults/secrets/update/action', 'Update a secret’s properties'),
  data('Microsoft.KeyVault/vaults/secrets/backup/action', 'Back up a secret'),
  data('Microsoft.KeyVault/vaults/secrets/restore/action', 'Restore a secret'),
  data('Microsoft.KeyVault/vaults/secrets/recover/action', 'Recover a deleted secret'),
  data('Microsoft.KeyVault/vaults/secrets/purge/action', 'Purge a deleted secret'),
  data('Microsoft.KeyVault/vaults/keys/read', 'List keys or read a key’s properties'),
  data('Microsoft.KeyVault/vaults/keys/encrypt/action', 'Encrypt with a key'),
  data('Microsoft.KeyVault/vaults/keys/decrypt/action', 'Decrypt with a key'),
  data('Microsoft.KeyVault/vaults/keys/sign/action', 'Sign with a key'),
  data('Microsoft.KeyVault/vaults/certificates/read', 'List certificates or read one'),
  // Storage data plane
  data('Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read', 'Read a blob or list blobs'),
  data('Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write', 'Write a blob'),
  data('Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete', 'Delete a blob'),
  data('Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action', 'Append to a blob'),
  data('Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action', 'Move a blob'),
  data('Microsoft.Storage/storageAccounts/queueServices/queues/messages/read', 'Peek or receive queue messages'),
  data('Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action', 'Add a queue message'),
  // Messaging and configuration
  data('Microsoft.ServiceBus/namespaces/messages/send/action', 'Send Service Bus messages'),
  data('Microsoft.ServiceBus/namespaces/messages/receive/action', 'Receive Service Bus messages'),
  data('Microsoft.EventHub/namespaces/messages/send/action', 'Send events'),
  data('Microsoft.EventHub/namespaces/messages/receive/action', 'Receive events'),
  data('Microsoft.AppConfiguration/configurationStores/keyValues/read', 'Read key-values'),
  data('Microsoft.AppConfiguration/configurationStores/keyValues/write', 'Write key-values'),
  // Management plane the lab checks
  control('Microsoft.Storage/storageAccounts/blobServices/containers/read', 'List or read blob containers'),
  control('Microsoft.Storage/storageAccounts/blobServices/containers/write', 'Create a blob container'),
  control('Microsoft.Storage/storageAccounts/blobServices/containers/delete', 'Delete a blob container'),
  control('Microsoft.Authorization/roleAssignments/write', 'Create a role assignment'),
  control('Microsoft.Authorization/roleAssignments/delete', 'Delete a role assignment'),
  control('Microsoft.Authorization/roleAssignments/read', 'Read role assignments'),
  control('Microsoft.ManagedIdentity/userAssignedIdentities/assign/action', 'Assign a user-assigned identity to a resource'),
  control('Microsoft.ManagedIdentity/userAssignedIdentities/write', 'Create or update a user-assigned identity'),
  control('Microsoft.ManagedIdentity/userAssignedIdentities/read', 'Read a user-assigned identity'),
  control('Microsoft.ManagedIdentity/userAssignedIdentities/delete', 'Delete a user-assigned identity'),
  control('Microsoft.Compute/virtualMachines/write', 'Create or update a virtual machine'),
  control('Microsoft.Compute/virtualMachines/read', 'Read a virtual machine'),
  control('Microsoft.KeyVault/vaults/read', 'Read a key vault'),
  control('Microsoft.KeyVault/vaults/write', 'Create or update a key vault'),
  control('Microsoft.Resources/subscriptions/resourceGroups/write', 'Create or update a resource group'),
  control('Microsoft.Resources/subscriptions/resourceGroups/read', 'Read a resource group'),
];

const byAction = new Map(KNOWN_OPERATIONS.map(op => [op.action.toLowerCase(), op]));

export const knownOperation = (action: string): KnownOperation | undefined => byAction.get(action.toLowerCase());

/** The plane an action belongs to: known data actions are data, everything else management. */
export const planeOf = (action: string): Plane => knownOperation(action)?.plane ?? 'control';
