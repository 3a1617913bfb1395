// `az account …` and `az ad …`: the signed-in learner's view of the tenant (azure-cli profile
// and role modules). The learner is always signed in; `az login` is not simulated.
import type { Lab } from '../../engine/lab/lab';
import { accessTokenClaims, type AccessTokenClaims } from '../../engine/azure/accessTokens';
import { findResourceApp, scopeToResource } from '../../engine/azure/resourceApps';
import { epochSeconds } from '../../engine/base/clock';
import { isGuid } from '../../engine/base/ids';
import { resourcePrincipalNotFound } from '../../engine/services/entra/messages';
import type { CommandContext, CommandSpec, GroupSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';

/** The Azure CLI's first-party client id: user tokens az gets carry it as `appid`. */
export const AZURE_CLI_APP_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

export const ACCOUNT_GROUPS: GroupSpec[] = [
  { name: 'account', summary: 'Manage Azure subscription information.' },
  {
    name: 'ad',
    summary:
      'Manage Microsoft Entra ID (formerly known as Azure Active Directory, Azure AD, AAD) entities needed for Azure role-based access control (Azure RBAC) through Microsoft Graph API.',
  },
  { name: 'ad sp', summary: 'Manage Microsoft Entra service principals.' },
  { name: 'ad user', summary: 'Manage Microsoft Entra users.' },
  { name: 'ad signed-in-user', summary: 'Show graph information about current signed-in user in CLI.' },
];

function subscriptionOutput(lab: Lab, subscriptionId: string): Record<string, unknown> {
  const sub = lab.arm.subscription(subscriptionId)!;
  return {
    environmentName: 'AzureCloud',
    homeTenantId: lab.tenantId,
    id: sub.subscriptionId,
    isDefault: sub.subscriptionId === lab.defaultSubscriptionId,
    managedByTenants: [],
    name: sub.displayName,
    state: 'Enabled',
    tenantDefaultDomain: lab.directory.tenant.defaultDomain,
    tenantDisplayName: lab.directory.tenant.displayName,
    tenantId: lab.tenantId,
    user: { name: lab.directory.user.userPrincipalName, type: 'user' },
  };
}

/** The `--subscription` value az accepts: an id or a display name. */
export function resolveSubscriptionArgument(lab: Lab, value: string): string {
  const match = lab.arm.subscriptions.find(s => s.subscriptionId.toLowerCase() === value.toLowerCase() || s.displayName === value);
  // azure-cli core/_profile.py get_subscription.
  if (!match) throw new AzCliError(`Subscription '${value}' not found. Check the spelling and casing and try again.`);
  return match.subscriptionId;
}

/** The cloud endpoints `--resource-type` names (azure-cli profile/custom.py cloud_resource_type_mappings). */
const RESOURCE_TYPES: Record<string, string> = {
  'aad-graph': 'https://graph.windows.net/',
  arm: 'https://management.core.windows.net/',
  batch: 'https://batch.core.windows.net/',
  'data-lake': 'https://datalake.azure.net/',
  media: 'https://rest.media.azure.net',
  'ms-graph': 'https://graph.microsoft.com/',
  'oss-rdbms': 'https://ossrdbms-aad.database.windows.net',
};

/** Python's datetime.fromtimestamp(t).strftime('%Y-%m-%d %H:%M:%S.%f'), in the machine's time zone. */
function localTimestamp(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.000000`;
}

async function learnerToken(ctx: CommandContext, resource: string): Promise<Record<string, unknown>> {
  const { lab } = ctx;
  const app = findResourceApp(resource);
  if (!app) {
    throw new AzCliError(`AADSTS500011: ${resourcePrincipalNotFound(resource, lab.directory.tenant.displayName)}`, [
      'Interactive authentication is needed. Please run:',
      `az login --scope ${resource.replace(/\/+$/, '')}/.default`,
    ]);
  }
  const user = lab.directory.user;
  const now = epochSeconds(lab.clock);
  // A delegated (user) token from the Azure CLI client: v1 claims for a person, not an app.
  const base = accessTokenClaims(
    { tenantId: lab.tenantId, objectId: user.objectId, appId: AZURE_CLI_APP_ID, appIdAcr: '0' },
    resource,
    now,
    75 * 60,
  );
  const claims = {
    ...base,
    idtyp: 'user',
    amr: ['pwd'],
    name: user.displayName,
    scp: 'user_impersonation',
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
  } as unknown as AccessTokenClaims;
  const token = await lab.tokenSigner.sign(claims);
  return {
    accessToken: token.accessToken,
    expiresOn: localTimestamp(claims.exp),
    expires_on: claims.exp,
    subscription: ctx.subscriptionId,
    tenant: lab.tenantId,
    tokenType: 'Bearer',
  };
}

export function servicePrincipalOutput(lab: Lab, objectId: string): Record<string, unknown> {
  const sp = lab.directory.byObject(objectId)!;
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity',
    accountEnabled: true,
    addIns: [],
    alternativeNames: [...sp.alternativeNames],
    appDisplayName: null,
    appId: sp.appId,
    appOwnerOrganizationId: null,
    appRoleAssignmentRequired: false,
    appRoles: [],
    createdDateTime: null,
    deletedDateTime: null,
    description: null,
    displayName: sp.displayName,
    homepage: null,
    id: sp.objectId,
    keyCredentials: [],
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    oauth2PermissionScopes: [],
    passwordCredentials: [],
    replyUrls: [],
    // A managed identity's second name (https://identity.azure.net/…) is not modelled.
    servicePrincipalNames: [sp.appId],
    servicePrincipalType: sp.servicePrincipalType,
    signInAudience: null,
    tags: [],
  };
}

function userOutput(lab: Lab): Record<string, unknown> {
  const user = lab.directory.user;
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
    businessPhones: [],
    displayName: user.displayName,
    givenName: null,
    id: user.objectId,
    jobTitle: null,
    mail: null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: null,
    userPrincipalName: user.userPrincipalName,
  };
}

export const ACCOUNT_COMMANDS: CommandSpec[] = [
  {
    name: 'account show',
    summary: 'Get the details of a subscription.',
    options: [{ dest: 'subscription', names: ['--name', '-n', '--subscription', '-s'], help: 'Name or ID of subscription.' }],
    noSubscription: true,
    run: (ctx, args) =>
      subscriptionOutput(
        ctx.lab,
        args.str('subscription') ? resolveSubscriptionArgument(ctx.lab, args.req('subscription')) : ctx.subscriptionId,
      ),
  },
  {
    name: 'account list',
    summary: 'Get a list of subscriptions for the logged in account.',
    options: [
      { dest: 'all', names: ['--all'], kind: 'flag', help: "List all subscriptions from all clouds, rather than just 'Enabled' ones." },
      { dest: 'refresh', names: ['--refresh'], kind: 'flag', help: 'Retrieve up-to-date subscriptions from server.' },
    ],
    noSubscription: true,
    run: ctx => ctx.lab.arm.subscriptions.map(s => subscriptionOutput(ctx.lab, s.subscriptionId)),
  },
  {
    name: 'account set',
    summary: 'Set a subscription to be the current active subscription.',
    options: [
      { dest: 'subscription', names: ['--name', '-n', '--subscription', '-s'], required: true, help: 'Name or ID of subscription.' },
    ],
    noSubscription: true,
    run: (ctx, args) => {
      resolveSubscriptionArgument(ctx.lab, args.req('subscription'));
      return undefined;
    },
  },
  {
    name: 'account get-access-token',
    summary: 'Get a token for utilities to access Azure.',
    longSummary:
      "The token will be valid for at least 5 minutes with the maximum at 60 minutes. If the subscription argument isn't specified, the current account is used.",
    options: [
      { dest: 'resource', names: ['--resource'], help: 'Azure resource endpoints in Microsoft Entra ID v1.0.' },
      { dest: 'resource_type', names: ['--resource-type'], choices: Object.keys(RESOURCE_TYPES), help: 'Type of well-known resource.' },
      {
        dest: 'scopes',
        names: ['--scope'],
        kind: 'list',
        help: 'Space-separated scopes in Microsoft Entra ID v2.0. Default to Azure Resource Manager.',
      },
      {
        dest: 'tenant',
        names: ['--tenant', '-t'],
        help: 'Tenant ID for which the token is acquired. Only available for user and service principal account, not for MSI or Cloud Shell account.',
      },
    ],
    examples: [
      { name: 'Get an access token for the current account', text: 'az account get-access-token' },
      { name: 'Get an access token for Key Vault', text: 'az account get-access-token --resource https://vault.azure.net' },
    ],
    run: async (ctx, args) => {
      const scopes = args.list('scopes');
      if (args.str('resource') && scopes) throw new AzCliError("resource and scopes can't be provided at the same time.");
      const tenant = args.str('tenant');
      if (
        tenant &&
        tenant.toLowerCase() !== ctx.lab.tenantId.toLowerCase() &&
        tenant.toLowerCase() !== ctx.lab.directory.tenant.defaultDomain.toLowerCase()
      ) {
        throw new AzCliError(`The lab's learner is signed in to tenant ${ctx.lab.tenantId} only; '${tenant}' is not a tenant of this lab.`);
      }
      const resource =
        args.str('resource') ??
        (args.str('resource_type')
          ? RESOURCE_TYPES[args.req('resource_type')]!
          : scopes
            ? scopeToResource(scopes[0]!)
            : RESOURCE_TYPES['arm']!);
      return learnerToken(ctx, resource);
    },
  },
  {
    name: 'ad sp show',
    summary: 'Get the details of a service principal.',
    noSubscription: true,
    options: [{ dest: 'id', names: ['--id'], required: true, help: 'Service principal name, or object id.' }],
    run: (ctx, args) => {
      const id = args.req('id');
      // role/custom.py _resolve_service_principal: a servicePrincipalName (the appId) first, then an object id.
      const byName = ctx.lab.directory.byClientId(isGuid(id) ? id : '00000000-0000-0000-0000-000000000000');
      if (byName) return servicePrincipalOutput(ctx.lab, byName.objectId);
      if (!isGuid(id)) throw new AzCliError(`Service principal '${id}' doesn't exist`);
      if (!ctx.lab.directory.byObject(id)) {
        throw new AzCliError(`Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
      }
      return servicePrincipalOutput(ctx.lab, id);
    },
  },
  {
    name: 'ad signed-in-user show',
    summary: 'Get the details for the currently logged-in user.',
    noSubscription: true,
    options: [],
    run: ctx => userOutput(ctx.lab),
  },
  {
    name: 'ad user show',
    summary: 'Get the details of a user.',
    noSubscription: true,
    options: [{ dest: 'id', names: ['--id'], required: true, help: "User's object id or principal name." }],
    run: (ctx, args) => {
      const id = args.req('id').toLowerCase();
      const user = ctx.lab.directory.user;
      if (id !== user.objectId.toLowerCase() && id !== user.userPrincipalName.toLowerCase()) {
        throw new AzCliError(
          `Resource '${args.req('id')}' does not exist or one of its queried reference-property objects are not present.`,
        );
      }
      return userOutput(ctx.lab);
    },
  },
];
