// `az keyvault create|show|list|delete|update|set-policy` (azure-cli keyvault module, management
// plane). Today's az turns on RBAC authorization for new vaults by default, as the engine does.
import { createOrUpdateResource } from '../../engine/operations/resources';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { CommandContext, CommandSpec, GroupSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import {
  deleteIfExists,
  findByName,
  getResource,
  listResources,
  LOCATION,
  OPTIONAL_RESOURCE_GROUP,
  parseTags,
  RESOURCE_GROUP,
  TAGS,
} from './common';
import { resourceOutput } from './azOutput';
import { SECRET_PERMISSIONS, setKeyVaultAccessPolicy, setKeyVaultRbacAuthorization } from '../../engine/operations/keyVaultPolicies';
import { resolvePrincipal } from '../../engine/lab/resolvePrincipal';

export const KEYVAULT_GROUPS: GroupSpec[] = [{ name: 'keyvault', summary: 'Manage KeyVault keys, secrets, and certificates.' }];

const VAULT_NAME = { dest: 'vault_name', names: ['--name', '-n'], required: true, help: 'Name of the Vault.' } as const;

/** A vault by name, with or without its group (keyvault/_validators.py: "The Vault '{}' not found within subscription."). */
export function findVault(ctx: CommandContext, name: string, group: string | undefined): ReadonlyResource {
  if (group) return getResource(ctx, 'keyvault', group, name);
  const vault = findByName(ctx, 'keyvault', name);
  if (!vault) throw new AzCliError(`The Vault '${name}' not found within subscription.`);
  return getResource(ctx, 'keyvault', vault.id.split('/')[4]!, vault.name);
}

export const KEYVAULT_COMMANDS: CommandSpec[] = [
  {
    name: 'keyvault create',
    summary: 'Create a Vault or HSM.',
    longSummary:
      'If `--enable-rbac-authorization` is not specified, then default permissions are created for the current user or service principal unless the `--no-self-perms` flag is specified.',
    mutates: true,
    options: [
      VAULT_NAME,
      RESOURCE_GROUP,
      LOCATION,
      { dest: 'sku', names: ['--sku'], choices: ['premium', 'standard'], default: 'standard', help: 'Required. SKU details.' },
      {
        dest: 'enable_rbac_authorization',
        names: ['--enable-rbac-authorization'],
        choices: ['false', 'true'],
        help: 'Property to specify whether Azure Key Vault will use Role-Based Access Control (RBAC) for authorization of data actions instead of access policies. Default value is true.',
      },
      {
        dest: 'retention_days',
        names: ['--retention-days'],
        default: '90',
        help: 'Soft delete data retention days. It accepts >=7 and <=90.',
      },
      {
        dest: 'enable_purge_protection',
        names: ['--enable-purge-protection'],
        choices: ['false', 'true'],
        help: 'Property specifying whether protection against purge is enabled for this vault/managed HSM pool.',
      },
      TAGS,
    ],
    examples: [
      {
        name: 'Create a key vault with network ACLs specified.',
        text: 'az keyvault create --location westus2 --name MyKeyVault --resource-group MyResourceGroup',
      },
    ],
    run: (ctx, args) => {
      const days = Number(args.str('retention_days') ?? '90');
      if (!Number.isInteger(days) || days < 7 || days > 90) throw new AzCliError('--retention-days should be an integer in [7, 90].');
      const tags = parseTags(args.list('tags'));
      const location = args.str('location');
      const purge = args.str('enable_purge_protection');
      const vault = createOrUpdateResource(ctx.lab, ctx.caller, {
        subscriptionId: ctx.subscriptionId,
        resourceGroup: args.req('resource_group_name'),
        type: 'keyvault',
        name: args.req('vault_name'),
        ...(location ? { location } : {}),
        ...(tags ? { tags } : {}),
        properties: {
          sku: { family: 'A', name: args.str('sku') ?? 'standard' },
          enableRbacAuthorization: args.str('enable_rbac_authorization') !== 'false',
          softDeleteRetentionInDays: days,
          ...(purge ? { enablePurgeProtection: purge === 'true' } : {}),
        },
      });
      return resourceOutput(ctx.lab, vault);
    },
  },
  {
    name: 'keyvault show',
    summary: 'Show details of a Vault or HSM.',
    options: [VAULT_NAME, OPTIONAL_RESOURCE_GROUP],
    run: (ctx, args) => resourceOutput(ctx.lab, findVault(ctx, args.req('vault_name'), args.str('resource_group_name'))),
  },
  {
    name: 'keyvault list',
    summary: 'List Vaults and/or HSMs.',
    options: [OPTIONAL_RESOURCE_GROUP],
    run: (ctx, args) => listResources(ctx, 'keyvault', args.str('resource_group_name')).map(v => resourceOutput(ctx.lab, v)),
  },
  {
    name: 'keyvault delete',
    summary: 'Delete a Vault or HSM.',
    mutates: true,
    options: [VAULT_NAME, OPTIONAL_RESOURCE_GROUP],
    run: (ctx, args) => {
      const vault = findVault(ctx, args.req('vault_name'), args.str('resource_group_name'));
      deleteIfExists(ctx, 'keyvault', vault.id.split('/')[4]!, vault.name);
      return undefined;
    },
  },
  {
    name: 'keyvault update',
    summary: 'Update the properties of a Vault.',
    mutates: true,
    options: [
      VAULT_NAME,
      OPTIONAL_RESOURCE_GROUP,
      {
        dest: 'enable_rbac_authorization',
        names: ['--enable-rbac-authorization'],
        choices: ['false', 'true'],
        help: 'Property to specify whether Azure Key Vault will use Role-Based Access Control (RBAC) for authorization of data actions instead of access policies.',
      },
    ],
    examples: [
      {
        name: 'Switch a vault to the Azure RBAC permission model.',
        text: 'az keyvault update --name MyKeyVault --resource-group MyResourceGroup --enable-rbac-authorization true',
      },
    ],
    run: (ctx, args) => {
      const vault = findVault(ctx, args.req('vault_name'), args.str('resource_group_name'));
      const rbac = args.str('enable_rbac_authorization');
      const updated = rbac === undefined ? vault : setKeyVaultRbacAuthorization(ctx.lab, ctx.caller, vault.id, rbac === 'true');
      return resourceOutput(ctx.lab, updated);
    },
  },
  {
    name: 'keyvault set-policy',
    summary: 'Update security policy settings for a Key Vault.',
    mutates: true,
    options: [
      VAULT_NAME,
      OPTIONAL_RESOURCE_GROUP,
      {
        dest: 'object_id',
        names: ['--object-id'],
        help: 'A GUID that identifies the principal that will receive permissions.',
        group: 'Security Principal Arguments',
      },
      {
        dest: 'spn',
        names: ['--spn'],
        help: 'Name of a service principal that will receive permissions.',
        group: 'Security Principal Arguments',
      },
      {
        dest: 'upn',
        names: ['--upn'],
        help: 'Name of a user principal that will receive permissions.',
        group: 'Security Principal Arguments',
      },
      {
        dest: 'secret_permissions',
        names: ['--secret-permissions'],
        kind: 'list',
        choices: SECRET_PERMISSIONS,
        help: 'Space-separated list of secret permissions to assign.',
        group: 'Permission Arguments',
      },
    ],
    examples: [
      {
        name: 'Assign secret permissions to a service principal.',
        text: 'az keyvault set-policy -n MyVault --object-id 00000000-0000-0000-0000-000000000000 --secret-permissions get list',
      },
    ],
    run: (ctx, args) => {
      const vault = findVault(ctx, args.req('vault_name'), args.str('resource_group_name'));
      const given = [args.str('object_id'), args.str('spn'), args.str('upn')].filter((v): v is string => v !== undefined);
      if (given.length !== 1) throw new AzCliError('specify exactly one: --object-id, --spn or --upn');
      // keyvault/custom.py set_policy refuses a vault in the RBAC permission model.
      if (vault.properties['enableRbacAuthorization'] !== false) {
        throw new AzCliError("Cannot set policies to a vault with '--enable-rbac-authorization' specified");
      }
      let objectId = args.str('object_id');
      if (objectId === undefined) {
        const found = resolvePrincipal(ctx.lab, given[0]!);
        if (found.kind !== 'found') throw new AzCliError(`Unable to find user or service principal with name '${given[0]}'.`);
        objectId = found.principal.objectId;
      }
      const permissions = args.list('secret_permissions') ?? [];
      return resourceOutput(ctx.lab, setKeyVaultAccessPolicy(ctx.lab, ctx.caller, vault.id, objectId, permissions));
    },
  },
];
