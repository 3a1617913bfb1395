// `az group …`: resource groups (azure-cli resource module).
import { createOrUpdateResourceGroup, deleteResourceGroup, requireGroup } from '../../engine/operations/resources';
import { authorize } from '../../engine/lab/authorization';
import { resourceGroupId } from '../../engine/azure/resourceId';
import { readableGroups } from '../../engine/lab/visibility';
import type { CommandSpec, GroupSpec, OptionSpec } from '../cli/spec';
import { NO_WAIT, parseTags, requireConfirmation, TAGS, YES } from './common';
import { groupOutput } from './azOutput';

/** `az group create` registers the group name under both spellings (the argparse error shows them). */
const CREATE_NAME: OptionSpec = {
  dest: 'rg_name',
  names: ['--name', '--resource-group', '-n', '-g'],
  required: true,
  help: 'Name of the new resource group.',
};
const GROUP_NAME: OptionSpec = {
  dest: 'resource_group_name',
  names: ['--name', '-n', '--resource-group', '-g'],
  required: true,
  help: 'Name of resource group. You can configure the default group using `az configure --defaults group=<name>`.',
};

export const GROUP_GROUPS: GroupSpec[] = [{ name: 'group', summary: 'Manage resource groups and template deployments.' }];

export const GROUP_COMMANDS: CommandSpec[] = [
  {
    name: 'group create',
    summary: 'Create a new resource group.',
    mutates: true,
    options: [
      CREATE_NAME,
      {
        dest: 'rg_location',
        names: ['--location', '-l'],
        required: true,
        help: 'Location. Values from: `az account list-locations`. You can configure the default location using `az configure --defaults location=<location>`.',
      },
      { dest: 'managed_by', names: ['--managed-by'], help: 'The ID of the resource that manages this resource group.' },
      TAGS,
    ],
    examples: [{ name: 'Create a new resource group in the West US region.', text: 'az group create -l westus -n MyResourceGroup' }],
    run: (ctx, args) => {
      const tags = parseTags(args.list('tags'));
      const group = createOrUpdateResourceGroup(ctx.lab, ctx.caller, {
        subscriptionId: ctx.subscriptionId,
        name: args.req('rg_name'),
        location: args.req('rg_location'),
        ...(tags ? { tags } : {}),
      });
      return groupOutput(group);
    },
  },
  {
    name: 'group show',
    summary: 'Gets a resource group.',
    options: [GROUP_NAME],
    run: (ctx, args) => {
      const group = requireGroup(ctx.lab, ctx.subscriptionId, args.req('resource_group_name'));
      authorize(
        ctx.lab,
        ctx.caller,
        'Microsoft.Resources/subscriptions/resourceGroups/read',
        resourceGroupId(ctx.subscriptionId, group.name),
      );
      return groupOutput(group);
    },
  },
  {
    name: 'group exists',
    summary: 'Check if a resource group exists.',
    options: [GROUP_NAME],
    run: (ctx, args) => ctx.lab.arm.group(ctx.subscriptionId, args.req('resource_group_name')) !== undefined,
  },
  {
    name: 'group list',
    summary: 'List resource groups.',
    options: [{ dest: 'tag', names: ['--tag'], freeText: true, help: "a single tag in 'key[=value]' format" }],
    // azure-cli resource/_format.py transform_resource_group_list.
    tableTransformer: rows =>
      (rows as Array<Record<string, unknown>>).map(r => ({
        Name: r['name'],
        Location: r['location'],
        Status: (r['properties'] as Record<string, unknown>)['provisioningState'],
      })),
    run: (ctx, args) => {
      const tag = args.str('tag');
      const [key, value] =
        tag === undefined ? [] : tag.includes('=') ? [tag.slice(0, tag.indexOf('=')), tag.slice(tag.indexOf('=') + 1)] : [tag, undefined];
      return readableGroups(ctx.lab, ctx.caller, ctx.subscriptionId)
        .filter(g => key === undefined || (key in g.tags && (value === undefined || g.tags[key] === value)))
        .map(groupOutput);
    },
  },
  {
    name: 'group delete',
    summary: 'Delete a resource group.',
    mutates: true,
    options: [
      GROUP_NAME,
      { dest: 'force_deletion_types', names: ['--force-deletion-types'], help: 'The resource types you want to force delete.' },
      NO_WAIT,
      YES,
    ],
    run: (ctx, args) => {
      requireConfirmation(args.flag('yes'));
      deleteResourceGroup(ctx.lab, ctx.caller, ctx.subscriptionId, args.req('resource_group_name'));
      return undefined;
    },
  },
];
