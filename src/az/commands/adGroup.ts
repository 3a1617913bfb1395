// `az ad group …` and `az ad group member …`: Microsoft Entra security groups through Microsoft
// Graph (azure-cli role module, custom.py create_group … check_group_membership, and
// _validators.py validate_group). Output is Graph's group object (v1.0 "Create group" response,
// example 2: a security group); Graph's errors print as az prints them, `ERROR: <message>`.
import type { Lab } from '../../engine/lab/lab';
import { isLabError } from '../../engine/base/errors';
import { isGuid } from '../../engine/base/ids';
import {
  addGroupMember,
  createGroup,
  deleteGroup,
  directoryObjectKind,
  groupsNamed,
  removeGroupMember,
  requireGroup,
} from '../../engine/operations/groups';
import type { ReadonlyGroup } from '../../engine/state/labState';
import type { CommandSpec, GroupSpec, OptionSpec } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import { servicePrincipalOutput, userOutput } from './account';

export const AD_GROUP_GROUPS: GroupSpec[] = [
  { name: 'ad group', summary: 'Manage Microsoft Entra groups.' },
  { name: 'ad group member', summary: 'Manage Microsoft Entra group membership.' },
];

const GROUP: OptionSpec = {
  dest: 'group_id',
  names: ['--group', '-g'],
  required: true,
  help: "Group's object id or display name(prefix also works if there is a unique match).",
};
const MEMBER: OptionSpec = {
  dest: 'member_object_id',
  names: ['--member-id'],
  required: true,
  help: 'The object ID of the contact, group, user, or service principal.',
};

/** Graph's securityIdentifier: S-1-12-1- and the object id's 16 bytes as four little-endian numbers (as .NET orders a GUID's bytes). */
function securityIdentifier(objectId: string): string {
  const hex = objectId.replace(/-/g, '');
  const byte = (i: number) => parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const guidBytes = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15].map(byte);
  const words = [0, 4, 8, 12].map(
    i => (guidBytes[i]! | (guidBytes[i + 1]! << 8) | (guidBytes[i + 2]! << 16) | (guidBytes[i + 3]! << 24)) >>> 0,
  );
  return `S-1-12-1-${words.join('-')}`;
}

const graphTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** A group as Microsoft Graph returns it (the default properties of a security group). */
export function groupOutput(group: ReadonlyGroup, context = true): Record<string, unknown> {
  return {
    ...(context ? { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#groups/$entity' } : {}),
    classification: null,
    createdDateTime: graphTime(group.createdAt),
    creationOptions: [],
    deletedDateTime: null,
    description: group.description ?? null,
    displayName: group.displayName,
    expirationDateTime: null,
    groupTypes: [],
    id: group.objectId,
    isAssignableToRole: null,
    mail: null,
    mailEnabled: false,
    mailNickname: group.mailNickname,
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesDomainName: null,
    onPremisesLastSyncDateTime: null,
    onPremisesNetBiosName: null,
    onPremisesProvisioningErrors: [],
    onPremisesSamAccountName: null,
    onPremisesSecurityIdentifier: null,
    onPremisesSyncEnabled: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: [],
    renewedDateTime: graphTime(group.createdAt),
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: [],
    securityEnabled: true,
    securityIdentifier: securityIdentifier(group.objectId),
    theme: null,
    visibility: null,
  };
}

/** _validators.py validate_group: an object id as given; a display name exactly, then as a unique prefix. */
export function resolveGroup(lab: Lab, value: string): ReadonlyGroup {
  if (isGuid(value)) return graph(() => requireGroup(lab, value));
  const exact = lab.directory.groups.filter(g => g.displayName === value);
  const matches = exact.length ? exact : lab.directory.groups.filter(g => g.displayName.startsWith(value));
  if (matches.length === 0) throw new AzCliError(`No group matches the name of '${value}'`);
  if (matches.length > 1) throw new AzCliError(`More than one group match the name of '${value}'`);
  return matches[0]!;
}

/** Graph's errors reach the user as `ERROR: <Graph's message>` (azure-cli's GraphError). */
function graph<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isLabError(error) && error.code.startsWith('Request_')) throw new AzCliError(error.message);
    throw error;
  }
}

/** A member as `az ad group member list` prints it: the directory object with its @odata.type. */
function memberOutput(lab: Lab, objectId: string): Record<string, unknown> | undefined {
  const withType = (type: string, body: Record<string, unknown>) => {
    const { ['@odata.context']: _context, ...rest } = body;
    return { '@odata.type': `#microsoft.graph.${type}`, ...rest };
  };
  switch (directoryObjectKind(lab, objectId)) {
    case 'group':
      return withType('group', groupOutput(lab.directory.group(objectId)!, false));
    case 'servicePrincipal':
      return withType('servicePrincipal', servicePrincipalOutput(lab, objectId));
    case 'user':
      return withType('user', userOutput(lab));
    default:
      return undefined;
  }
}

export const AD_GROUP_COMMANDS: CommandSpec[] = [
  {
    name: 'ad group create',
    summary: 'Create a group in the directory.',
    noSubscription: true,
    mutates: true,
    options: [
      { dest: 'display_name', names: ['--display-name'], required: true, freeText: true, help: "Object's display name or its prefix." },
      { dest: 'mail_nickname', names: ['--mail-nickname'], required: true, help: 'Mail nickname.' },
      { dest: 'description', names: ['--description'], freeText: true, help: 'Group description.' },
      {
        dest: 'force',
        names: ['--force'],
        kind: 'flag',
        help: 'Always create a new group instead of updating the one with same display and mail nickname.',
      },
    ],
    examples: [{ name: 'Create a security group', text: 'az ad group create --display-name kv-readers --mail-nickname kv-readers' }],
    run: (ctx, args) => {
      const displayName = args.req('display_name');
      const mailNickname = args.req('mail_nickname');
      if (!args.flag('force')) {
        // custom.py create_group: idempotent unless --force.
        const matches = groupsNamed(ctx.lab, displayName, mailNickname);
        if (matches.length > 1) {
          throw new AzCliError(
            `There is more than one group with the same display and nick names: "${matches.map(g => g.objectId).join(', ')}". Please delete them first.`,
          );
        }
        if (matches.length === 1) {
          ctx.warn('A group with the same display name and mail nickname already exists, returning.');
          return groupOutput(matches[0]!);
        }
      }
      const description = args.str('description');
      return groupOutput(
        graph(() => createGroup(ctx.lab, { displayName, mailNickname, ...(description !== undefined ? { description } : {}) })),
      );
    },
  },
  {
    name: 'ad group show',
    summary: 'Get the details of a group.',
    noSubscription: true,
    options: [GROUP],
    run: (ctx, args) => groupOutput(resolveGroup(ctx.lab, args.req('group_id'))),
  },
  {
    name: 'ad group list',
    summary: 'List groups in the directory.',
    noSubscription: true,
    options: [
      { dest: 'display_name', names: ['--display-name'], freeText: true, help: "Object's display name or its prefix." },
      {
        dest: 'query_filter',
        names: ['--filter'],
        freeText: true,
        help: "OData filter, e.g. --filter \"displayname eq 'test' and servicePrincipalType eq 'Application'\".",
      },
    ],
    run: (ctx, args) => {
      let groups = ctx.lab.directory.groups;
      const filter = args.str('query_filter');
      if (filter !== undefined) {
        const match = /^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
        if (!match) {
          throw new AzCliError(
            `The lab's az ad group list understands --filter "displayName eq 'NAME'" only, not '${filter.slice(0, 100)}'.`,
          );
        }
        const name = match[1]!.replace(/''/g, "'");
        groups = groups.filter(g => g.displayName === name);
      }
      const prefix = args.str('display_name');
      if (prefix !== undefined) groups = groups.filter(g => g.displayName.startsWith(prefix));
      return groups.map(g => groupOutput(g, false));
    },
  },
  {
    name: 'ad group delete',
    summary: 'Delete a group from the directory.',
    noSubscription: true,
    mutates: true,
    options: [GROUP],
    run: (ctx, args) => {
      const group = resolveGroup(ctx.lab, args.req('group_id'));
      graph(() => deleteGroup(ctx.lab, group.objectId));
      return undefined;
    },
  },
  {
    name: 'ad group member add',
    summary: 'Add a member to a group.',
    noSubscription: true,
    mutates: true,
    options: [GROUP, MEMBER],
    examples: [
      {
        name: 'Add a managed identity (its principal id) to a group',
        text: 'az ad group member add --group kv-readers --member-id $(az identity show -g rg-lab -n id-app --query principalId -o tsv)',
      },
    ],
    run: (ctx, args) => {
      const group = resolveGroup(ctx.lab, args.req('group_id'));
      graph(() => addGroupMember(ctx.lab, group.objectId, args.req('member_object_id')));
      return undefined;
    },
  },
  {
    name: 'ad group member remove',
    summary: 'Remove a member from a group.',
    noSubscription: true,
    mutates: true,
    options: [GROUP, MEMBER],
    run: (ctx, args) => {
      const group = resolveGroup(ctx.lab, args.req('group_id'));
      graph(() => removeGroupMember(ctx.lab, group.objectId, args.req('member_object_id')));
      return undefined;
    },
  },
  {
    name: 'ad group member list',
    summary: 'Get the members of a group.',
    noSubscription: true,
    options: [GROUP],
    run: (ctx, args) => {
      const group = resolveGroup(ctx.lab, args.req('group_id'));
      return group.members.map(m => memberOutput(ctx.lab, m.objectId)).filter(Boolean);
    },
  },
  {
    name: 'ad group member check',
    summary: 'Check if a member is in a group.',
    noSubscription: true,
    options: [GROUP, MEMBER],
    run: (ctx, args) => {
      const group = resolveGroup(ctx.lab, args.req('group_id'));
      const member = args.req('member_object_id');
      // Graph's checkMemberGroups is transitive: membership through a nested group counts.
      return { value: ctx.lab.directory.memberOf(member).some(g => g.toLowerCase() === group.objectId.toLowerCase()) };
    },
  },
];
