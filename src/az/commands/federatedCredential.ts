// `az identity federated-credential create|update|show|list|delete` (azure-cli's identity module,
// Microsoft.ManagedIdentity 2023-01-31): the issuers and subjects whose tokens a user-assigned
// identity trusts (AKS workload identity, GitHub Actions…). The output shape is the ARM resource
// as az prints it, with its resourceGroup.
import type { ReadonlyFederatedCredential, ReadonlyResource } from '../../engine/state/labState';
import { deleteFederatedCredential, putFederatedCredential } from '../../engine/operations/federatedCredentials';
import type { CommandContext, CommandSpec, GroupSpec, OptionSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import { getResource, RESOURCE_GROUP, requireConfirmation, YES } from './common';

export const FEDERATED_CREDENTIAL_GROUPS: GroupSpec[] = [
  { name: 'identity federated-credential', summary: 'Manage federated credentials under user assigned identities.' },
];

const NAME: OptionSpec = {
  dest: 'federated_credential_name',
  names: ['--name', '-n'],
  required: true,
  help: 'The name of the federated identity credential resource.',
};
const IDENTITY: OptionSpec = {
  dest: 'identity_name',
  names: ['--identity-name'],
  required: true,
  help: 'The name of the identity resource.',
};
const ISSUER: OptionSpec = {
  dest: 'issuer',
  names: ['--issuer'],
  help: 'The openId connect metadata URL of the issuer of the identity provider that Azure AD would use in the token exchange protocol for validating tokens before issuing a token as the user-assigned managed identity.',
};
const SUBJECT: OptionSpec = {
  dest: 'subject',
  names: ['--subject'],
  freeText: true,
  help: 'The sub value in the token sent to Azure AD for getting the user-assigned managed identity token. The value configured in the federated credential and the one in the incoming token must exactly match for Azure AD to issue the access token.',
};
const AUDIENCES: OptionSpec = {
  dest: 'audiences',
  names: ['--audiences'],
  kind: 'list',
  default: 'api://AzureADTokenExchange',
  help: "The aud value in the token sent to Azure for getting the user-assigned managed identity token. The value configured in the federated credential and the one in the incoming token must exactly match for Azure to issue the access token. Default value is 'api://AzureADTokenExchange' if not specified.",
};

const TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials';

function output(identity: ReadonlyResource, credential: ReadonlyFederatedCredential): Record<string, unknown> {
  return {
    audiences: [...credential.audiences],
    id: `${identity.id}/federatedIdentityCredentials/${credential.name}`,
    issuer: credential.issuer,
    name: credential.name,
    resourceGroup: identity.id.split('/')[4],
    subject: credential.subject,
    systemData: null,
    type: TYPE,
  };
}

const identityOf = (ctx: CommandContext, args: { req(dest: string): string }) =>
  getResource(ctx, 'identity', args.req('resource_group_name'), args.req('identity_name'));

function find(identity: ReadonlyResource, name: string): ReadonlyFederatedCredential {
  const found = identity.federatedIdentityCredentials?.find(f => f.name.toLowerCase() === name.toLowerCase());
  // ARM's 404 for a missing child resource (text as the lab words it: unverified).
  if (!found) {
    throw new AzCliError(`(NotFound) Federated identity credential '${name}' could not be found under identity '${identity.name}'.`);
  }
  return found;
}

function put(ctx: CommandContext, args: Parameters<CommandSpec['run']>[1], updating: boolean) {
  const identity = identityOf(ctx, args);
  const existing = updating ? find(identity, args.req('federated_credential_name')) : undefined;
  const issuer = args.str('issuer') ?? existing?.issuer;
  const subject = args.str('subject') ?? existing?.subject;
  if (!issuer) throw new AzCliError('the following arguments are required: --issuer');
  if (!subject) throw new AzCliError('the following arguments are required: --subject');
  const audiences = args.list('audiences') ?? (existing ? [...existing.audiences] : ['api://AzureADTokenExchange']);
  const credential = putFederatedCredential(ctx.lab, ctx.caller, identity, {
    name: args.req('federated_credential_name'),
    issuer,
    subject,
    audiences,
  });
  return output(getResource(ctx, 'identity', args.req('resource_group_name'), args.req('identity_name')), credential);
}

export const FEDERATED_CREDENTIAL_COMMANDS: CommandSpec[] = [
  {
    name: 'identity federated-credential create',
    summary: 'Create a federated identity credential under an existing user assigned identity.',
    mutates: true,
    options: [NAME, IDENTITY, RESOURCE_GROUP, { ...ISSUER, required: true }, { ...SUBJECT, required: true }, AUDIENCES],
    examples: [
      {
        name: 'Create a federated identity credential under a specific user assigned identity.',
        text: 'az identity federated-credential create --name myFicName --identity-name myIdentityName --resource-group myResourceGroup --issuer myIssuer --subject mySubject --audiences myAudiences',
      },
    ],
    run: (ctx, args) => put(ctx, args, false),
  },
  {
    name: 'identity federated-credential update',
    summary: 'Update a federated identity credential under an existing user assigned identity.',
    mutates: true,
    options: [
      NAME,
      IDENTITY,
      RESOURCE_GROUP,
      ISSUER,
      SUBJECT,
      { dest: AUDIENCES.dest, names: AUDIENCES.names, kind: 'list', help: AUDIENCES.help },
    ],
    run: (ctx, args) => put(ctx, args, true),
  },
  {
    name: 'identity federated-credential show',
    summary: 'Show details of a federated identity credential under an existing user assigned identity.',
    options: [NAME, IDENTITY, RESOURCE_GROUP],
    run: (ctx, args) => {
      const identity = identityOf(ctx, args);
      return output(identity, find(identity, args.req('federated_credential_name')));
    },
  },
  {
    name: 'identity federated-credential list',
    summary: 'List all federated identity credentials under an existing user assigned identity.',
    options: [IDENTITY, RESOURCE_GROUP],
    run: (ctx, args) => {
      const identity = identityOf(ctx, args);
      return (identity.federatedIdentityCredentials ?? []).map(f => output(identity, f));
    },
  },
  {
    name: 'identity federated-credential delete',
    summary: 'Delete a federated identity credential under an existing user assigned identity.',
    mutates: true,
    options: [NAME, IDENTITY, RESOURCE_GROUP, YES],
    run: (ctx, args) => {
      requireConfirmation(args.flag('yes'));
      deleteFederatedCredential(ctx.lab, ctx.caller, identityOf(ctx, args), args.req('federated_credential_name'));
      return undefined;
    },
  },
];
