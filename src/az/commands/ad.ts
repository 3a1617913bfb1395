// `az ad app create`, `az ad app show`, `az ad app credential reset`, `az ad sp create` and
// `az ad sp create-for-rbac`: app registrations and their service principals, so a
// client-credentials app (or `az login --service-principal`) can be set up in the lab.
// Behaviour and output from azure-cli 2.45 role/custom.py (create_application,
// _create_service_principal, create_service_principal_for_rbac, _reset_credential), which
// returns Microsoft Graph's objects; the warnings are its own.
import type { Lab } from '../../engine/lab/lab';
import type { ReadonlyApplication } from '../../engine/state/labState';
import { isGuid } from '../../engine/base/ids';
import { LabError } from '../../engine/base/errors';
import {
  addPassword,
  applicationsNamed,
  createServicePrincipal,
  registerApplication,
  removePasswords,
} from '../../engine/operations/applications';
import { createRoleAssignment } from '../../engine/operations/roleAssignments';
import type { CommandContext, CommandSpec, GroupSpec, OptionSpec } from '../cli/spec';
import { AzCliError, AzUsageError } from '../cli/errors';
import { checkScopeSyntax, resolveRoleArgument } from './common';
import { servicePrincipalOutput } from './account';

export const AD_GROUPS: GroupSpec[] = [
  { name: 'ad app', summary: 'Manage Microsoft Entra applications.' },
  { name: 'ad app credential', summary: "Manage an application's password or certificate credentials." },
];

/** azure-cli role/custom.py CREDENTIAL_WARNING. */
const CREDENTIAL_WARNING =
  'The output includes credentials that you must protect. Be sure that you do not include these credentials in ' +
  'your code or check the credentials into your source control. For more information, see https://aka.ms/azadsp-cli';

const YEAR_MS = 365 * 24 * 3600_000;

const CREDENTIAL_OPTIONS: OptionSpec[] = [
  {
    dest: 'years',
    names: ['--years'],
    group: 'Credential',
    help: 'Number of years for which the credentials will be valid. Default: 1 year',
  },
  {
    dest: 'append',
    names: ['--append'],
    kind: 'flag',
    group: 'Credential',
    help: 'Append the new credential instead of overwriting.',
  },
];

function applicationOutput(lab: Lab, app: ReadonlyApplication): Record<string, unknown> {
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications/$entity',
    addIns: [],
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      oauth2PermissionScopes: [],
      preAuthorizedApplications: [],
      requestedAccessTokenVersion: null,
    },
    appId: app.appId,
    appRoles: [],
    applicationTemplateId: null,
    createdDateTime: new Date(app.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    deletedDateTime: null,
    description: null,
    displayName: app.displayName,
    groupMembershipClaims: null,
    id: app.objectId,
    identifierUris: [],
    isFallbackPublicClient: null,
    keyCredentials: app.keyCredentials.map(k => ({
      customKeyIdentifier: k.thumbprint,
      displayName: k.displayName,
      endDateTime: new Date(k.endDateTime).toISOString(),
      key: null,
      keyId: k.keyId,
      startDateTime: new Date(k.startDateTime).toISOString(),
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
    })),
    notes: null,
    passwordCredentials: app.passwordCredentials.map(p => ({
      customKeyIdentifier: null,
      displayName: p.displayName,
      endDateTime: new Date(p.endDateTime).toISOString(),
      hint: p.hint,
      keyId: p.keyId,
      secretText: null,
      startDateTime: new Date(p.startDateTime).toISOString(),
    })),
    publicClient: { redirectUris: [] },
    publisherDomain: lab.directory.tenant.defaultDomain,
    requiredResourceAccess: [],
    signInAudience: 'AzureADMyOrg',
    spa: { redirectUris: [] },
    tags: [],
    web: { homePageUrl: null, logoutUrl: null, redirectUris: [] },
  };
}

/** azure-cli _resolve_application: an app id or object id (a GUID); identifier URIs are not modelled. */
function findApplication(lab: Lab, identifier: string): ReadonlyApplication {
  if (!isGuid(identifier)) throw new AzCliError(`Application with identifier URI '${identifier}' doesn't exist`);
  const app =
    lab.directory.application(identifier) ?? lab.directory.applications.find(a => a.objectId.toLowerCase() === identifier.toLowerCase());
  if (!app) {
    throw new AzCliError(`Resource '${identifier}' does not exist or one of its queried reference-property objects are not present.`);
  }
  return app;
}

function years(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new AzUsageError(`argument --years: invalid int value: '${value}'`);
  return n;
}

/** The app of that display name, patched (azure-cli warns and reuses it), or a new one. */
function appNamed(ctx: CommandContext, displayName: string): ReadonlyApplication {
  const existing = applicationsNamed(ctx.lab, displayName);
  if (existing.length > 1) {
    throw new AzCliError(
      `More than one application have the same display name '${displayName}': (id) ${existing.map(a => a.objectId).join(', ')}, please remove them first.`,
    );
  }
  if (existing.length === 1) {
    ctx.warn(`Found an existing application instance: (id) ${existing[0]!.objectId}. We will patch it.`);
    return existing[0]!;
  }
  return registerApplication(ctx.lab, displayName);
}

/** `yyyy-mm-dd-HH-MM-SS` (UTC), azure-cli's default display name suffix. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/[T:]/g, '-');
}

export const AD_COMMANDS: CommandSpec[] = [
  {
    name: 'ad app create',
    summary: 'Create a web application, web API or native application',
    longSummary: 'For more detailed documentation, see https://docs.microsoft.com/graph/api/resources/application',
    noSubscription: true,
    mutates: true,
    options: [{ dest: 'display_name', names: ['--display-name'], required: true, help: 'the display name of the application' }],
    examples: [{ name: 'Create an application.', text: 'az ad app create --display-name mytestapp' }],
    run: (ctx, args) => applicationOutput(ctx.lab, appNamed(ctx, args.req('display_name'))),
  },
  {
    name: 'ad app show',
    summary: 'Get the details of an application.',
    noSubscription: true,
    options: [{ dest: 'identifier', names: ['--id'], required: true, help: 'identifier uri, application id, or object id' }],
    run: (ctx, args) => applicationOutput(ctx.lab, findApplication(ctx.lab, args.req('identifier'))),
  },
  {
    name: 'ad app credential reset',
    summary: "Reset an application's password or certificate credentials",
    longSummary:
      'By default, this command clears all passwords and keys, and let graph service generate a password credential.\n\n' +
      'The output includes credentials that you must protect. Be sure that you do not include these credentials ' +
      'in your code or check the credentials into your source control. As an alternative, consider using ' +
      '[managed identities](https://aka.ms/azadsp-managed-identities) if available to avoid the need to use credentials.',
    noSubscription: true,
    mutates: true,
    options: [
      { dest: 'identifier', names: ['--id'], required: true, help: 'identifier uri, application id, or object id' },
      ...CREDENTIAL_OPTIONS,
      { dest: 'display_name', names: ['--display-name'], group: 'Credential', help: 'Friendly name for the credential.' },
    ],
    examples: [
      {
        name: "Reset an application's credential with a password",
        text: 'az ad app credential reset --id 00000000-0000-0000-0000-000000000000',
      },
    ],
    run: async (ctx, args) => {
      const app = findApplication(ctx.lab, args.req('identifier'));
      const lifetime = years(args.str('years')) * YEAR_MS;
      if (!args.flag('append')) removePasswords(ctx.lab, app.appId);
      const { secretText } = await addPassword(ctx.lab, app.appId, args.str('display_name') ?? '', lifetime);
      ctx.warn(CREDENTIAL_WARNING);
      return { appId: app.appId, password: secretText, tenant: ctx.lab.tenantId };
    },
  },
  {
    name: 'ad sp create',
    summary: 'Create a service principal.',
    noSubscription: true,
    mutates: true,
    options: [
      {
        dest: 'identifier',
        names: ['--id'],
        required: true,
        help: 'identifier uri, application id, or object id of the associated application',
      },
    ],
    examples: [{ name: 'Create a service principal. (autogenerated)', text: 'az ad sp create --id 00000000-0000-0000-0000-000000000000' }],
    run: (ctx, args) => {
      const app = findApplication(ctx.lab, args.req('identifier'));
      try {
        return servicePrincipalOutput(ctx.lab, createServicePrincipal(ctx.lab, app.appId).objectId);
      } catch (error) {
        if (error instanceof LabError && error.code === 'Conflict') throw new AzCliError(error.message);
        throw error;
      }
    },
  },
  {
    name: 'ad sp create-for-rbac',
    summary: 'Create a service principal and configure its access to Azure resources.',
    longSummary:
      'The output includes credentials that you must protect. Be sure that you do not include these credentials ' +
      'in your code or check the credentials into your source control. As an alternative, consider using ' +
      '[managed identities](https://aka.ms/azadsp-managed-identities) if available to avoid the need to use credentials.\n\n' +
      'By default, this command does not assign any role to the service principal. ' +
      'You may use --role and --scopes to assign a specific role and narrow the scope to a resource or resource group. ' +
      'You may also use `az role assignment create` to create role assignments for this service principal later.',
    noSubscription: true,
    mutates: true,
    options: [
      {
        dest: 'display_name',
        names: ['--display-name', '--name', '-n'],
        help: 'Display name of the service principal. If not present, default to azure-cli-%Y-%m-%d-%H-%M-%S where the suffix is the time of creation.',
      },
      { dest: 'role', names: ['--role'], help: 'Role of the service principal.' },
      {
        dest: 'scopes',
        names: ['--scopes'],
        kind: 'list',
        help: "Space-separated list of scopes the service principal's role assignment applies to. e.g., subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/myGroup, /subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/myGroup/providers/Microsoft.Compute/virtualMachines/myVM",
      },
      CREDENTIAL_OPTIONS[0]!,
    ],
    examples: [
      { name: 'Create without role assignment.', text: 'az ad sp create-for-rbac' },
      { name: 'Create using a custom display name.', text: 'az ad sp create-for-rbac -n MyApp' },
      {
        name: 'Create with a Contributor role assignments on specified scopes.',
        text: 'az ad sp create-for-rbac -n MyApp --role Contributor --scopes /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup1',
      },
    ],
    run: async (ctx, args) => {
      const role = args.str('role');
      const scopes = args.list('scopes');
      if ((role && !scopes) || (!role && scopes)) {
        throw new AzCliError('Usage error: To create role assignments, specify both --role and --scopes.');
      }
      for (const scope of scopes ?? []) checkScopeSyntax(scope);
      const roleId = role ? resolveRoleArgument(ctx.lab, role) : undefined;
      const lifetime = years(args.str('years')) * YEAR_MS;
      const displayName = args.str('display_name') ?? `azure-cli-${stamp(ctx.lab.clock.now())}`;
      // A failure half-way (a scope the learner may not assign at) is rolled back by the runner (run.ts runAtomically).
      const app = appNamed(ctx, displayName);
      removePasswords(ctx.lab, app.appId);
      const { secretText } = await addPassword(ctx.lab, app.appId, 'rbac', lifetime);
      const sp = ctx.lab.directory.byClientId(app.appId) ?? createServicePrincipal(ctx.lab, app.appId);
      for (const scope of scopes ?? []) {
        ctx.warn(`Creating '${role}' role assignment under scope '${scope}'`);
        try {
          createRoleAssignment(ctx.lab, ctx.caller, { scope, role: roleId!, principalId: sp.objectId, principalType: 'ServicePrincipal' });
        } catch (error) {
          if (!(error instanceof LabError && error.code === 'RoleAssignmentExists')) throw error;
          ctx.warn('  Role assignment already exists.\n');
        }
      }
      ctx.warn(CREDENTIAL_WARNING);
      return { appId: app.appId, displayName, password: secretText, tenant: ctx.lab.tenantId };
    },
  },
];
