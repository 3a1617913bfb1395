// `az storage account create|show|list|delete` (azure-cli storage module, management plane).
import { createOrUpdateResource } from '../../engine/operations/resources';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { CommandContext, CommandSpec, GroupSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import {
  deleteIfExists,
  findByName,
  getResource,
  isoTime,
  listResources,
  LOCATION,
  OPTIONAL_RESOURCE_GROUP,
  parseTags,
  RESOURCE_GROUP,
  requireConfirmation,
  TAGS,
  YES,
} from './common';
import { resourceOutput } from './azOutput';

export const STORAGE_GROUPS: GroupSpec[] = [
  { name: 'storage', summary: 'Manage Azure Cloud Storage resources.' },
  { name: 'storage account', summary: 'Manage storage accounts.' },
];

const ACCOUNT_NAME = { dest: 'account_name', names: ['--name', '-n'], required: true, help: 'The storage account name.' } as const;
const SKUS = [
  'Premium_LRS',
  'Premium_ZRS',
  'Standard_GRS',
  'Standard_GZRS',
  'Standard_LRS',
  'Standard_RAGRS',
  'Standard_RAGZRS',
  'Standard_ZRS',
];

/** A storage account by name, with or without its group. */
export function findAccount(ctx: CommandContext, name: string, group: string | undefined): ReadonlyResource {
  if (group) return getResource(ctx, 'storage', group, name);
  const account = findByName(ctx, 'storage', name);
  if (!account) throw new AzCliError(`The Resource 'Microsoft.Storage/storageAccounts/${name}' was not found within subscription.`);
  return getResource(ctx, 'storage', account.id.split('/')[4]!, account.name);
}

function accountOutput(ctx: CommandContext, account: ReadonlyResource): Record<string, unknown> {
  return {
    allowBlobPublicAccess: false,
    creationTime: isoTime(account.createdAt),
    enableHttpsTrafficOnly: true,
    identity: null,
    kind: 'StorageV2',
    ...resourceOutput(ctx.lab, account),
  };
}

export const STORAGE_COMMANDS: CommandSpec[] = [
  {
    name: 'storage account create',
    summary: 'Create a storage account.',
    mutates: true,
    options: [
      ACCOUNT_NAME,
      RESOURCE_GROUP,
      LOCATION,
      { dest: 'sku', names: ['--sku'], choices: SKUS, default: 'Standard_RAGRS', help: 'The storage account SKU.' },
      {
        dest: 'kind',
        names: ['--kind'],
        choices: ['BlobStorage', 'BlockBlobStorage', 'FileStorage', 'Storage', 'StorageV2'],
        default: 'StorageV2',
        help: 'Indicate the type of storage account.',
      },
      {
        dest: 'access_tier',
        names: ['--access-tier'],
        choices: ['Cool', 'Hot', 'Premium'],
        help: 'The access tier used for billing StandardBlob accounts.',
      },
      {
        dest: 'allow_shared_key_access',
        names: ['--allow-shared-key-access'],
        choices: ['false', 'true'],
        help: 'Indicate whether the storage account permits requests to be authorized with the account access key via Shared Key.',
      },
      {
        dest: 'min_tls_version',
        names: ['--min-tls-version'],
        choices: ['TLS1_0', 'TLS1_1', 'TLS1_2', 'TLS1_3'],
        help: 'The minimum TLS version to be permitted on requests to storage.',
      },
      TAGS,
    ],
    examples: [
      {
        name: "Create a storage account 'mystorageaccount' in resource group 'MyResourceGroup' in the West US region with locally redundant storage.",
        text: 'az storage account create -n mystorageaccount -g MyResourceGroup -l westus --sku Standard_LRS',
      },
    ],
    run: (ctx, args) => {
      const sku = args.str('sku') ?? 'Standard_RAGRS';
      const tags = parseTags(args.list('tags'));
      const location = args.str('location');
      const account = createOrUpdateResource(ctx.lab, ctx.caller, {
        subscriptionId: ctx.subscriptionId,
        resourceGroup: args.req('resource_group_name'),
        type: 'storage',
        kind: args.str('kind') ?? 'StorageV2',
        name: args.req('account_name'),
        ...(location ? { location } : {}),
        ...(tags ? { tags } : {}),
        properties: {
          sku: { name: sku, tier: sku.startsWith('Premium') ? 'Premium' : 'Standard' },
          accessTier: args.str('access_tier') ?? 'Hot',
          ...(args.str('allow_shared_key_access') ? { allowSharedKeyAccess: args.str('allow_shared_key_access') === 'true' } : {}),
          minimumTlsVersion: args.str('min_tls_version') ?? 'TLS1_2',
        },
      });
      return accountOutput(ctx, account);
    },
  },
  {
    name: 'storage account show',
    summary: 'Show storage account properties.',
    options: [ACCOUNT_NAME, OPTIONAL_RESOURCE_GROUP],
    run: (ctx, args) => accountOutput(ctx, findAccount(ctx, args.req('account_name'), args.str('resource_group_name'))),
  },
  {
    name: 'storage account list',
    summary: 'List storage accounts.',
    options: [OPTIONAL_RESOURCE_GROUP],
    run: (ctx, args) => listResources(ctx, 'storage', args.str('resource_group_name')).map(a => accountOutput(ctx, a)),
  },
  {
    name: 'storage account delete',
    summary: 'Delete a storage account.',
    mutates: true,
    options: [ACCOUNT_NAME, OPTIONAL_RESOURCE_GROUP, YES],
    run: (ctx, args) => {
      requireConfirmation(args.flag('yes'));
      const account = findAccount(ctx, args.req('account_name'), args.str('resource_group_name'));
      deleteIfExists(ctx, 'storage', account.id.split('/')[4]!, account.name);
      return undefined;
    },
  },
];
