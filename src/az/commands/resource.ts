// `az resource show|list|delete`: any resource by id (azure-cli resource module), which is how
// the lab's twins delete resource types that have no command group of their own.
import { deleteResource, requireResource } from '../../engine/arm/operations';
import { authorize } from '../../engine/authorization';
import { parseResourceId } from '../../engine/arm/resourceId';
import { LabError } from '../../engine/errors';
import type { CommandSpec, GroupSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import { OPTIONAL_RESOURCE_GROUP } from './common';
import { resourceOutput } from './views';

export const RESOURCE_GROUPS: GroupSpec[] = [{ name: 'resource', summary: 'Manage Azure resources.' }];

const IDS = { dest: 'ids', names: ['--ids'], kind: 'list', required: true, help: "One or more resource IDs (space-delimited). It should be a complete resource ID containing all information of 'Resource Id' arguments." } as const;

export const RESOURCE_COMMANDS: CommandSpec[] = [
  {
    name: 'resource show',
    summary: 'Get the details of a resource.',
    options: [IDS],
    run: (ctx, args) => {
      const results = args.list('ids')!.map(id => {
        const resource = requireResource(ctx.lab, id);
        authorize(ctx.lab, ctx.caller, `${resource.type}/read`, resource.id);
        return resourceOutput(ctx.lab, resource);
      });
      return results.length === 1 ? results[0] : results;
    },
  },
  {
    name: 'resource list',
    summary: 'List resources.',
    options: [OPTIONAL_RESOURCE_GROUP, { dest: 'resource_type', names: ['--resource-type'], help: 'The resource type.' }],
    run: (ctx, args) => {
      const group = args.str('resource_group_name');
      const type = args.str('resource_type')?.toLowerCase();
      const callerId = ctx.caller.kind === 'principal' ? ctx.caller.objectId : '';
      return (group !== undefined ? ctx.lab.arm.resourcesIn(ctx.subscriptionId, group) : ctx.lab.arm.resources)
        .filter(r => !type || r.type.toLowerCase() === type)
        .filter(r => ctx.lab.access.isAllowed(callerId, `${r.type}/read`, r.id))
        .map(r => resourceOutput(ctx.lab, r));
    },
  },
  {
    name: 'resource delete',
    summary: 'Delete a resource.',
    mutates: true,
    options: [IDS],
    run: (ctx, args) => {
      const ids = args.list('ids')!;
      for (const id of ids) {
        let parsed;
        try {
          parsed = parseResourceId(id);
        } catch (error) {
          throw new AzCliError((error as LabError).message);
        }
        if (parsed.kind !== 'resource') throw new AzCliError(`'${id}' is not the id of a resource.`);
      }
      for (const id of ids) if (ctx.lab.arm.resource(id)) deleteResource(ctx.lab, ctx.caller, id);
      return undefined;
    },
  },
];
