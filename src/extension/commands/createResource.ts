// "Create Resource…": a resource of any type the lab simulates, in an existing or a new
// resource group, optionally with its system-assigned identity — validated as ARM would
// (name rules, global uniqueness) while the name is typed.
import type { Lab } from '../../engine/lab/lab';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { ResourceTypeInfo } from '../../engine/azure/resourceTypes';
import { resourceTypeByKey, resourceTypeOf } from '../../engine/azure/resourceTypes';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../../engine/operations/resources';
import { LOCATIONS, isKnownLocation } from '../../engine/azure/locations';
import { resourceId } from '../../engine/azure/resourceId';
import { appServicePlanProperties, consumptionPlanId } from '../../engine/azure/appService';
import {
  createAppServicePlanTwin,
  createFunctionAppTwin,
  createKeyVaultTwin,
  createResourceGroupTwin,
  createStorageAccountTwin,
  createUserAssignedIdentityTwin,
  createVmTwin,
  createWebAppTwin,
  attachUserAssignedTwin,
} from '../../az/twin';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, optionalBoolean, optionalTags, optionalText, requireText } from '../input/args';
import { runFlow } from '../input/flow';
import { groupItems, NEW_GROUP, resourceItems, typeItems, type ValueItem } from '../input/items';
import { twin, type CommandContext } from './context';
import { identityIds } from '../../engine/readModels/idWords';

export interface CreateResourceArgs {
  /** The lab's key (`vm`, `keyvault`, `identity`…) or an ARM type. */
  type: string;
  resourceGroup: string;
  name: string;
  location?: string;
  tags?: Record<string, string>;
  /** Turn the system-assigned identity on as it is created. */
  systemAssigned?: boolean;
  /** ARM ids of existing user-assigned identities to attach as it is created (`az vm create --assign-identity <id>…`). */
  userAssigned?: string[];
  /** Create the resource group first when it does not exist (in `location`, default eastus). */
  createGroup?: boolean;
  /** Web apps: the App Service plan's name (created when missing). */
  plan?: string;
  /** Function apps: an existing storage account in the group. */
  storageAccount?: string;
}

export interface CreatedResource {
  id: string;
  principalId?: string;
}

const TITLE = 'Create Resource';
/** Types whose names are unique across Azure (ARM answers 409 Conflict otherwise). */
const GLOBALLY_UNIQUE = new Set([
  'microsoft.keyvault/vaults',
  'microsoft.storage/storageaccounts',
  'microsoft.web/sites',
  'microsoft.sql/servers',
  'microsoft.appconfiguration/configurationstores',
]);
const DEFAULT_LOCATION = 'eastus';

function resolveType(text: string): ResourceTypeInfo {
  const info = resourceTypeByKey(text) ?? resourceTypeOf(text);
  if (!info) {
    throw new ArgumentError(
      `'type' must be a resource type the lab simulates (e.g. vm, keyvault, identity, storage, webapp), not '${text}'.`,
    );
  }
  return info;
}

/** Why a name is not acceptable for this type in this lab, or undefined. */
export function nameProblem(lab: Lab, info: ResourceTypeInfo, group: string, name: string): string | undefined {
  if (!info.nameRule.pattern.test(name)) return `A ${info.displayName} name must be ${info.nameRule.message}.`;
  const sameName = (r: ReadonlyResource) =>
    r.type.toLowerCase() === info.armType.toLowerCase() && r.name.toLowerCase() === name.toLowerCase();
  if (lab.arm.resourcesIn(lab.defaultSubscriptionId, group).some(sameName)) {
    return `${group} already has a ${info.displayName} named ${name}.`;
  }
  if (GLOBALLY_UNIQUE.has(info.armType.toLowerCase()) && lab.arm.resources.some(sameName)) {
    return `${info.displayName} names are unique across Azure, and ${name} is taken.`;
  }
  return undefined;
}

function groupProblem(lab: Lab, name: string): string | undefined {
  if (!/^[-\w.()\p{L}\p{N}]{1,90}$/u.test(name) || name.endsWith('.')) {
    return 'Up to 90 letters, digits, periods, underscores, hyphens and parentheses; not ending in a period.';
  }
  if (lab.arm.group(lab.defaultSubscriptionId, name)) return `There is already a resource group named ${name}.`;
  return undefined;
}

async function askArgs(lab: Lab, fixedGroup: string | undefined): Promise<CreateResourceArgs | undefined> {
  const answers: Partial<CreateResourceArgs> & { info?: ResourceTypeInfo; newGroup?: boolean } = fixedGroup
    ? { resourceGroup: fixedGroup }
    : {};
  const done = await runFlow([
    {
      ask: async (input, at) => {
        const items = typeItems();
        const chosen = await input.showQuickPick<ValueItem<ResourceTypeInfo>>({
          title: TITLE,
          ...at,
          items,
          placeholder: 'What kind of resource?',
          activeItem: items.find(i => i.value?.key === answers.info?.key),
        });
        answers.info = chosen.value;
        answers.type = chosen.value.key;
      },
    },
    {
      applies: () => !fixedGroup,
      ask: async (input, at) => {
        const chosen = await input.showQuickPick({ title: TITLE, ...at, items: groupItems(lab), placeholder: 'In which resource group?' });
        answers.newGroup = chosen.value === NEW_GROUP;
        if (!answers.newGroup) answers.resourceGroup = chosen.value;
      },
    },
    {
      applies: () => !fixedGroup,
      when: () => answers.newGroup === true,
      ask: async (input, at) => {
        answers.resourceGroup = await input.showInputBox({
          title: TITLE,
          ...at,
          value: answers.resourceGroup ?? '',
          prompt: 'Name of the new resource group',
          placeholder: 'rg-app',
          validate: v => groupProblem(lab, v),
        });
      },
    },
    {
      applies: () => !fixedGroup,
      when: () => answers.newGroup === true,
      ask: async (input, at) => {
        const items = LOCATIONS.map(l => ({ label: l, value: l }));
        answers.location = (
          await input.showQuickPick({
            title: TITLE,
            ...at,
            items,
            placeholder: 'Where (region)?',
            activeItem: items.find(i => i.value === DEFAULT_LOCATION),
          })
        ).value;
      },
    },
    {
      ask: async (input, at) => {
        const info = answers.info!;
        const group = answers.resourceGroup!;
        answers.name = await input.showInputBox({
          title: TITLE,
          ...at,
          value: answers.name ?? '',
          prompt: `Name of the ${info.displayName} (${info.nameRule.message})`,
          validate: v => nameProblem(lab, info, group, v),
        });
      },
    },
    {
      when: () => answers.info?.systemAssigned === true && answers.info.role === 'compute',
      ask: async (input, at) => {
        const items = [
          { label: 'No managed identity yet', detail: 'Turn one on later from the Resources view', value: false },
          { label: '$(pass-filled) System-assigned identity', detail: 'Created with the resource, deleted with it', value: true },
        ];
        answers.systemAssigned = (
          await input.showQuickPick({ title: TITLE, ...at, items, placeholder: 'Give it a managed identity?' })
        ).value;
      },
    },
    {
      when: () => answers.info?.userAssigned === true && answers.info.role === 'compute' && userIdentityItems(lab).length > 0,
      ask: async (input, at) => {
        const chosen = await input.showQuickPickMany({
          title: TITLE,
          ...at,
          items: userIdentityItems(lab),
          placeholder: 'Attach existing user-assigned identities? Tick none, one or several, then OK',
          matchOnDetail: true,
        });
        answers.userAssigned = chosen.map(c => c.value);
      },
    },
    {
      when: () => answers.info?.key === 'functionapp',
      ask: async (input, at) => {
        const accounts = lab.arm
          .resourcesIn(lab.defaultSubscriptionId, answers.resourceGroup!)
          .filter(r => resourceTypeOf(r.type)?.key === 'storage');
        if (!accounts.length) {
          throw new ArgumentError(`A Function App needs a storage account in ${answers.resourceGroup}: create one first.`);
        }
        answers.storageAccount = (
          await input.showQuickPick({
            title: TITLE,
            ...at,
            items: accounts.map(a => ({ label: a.name, value: a.name })),
            placeholder: 'Its storage account',
          })
        ).value;
      },
    },
  ]);
  if (!done) return undefined;
  return {
    type: answers.type!,
    resourceGroup: answers.resourceGroup!,
    name: answers.name!,
    ...(answers.location ? { location: answers.location, createGroup: true } : {}),
    ...(answers.systemAssigned ? { systemAssigned: true } : {}),
    ...(answers.userAssigned?.length ? { userAssigned: answers.userAssigned } : {}),
    ...(answers.storageAccount ? { storageAccount: answers.storageAccount } : {}),
  };
}

function readArgs(args: Partial<CreateResourceArgs>): CreateResourceArgs {
  const type = requireText(args, 'type', 'the kind of resource, e.g. vm, keyvault, identity, storage, webapp');
  const resourceGroup = requireText(args, 'resourceGroup', 'the resource group to create it in');
  const name = requireText(args, 'name', 'the new resource’s name');
  const location = optionalText(args, 'location', 'an Azure region such as eastus');
  const tags = optionalTags(args, 'tags');
  const systemAssigned = optionalBoolean(args, 'systemAssigned');
  const createGroup = optionalBoolean(args, 'createGroup');
  const plan = optionalText(args, 'plan', 'the name of an App Service plan');
  const storageAccount = optionalText(args, 'storageAccount', 'the name of a storage account in the group');
  const userAssigned = optionalTextList(args, 'userAssigned', 'ARM ids of user-assigned identities');
  return {
    type,
    resourceGroup,
    name,
    ...(location ? { location } : {}),
    ...(tags ? { tags } : {}),
    ...(systemAssigned !== undefined ? { systemAssigned } : {}),
    ...(createGroup !== undefined ? { createGroup } : {}),
    ...(plan ? { plan } : {}),
    ...(storageAccount ? { storageAccount } : {}),
    ...(userAssigned?.length ? { userAssigned } : {}),
  };
}

function optionalTextList(args: Partial<CreateResourceArgs>, key: 'userAssigned', what: string): string[] | undefined {
  const value = (args as Record<string, unknown>)[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every(v => typeof v === 'string' && v.trim())) {
    throw new ArgumentError(`'${key}' must be a list of ${what}.`);
  }
  return value as string[];
}

/** Every user-assigned identity in the lab, with its group (same names in different groups stay apart). */
function userIdentityItems(lab: Lab): Array<ValueItem<string>> {
  return resourceItems(lab, (_r, info) => info?.key === 'identity');
}

interface Plan {
  twins: Array<string | undefined>;
  run: () => ReadonlyResource;
}

/** The engine operations (and their az twins) that create what was asked. */
function planCreation(lab: Lab, a: CreateResourceArgs, info: ResourceTypeInfo): Plan {
  const caller = lab.learner;
  const sub = lab.defaultSubscriptionId;
  const twins: Array<string | undefined> = [];
  const steps: Array<() => void> = [];
  const groupExists = lab.arm.group(sub, a.resourceGroup) !== undefined;
  if (a.location !== undefined && !isKnownLocation(a.location)) {
    throw new ArgumentError(`'${a.location}' is not an Azure region the lab knows (e.g. ${LOCATIONS.slice(0, 4).join(', ')}).`);
  }
  if (!groupExists) {
    if (!a.createGroup) {
      throw new ArgumentError(
        `Resource group '${a.resourceGroup}' could not be found. Pick an existing group, or pass createGroup: true to create it.`,
      );
    }
    const problem = groupProblem(lab, a.resourceGroup);
    if (problem) throw new ArgumentError(`Resource group name '${a.resourceGroup}' is invalid: ${problem}`);
    const location = a.location ?? DEFAULT_LOCATION;
    twins.push(createResourceGroupTwin(a.resourceGroup, location));
    steps.push(() => void createOrUpdateResourceGroup(lab, caller, { name: a.resourceGroup, location }));
  }
  const problem = nameProblem(lab, info, a.resourceGroup, a.name);
  if (problem) throw new ArgumentError(problem);
  const base = {
    resourceGroup: a.resourceGroup,
    type: info.key,
    name: a.name,
    ...(a.location ? { location: a.location } : {}),
    ...(a.tags ? { tags: a.tags } : {}),
    ...(a.systemAssigned || a.userAssigned?.length
      ? {
          identity: {
            ...(a.systemAssigned ? { systemAssigned: true } : {}),
            ...(a.userAssigned?.length ? { userAssigned: a.userAssigned } : {}),
          },
        }
      : {}),
  };
  if (a.userAssigned?.length && !(info.userAssigned && info.role === 'compute')) {
    throw new ArgumentError(`A ${info.displayName} cannot have user-assigned identities attached.`);
  }
  let created: ReadonlyResource | undefined;
  switch (info.key) {
    case 'webapp': {
      const plan = a.plan ?? `${a.name}-plan`;
      const planId = resourceId(sub, a.resourceGroup, 'Microsoft.Web/serverfarms', plan);
      if (!lab.arm.resource(planId)) {
        twins.push(createAppServicePlanTwin({ resourceGroup: a.resourceGroup, name: plan }));
        steps.push(
          () =>
            void createOrUpdateResource(lab, caller, {
              resourceGroup: a.resourceGroup,
              type: 'appserviceplan',
              kind: 'app',
              name: plan,
              properties: appServicePlanProperties('B1', { linux: false, workers: 1 }),
            }),
        );
      }
      twins.push(createWebAppTwin({ resourceGroup: a.resourceGroup, name: a.name, plan, assignIdentity: a.systemAssigned === true }));
      steps.push(
        () =>
          (created = createOrUpdateResource(lab, caller, {
            ...base,
            properties: { serverFarmId: lab.arm.resource(planId)!.id, httpsOnly: false, reserved: false },
          })),
      );
      break;
    }
    case 'functionapp': {
      if (!a.storageAccount) {
        throw new ArgumentError(`'storageAccount' is required for a Function App: the name of a storage account in ${a.resourceGroup}.`);
      }
      const account = a.storageAccount;
      if (!lab.arm.resource(resourceId(sub, a.resourceGroup, 'Microsoft.Storage/storageAccounts', account))) {
        throw new ArgumentError(`There is no storage account '${account}' in ${a.resourceGroup}.`);
      }
      const location = a.location ?? lab.arm.group(sub, a.resourceGroup)?.location ?? DEFAULT_LOCATION;
      twins.push(
        createFunctionAppTwin({
          resourceGroup: a.resourceGroup,
          name: a.name,
          storageAccount: account,
          consumptionPlanLocation: location,
          assignIdentity: a.systemAssigned === true,
        }),
      );
      const farm = consumptionPlanId(sub, a.resourceGroup, location);
      steps.push(
        () =>
          (created = createOrUpdateResource(lab, caller, {
            ...base,
            properties: {
              serverFarmId: farm,
              httpsOnly: false,
              reserved: false,
              siteConfig: {},
              storageAccount: account,
              consumptionPlanLocation: location,
            },
          })),
      );
      break;
    }
    default:
      twins.push(typeTwin(info, a));
      steps.push(() => (created = createOrUpdateResource(lab, caller, base)));
  }
  // Web and function apps: az attaches user-assigned identities with its own command after the create.
  if (a.userAssigned?.length && info.key !== 'vm') {
    twins.push(
      twin(() =>
        attachUserAssignedTwin(
          resourceId(sub, a.resourceGroup, info.armType, a.name),
          a.userAssigned!,
          info.key === 'functionapp' ? 'functionapp' : 'app',
        ),
      ),
    );
  }
  return {
    twins,
    // If a later operation fails, the lab is put back as it was: all or nothing.
    run: () =>
      lab.atomically(() => {
        for (const step of steps) step();
        return created!;
      }),
  };
}

function typeTwin(info: ResourceTypeInfo, a: CreateResourceArgs): string | undefined {
  const common = { resourceGroup: a.resourceGroup, name: a.name, ...(a.location ? { location: a.location } : {}) };
  switch (info.key) {
    case 'vm': {
      const identities = [...(a.systemAssigned ? ['[system]'] : []), ...(a.userAssigned ?? [])];
      return createVmTwin({
        ...common,
        ...(a.userAssigned?.length ? { assignIdentity: identities } : a.systemAssigned ? { assignIdentity: true } : {}),
      });
    }
    case 'identity':
      return createUserAssignedIdentityTwin(common);
    case 'keyvault':
      return createKeyVaultTwin(common);
    case 'storage':
      return createStorageAccountTwin(common);
    default:
      return undefined;
  }
}

export async function createResource(ctx: CommandContext, input: unknown): Promise<CommandOutcome<CreatedResource> | undefined> {
  const lab = await ctx.lab();
  const parsed = classify<CreateResourceArgs>(input);
  const a =
    parsed.from === 'args'
      ? readArgs(parsed.args)
      : await askArgs(lab, parsed.from === 'node' && parsed.node.kind === 'group' ? parsed.node.name : undefined);
  if (!a) return undefined;
  const info = resolveType(a.type);
  const plan = planCreation(lab, a, info);
  return ctx.act(() => {
    const resource = plan.run();
    const twins = plan.twins.filter((t): t is string => t !== undefined);
    const complete = twins.length === plan.twins.length;
    const principalId = resource.identity?.systemAssigned?.principalId ?? resource.managedIdentity?.principalId;
    const azNote = complete ? '' : ' (az has no create command for this type in the lab.)';
    const identity = resource.identity?.systemAssigned
      ? ` with its system-assigned identity (${identityIds(resource.identity.systemAssigned)})`
      : '';
    const attached = resource.identity?.userAssigned ?? [];
    const users = attached.length
      ? `${identity ? ' and' : ' with'} user-assigned ${attached.map(u => `${u.resourceId.split('/').pop()} (${identityIds(u)})`).join(', ')}`
      : '';
    return {
      value: { id: resource.id, ...(principalId ? { principalId } : {}) },
      message: `Created ${info.displayName} ${resource.name} in ${a.resourceGroup}${identity}${users}.${azNote}`,
      az: complete ? twins.join('\n') : undefined,
    };
  });
}
