// `az keyvault secret set|show|list`: Key Vault's data plane through the engine's Key Vault
// service, authorized as the signed-in learner — Azure RBAC's data actions apply to the learner
// too (being Owner of the subscription does not let you read a secret).
import { learnerCaller } from '../../engine/services/dataCaller';
import {
  findVaultByName,
  getSecret,
  listSecrets,
  setSecret,
  type SecretAttributes,
  type SecretBundle,
  type SecretItem,
} from '../../engine/services/keyVault';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { Args, CommandContext, CommandSpec, GroupSpec, OptionSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import { isoTime, parseTags, TAGS } from './common';
import { attempt } from './serviceErrors';

export const SECRET_GROUPS: GroupSpec[] = [{ name: 'keyvault secret', summary: 'Manage secrets.' }];

const secondsIso = (seconds: number): string => isoTime(seconds * 1000).replace(/\.\d+\+/, '+');

function attributesOutput(a: SecretAttributes): Record<string, unknown> {
  return {
    created: secondsIso(a.created),
    enabled: a.enabled,
    expires: null,
    notBefore: null,
    recoverableDays: a.recoverableDays,
    recoveryLevel: a.recoveryLevel,
    updated: secondsIso(a.updated),
  };
}

function secretOutput(bundle: SecretBundle): Record<string, unknown> {
  const name = bundle.id.split('/secrets/')[1]!.split('/')[0];
  return {
    attributes: attributesOutput(bundle.attributes),
    contentType: bundle.contentType ?? null,
    id: bundle.id,
    kid: null,
    managed: null,
    name,
    tags: { ...bundle.tags },
    value: bundle.value,
  };
}

function secretItemOutput(item: SecretItem): Record<string, unknown> {
  const name = item.id.split('/secrets/')[1]!.split('/')[0];
  return {
    attributes: attributesOutput(item.attributes),
    contentType: item.contentType ?? null,
    id: item.id,
    managed: null,
    name,
    tags: { ...item.tags },
  };
}

/** The vault a data-plane command talks to: by `--vault-name`, or the host part of `--id`. */
function vaultFor(ctx: CommandContext, args: Args): { vault: ReadonlyResource; name?: string; version?: string } {
  const id = args.str('id');
  let vaultName = args.str('vault_name');
  let name = args.str('name');
  let version = args.str('version');
  if (id) {
    const match = /^https:\/\/([^.]+)\.vault\.azure\.net\/secrets\/([^/]+)(?:\/([^/]+))?\/?$/i.exec(id);
    if (!match) throw new AzCliError(`Invalid secret id '${id}': expected https://{vault}.vault.azure.net/secrets/{name}[/{version}].`);
    [, vaultName, name, version] = match;
  }
  if (!vaultName) throw new AzCliError('usage error: --id ID | --vault-name VAULT --name NAME [--version VERSION]');
  const vault = findVaultByName(ctx.lab, vaultName);
  if (!vault) {
    throw new AzCliError(`Failed to resolve '${vaultName}.vault.azure.net' ([Errno -2] Name or service not known)`, [
      `Lab: there is no key vault named '${vaultName}' in the lab ('az keyvault list' shows the vaults).`,
    ]);
  }
  return { vault, ...(name ? { name } : {}), ...(version ? { version } : {}) };
}

const VAULT_NAME: OptionSpec = {
  dest: 'vault_name',
  names: ['--vault-name'],
  help: 'Name of the Key Vault. Required if --id is not specified.',
};
const SECRET_NAME: OptionSpec = { dest: 'name', names: ['--name', '-n'], help: 'Name of the secret. Required if --id is not specified.' };
const SECRET_ID: OptionSpec = {
  dest: 'id',
  names: ['--id'],
  group: 'Id Arguments',
  help: "Id of the secret. If specified all other 'Id' arguments should be omitted.",
};

export const SECRET_COMMANDS: CommandSpec[] = [
  {
    name: 'keyvault secret set',
    summary: "Create a secret (if one doesn't exist) or update a secret in a KeyVault.",
    mutates: true,
    options: [
      { ...SECRET_NAME, required: true },
      { ...VAULT_NAME, required: true },
      { dest: 'value', names: ['--value'], freeText: true, help: "Plain text secret value. Cannot be used with '--file' or '--encoding'." },
      { dest: 'content_type', names: ['--content-type'], freeText: true, help: 'Type of the secret value such as a password.' },
      { dest: 'disabled', names: ['--disabled'], choices: ['false', 'true'], help: 'Create secret in disabled state.' },
      TAGS,
    ],
    examples: [
      {
        name: "Create a secret (if one doesn't exist) or update a secret in a KeyVault.",
        text: 'az keyvault secret set --name MySecretName --vault-name MyKeyVault --value MyVault',
      },
    ],
    run: (ctx, args) => {
      const { vault } = vaultFor(ctx, args);
      const name = args.req('name');
      const value = args.str('value');
      if (value === undefined) throw new AzCliError('usage error: --value VALUE | --file PATH');
      const tags = parseTags(args.list('tags'));
      const contentType = args.str('content_type');
      const { result } = attempt(() =>
        setSecret(ctx.lab, learnerCaller(ctx.lab), vault.id, name, value, {
          ...(contentType ? { contentType } : {}),
          ...(tags ? { tags } : {}),
        }),
      );
      return secretOutput(result);
    },
  },
  {
    name: 'keyvault secret show',
    summary: 'Get a specified secret from a given key vault.',
    options: [
      SECRET_NAME,
      VAULT_NAME,
      { dest: 'version', names: ['--version', '-v'], help: 'The secret version. If omitted, uses the latest version.' },
      SECRET_ID,
    ],
    run: (ctx, args) => {
      const { vault, name, version } = vaultFor(ctx, args);
      if (!name) throw new AzCliError('the following arguments are required: --name/-n');
      return secretOutput(attempt(() => getSecret(ctx.lab, learnerCaller(ctx.lab), vault.id, name, version)).result);
    },
  },
  {
    name: 'keyvault secret list',
    summary: 'List secrets in a specified key vault.',
    options: [
      VAULT_NAME,
      {
        dest: 'maxresults',
        names: ['--maxresults'],
        help: 'Maximum number of results to return in a page. If not specified, the service will return up to 25 results.',
      },
      { dest: 'include_managed', names: ['--include-managed'], choices: ['false', 'true'], help: 'Include managed secrets.' },
    ],
    run: (ctx, args) => {
      const { vault } = vaultFor(ctx, args);
      const items = attempt(() => listSecrets(ctx.lab, learnerCaller(ctx.lab), vault.id)).result;
      const max = args.str('maxresults') ? Number(args.str('maxresults')) : undefined;
      return items.slice(0, max).map(secretItemOutput);
    },
  },
];
