// `az resource show|list|delete`: any resource by id (azure-cli resource module), which is how
// the lab's twins delete resource types that have no command group of their own.
import { isJsonObject } from '../../engine/base/json';
import { createOrUpdateResource, deleteResource, requireResource } from '../../engine/operations/resources';
import { parseIdentityType } from '../../engine/operations/identities';
import { authorize } from '../../engine/lab/authorization';
import { parseResourceId } from '../../engine/azure/resourceId';
import { LabError } from '../../engine/base/errors';
import { readableResources } from '../../engine/lab/visibility';
import type { CommandSpec, GroupSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import { LOCATION, OPTIONAL_RESOURCE_GROUP, RESOURCE_GROUP } from './common';
import { resourceOutput } from './azOutput';

export const RESOURCE_GROUPS: GroupSpec[] = [{ name: 'resource', summary: 'Manage Azure resources.' }];

const IDS = {
  dest: 'ids',
  names: ['--ids'],
  kind: 'list',
  required: true,
  help: "One or more resource IDs (space-delimited). It should be a complete resource ID containing all information of 'Resource Id' arguments.",
} as const;

/** `--properties` as az reads it: a JSON object (the lab cannot read `@file` paths). */
function parseJsonObject(text: string, option: string): Record<string, unknown> {
  if (text.startsWith('@')) throw new AzCliError(`The lab cannot read files: pass ${option} as inline JSON.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // azure-cli core/util.py shell_safe_json_parse.
    throw new AzCliError(`Failed to parse string as JSON:\n${text}\nError detail: ${(error as Error).message}`);
  }
  if (!isJsonObject(value)) throw new AzCliError(`${option} must be a JSON object.`);
  return value;
}

/** The `identity` of a full resource object: its type and the user-assigned identity ids. */
function identityOf(full: Record<string, unknown>): { systemAssigned: boolean; userAssigned: string[] } | undefined {
  const identity = full['identity'] as Record<string, unknown> | undefined;
  if (!identity) return undefined;
  const type = parseIdentityType(String(identity['type'] ?? ''));
  if (!type) {
    throw new AzCliError(
      `The identity type '${String(identity['type'])}' is not valid. Use 'SystemAssigned', 'UserAssigned', 'SystemAssigned, UserAssigned' or 'None'.`,
    );
  }
  const userAssigned = Object.keys((identity['userAssignedIdentities'] as Record<string, unknown> | undefined) ?? {});
  return { systemAssigned: type.systemAssigned, userAssigned: type.userAssigned ? userAssigned : [] };
}

export const RESOURCE_COMMANDS: CommandSpec[] = [
  {
    name: 'resource create',
    summary: 'Create a resource.',
    mutates: true,
    options: [
      RESOURCE_GROUP,
      { dest: 'resource_name', names: ['--name', '-n'], required: true, help: 'The resource name. (Ex: myC)' },
      {
        dest: 'resource_type',
        names: ['--resource-type'],
        required: true,
        help: "The resource type (Ex: 'resC'). Can also accept namespace/type format (Ex: 'Microsoft.Provider/resC')",
      },
      {
        dest: 'properties',
        names: ['--properties', '-p'],
        required: true,
        freeText: true,
        help: 'A JSON-formatted string containing resource properties.',
      },
      {
        dest: 'is_full_object',
        names: ['--is-full-object'],
        kind: 'flag',
        help: 'Indicate that the properties object includes other options such as location, tags, sku, and/or plan.',
      },
      LOCATION,
      { dest: 'api_version', names: ['--api-version'], help: 'The api version of the resource (omit for the latest stable version).' },
    ],
    run: (ctx, args) => {
      const body = parseJsonObject(args.req('properties'), '--properties');
      const full = args.flag('is_full_object');
      const identity = full ? identityOf(body) : undefined;
      const location = args.str('location') ?? (full && typeof body['location'] === 'string' ? body['location'] : undefined);
      const kind = full && typeof body['kind'] === 'string' ? body['kind'] : undefined;
      const tags = full && isJsonObject(body['tags']) ? (body['tags'] as Record<string, string>) : undefined;
      const properties = full ? ((body['properties'] as Record<string, unknown> | undefined) ?? {}) : body;
      const resource = createOrUpdateResource(ctx.lab, ctx.caller, {
        subscriptionId: ctx.subscriptionId,
        resourceGroup: args.req('resource_group_name'),
        type: args.req('resource_type'),
        name: args.req('resource_name'),
        ...(kind ? { kind } : {}),
        ...(location ? { location } : {}),
        ...(tags ? { tags } : {}),
        properties,
        ...(identity ? { identity } : {}),
      });
      return resourceOutput(ctx.lab, resource);
    },
  },
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
      const type = args.str('resource_type');
      return readableResources(ctx.lab, ctx.caller, {
        subscriptionId: ctx.subscriptionId,
        ...(group !== undefined ? { resourceGroup: group } : {}),
        ...(type !== undefined ? { type } : {}),
      }).map(r => resourceOutput(ctx.lab, r));
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
      const existing = ids.map(id => ctx.lab.arm.resource(id)).filter(r => r !== undefined);
      for (const r of existing) authorize(ctx.lab, ctx.caller, `${r.type}/delete`, r.id);
      for (const r of existing) if (ctx.lab.arm.resource(r.id)) deleteResource(ctx.lab, ctx.caller, r.id);
      return undefined;
    },
  },
];
