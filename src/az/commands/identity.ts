// `az identity …`: user-assigned managed identities (azure-cli role/identity module).
import { createOrUpdateResource } from '../../engine/operations/resources';
import type { CommandSpec, GroupSpec } from '../cli/spec';
import {
  deleteIfExists,
  getResource,
  listResources,
  LOCATION,
  nameOption,
  OPTIONAL_RESOURCE_GROUP,
  parseTags,
  RESOURCE_GROUP,
  TAGS,
} from './common';
import { identityOutput } from './azOutput';

export const IDENTITY_GROUPS: GroupSpec[] = [{ name: 'identity', summary: 'Managed Identities.' }];

const NAME = nameOption('The name of the identity resource.');

export const IDENTITY_COMMANDS: CommandSpec[] = [
  {
    name: 'identity create',
    summary: 'Create an identity.',
    mutates: true,
    options: [NAME, RESOURCE_GROUP, LOCATION, TAGS],
    examples: [{ name: 'Create an identity.', text: 'az identity create --name MyIdentity --resource-group MyResourceGroup' }],
    run: (ctx, args) => {
      const tags = parseTags(args.list('tags'));
      const location = args.str('location');
      const identity = createOrUpdateResource(ctx.lab, ctx.caller, {
        subscriptionId: ctx.subscriptionId,
        resourceGroup: args.req('resource_group_name'),
        type: 'identity',
        name: args.req('name'),
        ...(location ? { location } : {}),
        ...(tags ? { tags } : {}),
      });
      return identityOutput(ctx.lab, identity);
    },
  },
  {
    name: 'identity show',
    summary: 'Get the identity.',
    options: [NAME, RESOURCE_GROUP],
    run: (ctx, args) => identityOutput(ctx.lab, getResource(ctx, 'identity', args.req('resource_group_name'), args.req('name'))),
  },
  {
    name: 'identity list',
    summary: 'List all managed identities within a subscription or a resource group.',
    options: [OPTIONAL_RESOURCE_GROUP],
    run: (ctx, args) => listResources(ctx, 'identity', args.str('resource_group_name')).map(r => identityOutput(ctx.lab, r)),
  },
  {
    name: 'identity delete',
    summary: 'Delete the identity.',
    mutates: true,
    options: [NAME, RESOURCE_GROUP],
    run: (ctx, args) => {
      deleteIfExists(ctx, 'identity', args.req('resource_group_name'), args.req('name'));
      return undefined;
    },
  },
];
