// `az sql server create|show|list`, `az sql server ad-admin create|list` and `az sql db
// create|show|list` (azure-cli sql module: _params.py, custom.py server_create and
// server_ad_admin_set, _help.py). The lab's Azure SQL answers TDS on its own port; these
// commands make the server, its Microsoft Entra admin and its databases.
import { createOrUpdateResource } from '../../engine/operations/resources';
import { setSqlEntraAdmin } from '../../engine/services/sql/servers';
import { newGuid } from '../../engine/base/ids';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { CommandContext, CommandSpec, GroupSpec, OptionSpec } from '../cli/spec';
import { AzCliError, AzServiceError } from '../cli/errors';
import { getResource, listResources, LOCATION, OPTIONAL_RESOURCE_GROUP, RESOURCE_GROUP } from './common';
import { sqlAdminOutput, sqlDatabaseOutput, sqlServerOutput } from './azOutput';

export const SQL_GROUPS: GroupSpec[] = [
  { name: 'sql', summary: 'Manage Azure SQL Databases and Data Warehouses.' },
  { name: 'sql server', summary: 'Manage SQL servers.' },
  { name: 'sql server ad-admin', summary: "Manage a server's Active Directory administrator." },
  { name: 'sql db', summary: 'Manage databases.' },
];

const SERVER_CONFIGURE = 'You can configure the default using `az configure --defaults sql-server=<name>`';
const SERVER_NAME: OptionSpec = {
  dest: 'server_name',
  names: ['--name', '-n'],
  required: true,
  help: `Name of the Azure SQL server. ${SERVER_CONFIGURE}`,
};
const SERVER: OptionSpec = {
  dest: 'server_name',
  names: ['--server', '-s'],
  required: true,
  help: `Name of the Azure SQL server. ${SERVER_CONFIGURE}`,
};
/** ad-admin kept its first spelling, --server-name, beside --server and -s (_params.py). */
const AD_ADMIN_SERVER: OptionSpec = { ...SERVER, names: ['--server-name', '--server', '-s'] };

/** ARM's answer for a value the SQL resource provider refuses (its wording for Login is seen in real deployments). */
const invalidParameter = (name: string) =>
  new AzServiceError('InvalidParameterValue', `Invalid value given for parameter ${name}. Specify a valid parameter value.`, 400);

interface Objective {
  sku: { name: string; tier: string; family?: string; capacity: number };
  kind: string;
  maxSizeBytes: number;
}

const GB = 1024 ** 3;
/** Service objectives and what ARM reports for them (az sql db list-editions; the capture in sqlDatabaseOutput). */
function objective(name: string): Objective | undefined {
  const dtu: Record<string, [string, number, number]> = {
    basic: ['Basic', 5, 2 * GB],
    s0: ['Standard', 10, 250 * GB],
    s1: ['Standard', 20, 250 * GB],
    s2: ['Standard', 50, 250 * GB],
    s3: ['Standard', 100, 250 * GB],
    p1: ['Premium', 125, 500 * GB],
    p2: ['Premium', 250, 500 * GB],
  };
  const fixed = dtu[name.toLowerCase()];
  if (fixed) {
    return {
      sku: { name: fixed[0], tier: fixed[0], capacity: fixed[1] },
      kind: 'v12.0,user',
      maxSizeBytes: fixed[2],
    };
  }
  const vcore = /^(GP|BC|HS)(_S)?_(Gen5|Gen4|DC|FSv2)_(\d+)$/i.exec(name);
  if (!vcore) return undefined;
  const tier = { GP: 'GeneralPurpose', BC: 'BusinessCritical', HS: 'Hyperscale' }[vcore[1]!.toUpperCase() as 'GP' | 'BC' | 'HS'];
  const serverless = Boolean(vcore[2]);
  return {
    sku: { name: `${vcore[1]!.toUpperCase()}${serverless ? '_S' : ''}_${vcore[3]}`, tier, family: vcore[3]!, capacity: Number(vcore[4]) },
    kind: `v12.0,user,vcore${serverless ? ',serverless' : ''}`,
    maxSizeBytes: 32 * GB,
  };
}

const EDITION_PREFIX: Record<string, string> = { generalpurpose: 'GP', businesscritical: 'BC', hyperscale: 'HS' };

/** The service objective a create asks for: --service-objective, or --edition with --family/--capacity (default GP_Gen5_2). */
function requestedObjective(
  service: string | undefined,
  edition: string | undefined,
  family: string | undefined,
  capacity: string | undefined,
): string {
  if (service) return service;
  if (!edition) return 'GP_Gen5_2';
  const prefix = EDITION_PREFIX[edition.toLowerCase()];
  const dtuEditions: Record<string, string> = { basic: 'Basic', standard: 'S0', premium: 'P1' };
  if (!prefix) return dtuEditions[edition.toLowerCase()] ?? edition;
  return `${prefix}_${family ?? 'Gen5'}_${capacity ?? '2'}`;
}

function findServer(ctx: CommandContext, group: string, name: string): ReadonlyResource {
  return getResource(ctx, 'sqlserver', group, name);
}

export const SQL_COMMANDS: CommandSpec[] = [
  {
    name: 'sql server create',
    summary: 'Create a server.',
    mutates: true,
    options: [
      SERVER_NAME,
      RESOURCE_GROUP,
      LOCATION,
      {
        dest: 'administrator_login',
        names: ['--admin-user', '-u'],
        help: 'Administrator username for the server. Once created it cannot be changed.',
      },
      {
        dest: 'administrator_login_password',
        names: ['--admin-password', '-p'],
        freeText: true,
        help: 'The administrator login password (required for server creation).',
      },
      {
        dest: 'enable_ad_only_auth',
        names: ['--enable-ad-only-auth'],
        kind: 'flag',
        help: 'Enable Azure Active Directory Only Authentication for this server.',
      },
      {
        dest: 'external_admin_name',
        names: ['--external-admin-name'],
        help: 'Display name of the Azure AD administrator user, group or application.',
      },
      {
        dest: 'external_admin_sid',
        names: ['--external-admin-sid'],
        help: 'The unique ID of the Azure AD administrator. Object Id for User or Group, Client Id for Applications',
      },
      { dest: 'external_admin_principal_type', names: ['--external-admin-principal-type'], help: 'User, Group or Application' },
      {
        dest: 'assign_identity',
        names: ['--assign-identity', '-i'],
        kind: 'flag',
        help: 'Generate and assign an Azure Active Directory Identity for this server for use with key management services like Azure KeyVault.',
      },
      {
        dest: 'minimal_tls_version',
        names: ['--minimal-tls-version'],
        choices: ['1.0', '1.1', '1.2', '1.3', 'None'],
        help: 'The minimal TLS version enforced by the sql server for inbound connections.',
      },
      {
        dest: 'enable_public_network',
        names: ['--enable-public-network', '-e'],
        choices: ['false', 'true'],
        help: 'Set whether public network access to server is allowed or not. When false,only connections made through Private Links can reach this server.',
      },
    ],
    examples: [
      { name: 'Create a server.', text: 'az sql server create -l westus -g mygroup -n myserver -u myadminuser -p myadminpassword' },
      {
        name: 'Create a server without SQL Admin, with AD admin and AD Only enabled.',
        text: [
          'az sql server create --enable-ad-only-auth --external-admin-principal-type User --external-admin-name myUserName',
          '--external-admin-sid c5e964e2-6bb2-1111-1111-3b16ec0e1234 -g myResourceGroup -n myServer',
        ].join(' '),
      },
    ],
    run: (ctx, args) => {
      const login = args.str('administrator_login');
      const adOnly = args.flag('enable_ad_only_auth');
      const externalName = args.str('external_admin_name');
      const externalSid = args.str('external_admin_sid');
      // The resource provider needs a SQL admin unless the server is Entra-only with an Entra admin.
      if (!adOnly && !login) throw invalidParameter('Login');
      if (login && !args.str('administrator_login_password')) throw invalidParameter('Password');
      if ((adOnly || externalName || externalSid) && (!externalName || !externalSid)) throw invalidParameter('Login');
      const location = args.str('location');
      const publicNetwork = args.str('enable_public_network');
      const server = createOrUpdateResource(ctx.lab, ctx.caller, {
        subscriptionId: ctx.subscriptionId,
        resourceGroup: args.req('resource_group_name'),
        type: 'sqlserver',
        name: args.req('server_name'),
        ...(location ? { location } : {}),
        ...(args.flag('assign_identity') ? { identity: { systemAssigned: true } } : {}),
        properties: {
          ...(login ? { administratorLogin: login } : {}),
          minimalTlsVersion: args.str('minimal_tls_version') ?? '1.2',
          ...(publicNetwork ? { publicNetworkAccess: publicNetwork === 'false' ? 'Disabled' : 'Enabled' } : {}),
        },
      });
      if (externalName && externalSid) {
        setSqlEntraAdmin(ctx.lab, ctx.caller, server.id, externalSid, { login: externalName, azureADOnlyAuthentication: adOnly });
      }
      return sqlServerOutput(ctx.lab, ctx.lab.arm.resource(server.id)!);
    },
  },
  {
    name: 'sql server show',
    summary: 'Gets a server.',
    options: [SERVER_NAME, RESOURCE_GROUP],
    run: (ctx, args) => sqlServerOutput(ctx.lab, findServer(ctx, args.req('resource_group_name'), args.req('server_name'))),
  },
  {
    name: 'sql server list',
    summary: 'List available servers.',
    options: [OPTIONAL_RESOURCE_GROUP],
    run: (ctx, args) => listResources(ctx, 'sqlserver', args.str('resource_group_name')).map(s => sqlServerOutput(ctx.lab, s)),
  },
  {
    name: 'sql server ad-admin create',
    summary: 'Create a new server Active Directory administrator.',
    mutates: true,
    options: [
      AD_ADMIN_SERVER,
      RESOURCE_GROUP,
      { dest: 'login', names: ['--display-name', '-u'], required: true, help: 'Display name of the Azure AD administrator user or group.' },
      { dest: 'sid', names: ['--object-id', '-i'], required: true, help: 'The unique ID of the Azure AD administrator.' },
    ],
    run: (ctx, args) => {
      const server = findServer(ctx, args.req('resource_group_name'), args.req('server_name'));
      setSqlEntraAdmin(ctx.lab, ctx.caller, server.id, args.req('sid'), { login: args.req('login') });
      return sqlAdminOutput(ctx.lab.arm.resource(server.id)!);
    },
  },
  {
    name: 'sql server ad-admin list',
    summary: "List a server's Active Directory administrators.",
    options: [AD_ADMIN_SERVER, RESOURCE_GROUP],
    run: (ctx, args) => {
      const admin = sqlAdminOutput(findServer(ctx, args.req('resource_group_name'), args.req('server_name')));
      return admin ? [admin] : [];
    },
  },
  {
    name: 'sql db create',
    summary: 'Create a database.',
    longSummary: 'A full list of performance level options can be seen by executing `az sql db list-editions -a -o table -l LOCATION`.',
    mutates: true,
    options: [
      { dest: 'database_name', names: ['--name', '-n'], required: true, help: 'Name of the Azure SQL Database.' },
      SERVER,
      RESOURCE_GROUP,
      {
        dest: 'service_objective',
        names: ['--service-objective', '--service-level-objective'],
        group: 'Performance Level',
        help: 'The service objective for the new database. For example: Basic, S0, P1, GP_Gen4_1, GP_Gen5_S_8, BC_Gen5_2, HS_Gen5_32.',
      },
      {
        dest: 'tier',
        names: ['--tier', '--edition', '-e'],
        group: 'Performance Level (components)',
        help: 'The edition component of the sku. Allowed values include: Basic, Standard, Premium, GeneralPurpose, BusinessCritical, Hyperscale.',
      },
      {
        dest: 'family',
        names: ['--family', '-f'],
        group: 'Performance Level (components)',
        help: 'The compute generation component of the sku (for vcore skus only). Allowed values include: Gen4, Gen5.',
      },
      {
        dest: 'capacity',
        names: ['--capacity', '-c'],
        group: 'Performance Level (components)',
        help: 'The capacity component of the sku in integer number of DTUs or vcores.',
      },
      { dest: 'collation', names: ['--collation'], group: 'Creation', help: 'The collation of the database.' },
      {
        dest: 'zone_redundant',
        names: ['--zone-redundant', '-z'],
        choices: ['false', 'true'],
        help: 'Specifies whether to enable zone redundancy',
      },
      {
        dest: 'backup_storage_redundancy',
        names: ['--backup-storage-redundancy', '--bsr'],
        choices: ['Geo', 'Local', 'Zone'],
        help: 'Backup storage redundancy used to store backups. Allowed values include: Local, Zone, Geo.',
      },
    ],
    examples: [
      { name: 'Create a Standard S0 database.', text: 'az sql db create -g mygroup -s myserver -n mydb --service-objective S0' },
      {
        name: 'Create a database with GeneralPurpose edition, Gen4 hardware and 1 vcore',
        text: 'az sql db create -g mygroup -s myserver -n mydb -e GeneralPurpose -f Gen4 -c 1',
      },
    ],
    run: (ctx, args) => {
      const group = args.req('resource_group_name');
      const server = findServer(ctx, group, args.req('server_name'));
      const wanted = requestedObjective(args.str('service_objective'), args.str('tier'), args.str('family'), args.str('capacity'));
      const chosen = objective(wanted);
      if (!chosen) {
        throw new AzCliError(
          `The lab knows the service objectives Basic, S0-S3, P1, P2 and GP/BC/HS_Gen5_N (vCores); '${wanted}' is not one of them.`,
        );
      }
      const database = createOrUpdateResource(ctx.lab, ctx.caller, {
        subscriptionId: ctx.subscriptionId,
        resourceGroup: group,
        type: 'sqldb',
        name: `${server.name}/${args.req('database_name')}`,
        location: server.location,
        properties: {
          status: 'Online',
          collation: args.str('collation') ?? 'SQL_Latin1_General_CP1_CI_AS',
          databaseId: newGuid(),
          sku: chosen.sku,
          kind: chosen.kind,
          maxSizeBytes: chosen.maxSizeBytes,
          requestedServiceObjectiveName: wanted.replace(/^(gp|bc|hs)/i, m => m.toUpperCase()),
          requestedBackupStorageRedundancy: args.str('backup_storage_redundancy') ?? 'Geo',
          zoneRedundant: args.str('zone_redundant') === 'true',
        },
      });
      return sqlDatabaseOutput(database);
    },
  },
  {
    name: 'sql db show',
    summary: 'Get the details for a database.',
    options: [
      { dest: 'database_name', names: ['--name', '-n'], required: true, help: 'Name of the Azure SQL Database.' },
      SERVER,
      RESOURCE_GROUP,
    ],
    run: (ctx, args) => {
      const server = findServer(ctx, args.req('resource_group_name'), args.req('server_name'));
      return sqlDatabaseOutput(getResource(ctx, 'sqldb', args.req('resource_group_name'), `${server.name}/${args.req('database_name')}`));
    },
  },
  {
    name: 'sql db list',
    summary: 'List databases on a server or elastic pool.',
    options: [SERVER, RESOURCE_GROUP],
    run: (ctx, args) => {
      const server = findServer(ctx, args.req('resource_group_name'), args.req('server_name'));
      return listResources(ctx, 'sqldb', args.req('resource_group_name'))
        .filter(d => d.id.toLowerCase().startsWith(`${server.id.toLowerCase()}/`))
        .map(d => sqlDatabaseOutput(d));
    },
  },
];
