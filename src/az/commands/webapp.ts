// `az appservice plan create`, `az webapp …` and `az functionapp …` (azure-cli appservice
// module). Sites are Microsoft.Web/sites of kind `app` or `functionapp`; their identity
// commands print ARM's identity object (az-shapes §4).
import { createOrUpdateResource } from '../../engine/operations/resources';
import { appServicePlanProperties, consumptionPlanId } from '../../engine/azure/appService';
import { LabError } from '../../engine/base/errors';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { Args, CommandContext, CommandSpec, GroupSpec, OptionSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import {
  deleteIfExists,
  getResource,
  idOf,
  listResources,
  LOCATION,
  nameOption,
  OPTIONAL_RESOURCE_GROUP,
  parseTags,
  RESOURCE_GROUP,
  TAGS,
} from './common';
import {
  assignIdentities,
  checkRoleForNewIdentity,
  grantRole,
  IDENTITY_ARGUMENTS,
  identitiesOption,
  planIdentities,
  removeIdentities,
  ROLE_OPTION,
  SCOPE_OPTION,
} from './identityOps';
import { identityObject, resourceOutput } from './azOutput';

type SiteKind = 'webapp' | 'functionapp';

export const WEBAPP_GROUPS: GroupSpec[] = [
  { name: 'appservice', summary: 'Manage App Service plans.' },
  { name: 'appservice plan', summary: 'Manage app service plans.' },
  { name: 'webapp', summary: 'Manage web apps.' },
  { name: 'webapp identity', summary: "Manage web app's managed identity." },
  {
    name: 'functionapp',
    summary: 'Manage function apps. To install the Azure Functions Core tools see https://github.com/Azure/azure-functions-core-tools',
  },
  { name: 'functionapp identity', summary: "Manage web app's managed identity." },
];

function planOutput(ctx: CommandContext, plan: ReadonlyResource): Record<string, unknown> {
  return {
    ...resourceOutput(ctx.lab, plan),
    numberOfSites: listResources(ctx, 'webapp', undefined)
      .concat(listResources(ctx, 'functionapp', undefined))
      .filter(s => String(s.properties['serverFarmId'] ?? '').toLowerCase() === plan.id.toLowerCase()).length,
  };
}

/** azure-cli appservice: an app that is not there (az-shapes §4c, show_identity). */
function getSite(ctx: CommandContext, kind: SiteKind, group: string, name: string): ReadonlyResource {
  try {
    return getResource(ctx, kind, group, name);
  } catch (error) {
    if (error instanceof LabError && error.code === 'ResourceNotFound') {
      throw new AzCliError(`Unable to find App ${name} in resource group ${group}`);
    }
    throw error;
  }
}

const siteName = (kind: SiteKind): OptionSpec =>
  nameOption(
    kind === 'webapp'
      ? 'Name of the web app. If left unspecified, a name will be randomly generated. You can configure the default using `az configure --defaults web=<name>`.'
      : 'Name of the function app.',
  );

const CREATE_IDENTITY: OptionSpec[] = [
  {
    dest: 'assign_identities',
    names: ['--assign-identity'],
    kind: 'list',
    optionalValues: true,
    group: IDENTITY_ARGUMENTS,
    help: "Accept system or user assigned identities separated by spaces. Use '[system]' to refer system assigned identity, or a resource id to refer user assigned identity. Check out help for more examples.",
  },
  { ...ROLE_OPTION, group: IDENTITY_ARGUMENTS },
  { ...SCOPE_OPTION, group: IDENTITY_ARGUMENTS },
];

function createSite(
  ctx: CommandContext,
  args: Args,
  kind: SiteKind,
  serverFarmId: string,
  extra: Record<string, unknown>,
  location?: string,
): ReadonlyResource {
  const group = args.req('resource_group_name');
  const name = args.req('name');
  const assign = args.list('assign_identities');
  const scope = args.str('identity_scope');
  const plan = assign !== undefined ? planIdentities(ctx, group, assign) : undefined;
  if (scope && !plan?.system) throw new AzCliError("usage error: '--scope'/'--role' is only applicable when assign system identity");
  const role = plan && scope ? checkRoleForNewIdentity(ctx, args.str('identity_role') ?? 'Contributor', scope) : undefined;
  const tags = parseTags(args.list('tags'));
  const farm = ctx.lab.arm.resource(serverFarmId);
  const site = createOrUpdateResource(ctx.lab, ctx.caller, {
    subscriptionId: ctx.subscriptionId,
    resourceGroup: group,
    type: kind,
    name,
    ...(location ? { location } : farm ? { location: farm.location } : {}),
    ...(tags ? { tags } : {}),
    properties: { serverFarmId, httpsOnly: false, reserved: farm?.properties['reserved'] === true, ...extra },
    ...(plan ? { identity: { systemAssigned: plan.system, userAssigned: plan.userIds } } : {}),
  });
  if (role && scope) grantRole(ctx, site, role, scope);
  return site;
}

function siteOutput(ctx: CommandContext, site: ReadonlyResource): Record<string, unknown> {
  return {
    availabilityState: 'Normal',
    clientAffinityEnabled: true,
    enabledHostNames: [`${site.name}.azurewebsites.net`, `${site.name}.scm.azurewebsites.net`],
    usageState: 'Normal',
    ...resourceOutput(ctx.lab, site),
  };
}

function identityCommands(kind: SiteKind): CommandSpec[] {
  const target = [
    RESOURCE_GROUP,
    siteName(kind),
    { dest: 'slot', names: ['--slot', '-s'], help: 'The name of the slot. Default to the productions slot if not specified.' },
  ];
  return [
    {
      name: `${kind} identity assign`,
      summary: 'Assign managed identity to the web app.',
      mutates: true,
      options: [
        ...target,
        identitiesOption(
          "Space-separated identities to assign. Use '[system]' to refer to the system assigned identity. Default: '[system]'.",
        ),
        ROLE_OPTION,
        SCOPE_OPTION,
      ],
      examples: [
        {
          name: 'Assign local identity and assign a reader role to the current resource group.',
          text: `az ${kind} identity assign -g MyResourceGroup -n MyUniqueApp --role reader --scope /subscriptions/db5eb68e-73e2-4fa8-b18a-46cd1be4cce5/resourcegroups/MyResourceGroup`,
        },
        { name: 'Enable identity for the web app.', text: `az ${kind} identity assign -g MyResourceGroup -n MyUniqueApp` },
      ],
      run: (ctx, args) => {
        if (args.str('slot')) throw new AzCliError('The Managed Identity Lab does not simulate deployment slots.');
        const group = args.req('resource_group_name');
        const site = getResource(ctx, kind, group, args.req('name'));
        const plan = {
          ...planIdentities(ctx, group, args.list('identities')),
          ...(args.str('identity_scope') ? { scope: args.req('identity_scope') } : {}),
          role: args.str('identity_role') ?? 'Contributor',
        };
        assignIdentities(ctx, site, plan, { roleGiven: false });
        return identityObject(ctx.lab, site);
      },
    },
    {
      name: `${kind} identity remove`,
      summary: "Disable web app's managed identity.",
      mutates: true,
      options: [
        ...target,
        identitiesOption(
          "Space-separated identities to remove. Use '[system]' to refer to the system assigned identity. Default: '[system]'.",
        ),
      ],
      run: (ctx, args) => {
        const group = args.req('resource_group_name');
        const site = getResource(ctx, kind, group, args.req('name'));
        removeIdentities(ctx, site, planIdentities(ctx, group, args.list('identities')));
        return identityObject(ctx.lab, site);
      },
    },
    {
      name: `${kind} identity show`,
      summary: "Display web app's managed identity.",
      options: target,
      run: (ctx, args) => identityObject(ctx.lab, getSite(ctx, kind, args.req('resource_group_name'), args.req('name'))),
    },
  ];
}

function siteCommands(kind: SiteKind): CommandSpec[] {
  return [
    {
      name: `${kind} show`,
      summary: `Get the details of a ${kind === 'webapp' ? 'web' : 'function'} app.`,
      options: [RESOURCE_GROUP, siteName(kind)],
      run: (ctx, args) => siteOutput(ctx, getSite(ctx, kind, args.req('resource_group_name'), args.req('name'))),
    },
    {
      name: `${kind} list`,
      summary: `List ${kind === 'webapp' ? 'web' : 'function'} apps.`,
      options: [OPTIONAL_RESOURCE_GROUP],
      run: (ctx, args) => listResources(ctx, kind, args.str('resource_group_name')).map(s => siteOutput(ctx, s)),
    },
    {
      name: `${kind} delete`,
      summary: `Delete a ${kind === 'webapp' ? 'web' : 'function'} app.`,
      mutates: true,
      options: [
        RESOURCE_GROUP,
        siteName(kind),
        { dest: 'keep_empty_plan', names: ['--keep-empty-plan'], kind: 'flag', help: 'Keep empty app service plan.' },
      ],
      run: (ctx, args) => {
        deleteIfExists(ctx, kind, args.req('resource_group_name'), args.req('name'));
        return undefined;
      },
    },
  ];
}

export const WEBAPP_COMMANDS: CommandSpec[] = [
  {
    name: 'appservice plan create',
    summary: 'Create an app service plan.',
    mutates: true,
    options: [
      RESOURCE_GROUP,
      nameOption('Name of the new app service plan.'),
      {
        dest: 'sku',
        names: ['--sku'],
        default: 'B1',
        help: 'The pricing tiers, e.g., F1(Free), D1(Shared), B1(Basic Small), B2(Basic Medium), B3(Basic Large), S1(Standard Small), P1V2(Premium V2 Small), P1V3(Premium V3 Small), I1 (Isolated Small), I1v2 (Isolated V2 Small).',
      },
      { dest: 'is_linux', names: ['--is-linux'], kind: 'flag', help: 'Host web app on Linux worker.' },
      { dest: 'number_of_workers', names: ['--number-of-workers'], help: 'Number of workers to be allocated.' },
      LOCATION,
      TAGS,
    ],
    examples: [{ name: 'Create a basic app service plan.', text: 'az appservice plan create -g MyResourceGroup -n MyPlan' }],
    run: (ctx, args) => {
      const sku = (args.str('sku') ?? 'B1').toUpperCase();
      const linux = args.flag('is_linux');
      const tags = parseTags(args.list('tags'));
      const location = args.str('location');
      const plan = createOrUpdateResource(ctx.lab, ctx.caller, {
        subscriptionId: ctx.subscriptionId,
        resourceGroup: args.req('resource_group_name'),
        type: 'appserviceplan',
        kind: linux ? 'linux' : 'app',
        name: args.req('name'),
        ...(location ? { location } : {}),
        ...(tags ? { tags } : {}),
        properties: appServicePlanProperties(sku, { linux, workers: Number(args.str('number_of_workers') ?? 1) }),
      });
      return planOutput(ctx, plan);
    },
  },
  {
    name: 'webapp create',
    summary: 'Create a web app.',
    longSummary: "The web app's name must be able to produce a unique FQDN as AppName.azurewebsites.net.",
    mutates: true,
    options: [
      RESOURCE_GROUP,
      siteName('webapp'),
      {
        dest: 'plan',
        names: ['--plan', '-p'],
        required: true,
        help: "Name or resource id of the app service plan. Use 'appservice plan create' to get one.",
      },
      {
        dest: 'runtime',
        names: ['--runtime', '-r'],
        help: 'Canonicalized web runtime in the format of Framework:Version, e.g. "PHP:7.2". Use `az webapp list-runtimes` for available list.',
      },
      { dest: 'startup_file', names: ['--startup-file'], freeText: true, help: "Linux only. The web's startup file." },
      {
        dest: 'https_only',
        names: ['--https-only'],
        choices: ['false', 'true'],
        help: 'Redirect all traffic made to an app using HTTP to HTTPS.',
      },
      TAGS,
      ...CREATE_IDENTITY,
    ],
    examples: [
      {
        name: 'Create a web app with the default configuration.',
        text: 'az webapp create -g MyResourceGroup -p MyPlan -n MyUniqueAppName',
      },
    ],
    run: (ctx, args) => {
      const group = args.req('resource_group_name');
      const planArg = args.req('plan');
      const planId = planArg.startsWith('/') ? planArg : idOf(ctx, 'appserviceplan', group, planArg);
      // appservice/custom.py create_webapp ("sic": the closing quote is missing there too).
      if (!ctx.lab.arm.resource(planId)) throw new AzCliError(`The plan '${planArg}' doesn't exist in the resource group '${group}`);
      const runtime = args.str('runtime');
      const site = createSite(ctx, args, 'webapp', ctx.lab.arm.resource(planId)!.id, {
        ...(runtime ? { siteConfig: { linuxFxVersion: runtime.replace(':', '|') } } : {}),
        httpsOnly: args.str('https_only') === 'true',
      });
      return siteOutput(ctx, site);
    },
  },
  ...siteCommands('webapp'),
  ...identityCommands('webapp'),
  {
    name: 'functionapp create',
    summary: 'Create a function app.',
    longSummary: "The function app's name must be able to produce a unique FQDN as AppName.azurewebsites.net.",
    mutates: true,
    options: [
      RESOURCE_GROUP,
      siteName('functionapp'),
      {
        dest: 'storage_account',
        names: ['--storage-account', '-s'],
        required: true,
        help: 'Provide a string value of a Storage Account in the provided Resource Group. Or Resource ID of a Storage Account in a different Resource Group.',
      },
      {
        dest: 'plan',
        names: ['--plan', '-p'],
        help: "name or resource id of the function app service plan. Use 'appservice plan create' to get one. If using an App Service plan from a different resource group, the full resource id must be used and not the plan name.",
      },
      {
        dest: 'consumption_plan_location',
        names: ['--consumption-plan-location', '-c'],
        help: 'Geographic location where function app will be hosted. Use `az functionapp list-consumption-locations` to view available locations.',
      },
      { dest: 'runtime', names: ['--runtime'], help: 'The functions runtime stack.' },
      { dest: 'runtime_version', names: ['--runtime-version'], help: 'The version of the functions runtime stack.' },
      { dest: 'functions_version', names: ['--functions-version'], choices: ['4'], help: 'The functions app version.' },
      { dest: 'os_type', names: ['--os-type'], choices: ['Linux', 'Windows'], help: 'Set the OS type for the app to be created.' },
      TAGS,
      ...CREATE_IDENTITY,
    ],
    examples: [
      {
        name: 'Create a basic function app.',
        text: 'az functionapp create -g MyResourceGroup -p MyPlan -n MyUniqueAppName -s MyStorageAccount',
      },
    ],
    run: (ctx, args) => {
      const group = args.req('resource_group_name');
      const planArg = args.str('plan');
      const location = args.str('consumption_plan_location');
      if (Boolean(planArg) === Boolean(location)) {
        throw new AzCliError('usage error: --plan NAME_OR_ID | --consumption-plan-location LOCATION');
      }
      const storageArg = args.req('storage_account');
      if (!storageArg.startsWith('/')) getResource(ctx, 'storage', group, storageArg);
      else if (!ctx.lab.arm.resource(storageArg)) throw new AzCliError(`Storage account '${storageArg}' not found.`);
      let serverFarmId: string;
      if (planArg) {
        const planId = planArg.startsWith('/') ? planArg : idOf(ctx, 'appserviceplan', group, planArg);
        if (!ctx.lab.arm.resource(planId)) throw new AzCliError(`The plan '${planArg}' doesn't exist in the resource group '${group}`);
        serverFarmId = ctx.lab.arm.resource(planId)!.id;
      } else {
        serverFarmId = consumptionPlanId(ctx.subscriptionId, group, location!);
      }
      const site = createSite(
        ctx,
        args,
        'functionapp',
        serverFarmId,
        {
          siteConfig: { ...(args.str('runtime') ? { linuxFxVersion: `${args.req('runtime')}|${args.str('runtime_version') ?? ''}` } : {}) },
          storageAccount: storageArg,
          ...(location ? { consumptionPlanLocation: location } : {}),
        },
        location,
      );
      return siteOutput(ctx, site);
    },
  },
  ...siteCommands('functionapp'),
  ...identityCommands('functionapp'),
];
