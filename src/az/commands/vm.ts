// `az vm …` and `az vmss …` (azure-cli vm module): create, delete, show, list and the
// identity commands. The lab models a VM's identity, size, image and admin user; networking is
// not simulated, so the create output's addresses are made up (stable per VM).
import { createOrUpdateResource } from '../../engine/operations/resources';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { CommandContext, CommandSpec, GroupSpec, OptionSpec, Args } from '../cli/spec';
import { AzCliError } from '../cli/errors';
import {
  deleteIfExists,
  getResource,
  listResources,
  LOCATION,
  nameOption,
  NO_WAIT,
  OPTIONAL_RESOURCE_GROUP,
  parseTags,
  RESOURCE_GROUP,
  requireConfirmation,
  TAGS,
  YES,
} from './common';
import {
  assignIdentities,
  checkRoleForNewIdentity,
  grantRole,
  IDENTITY_ARGUMENTS,
  identitiesOption,
  missingAccessWarning,
  planIdentities,
  removeIdentities,
  ROLE_OPTION,
  SCOPE_OPTION,
} from './identityOps';
import { assignedIdentityInfo, identityObject, resourceOutput } from './azOutput';
import { stableGuid, stableNumbers } from './stable';
import { invalidImage } from './messages';

export const VM_GROUPS: GroupSpec[] = [
  { name: 'vm', summary: 'Manage Linux or Windows virtual machines.' },
  { name: 'vm identity', summary: 'Manage service identities of a VM.' },
  { name: 'vmss', summary: 'Manage groupings of virtual machines in an Azure Virtual Machine Scale Set (VMSS).' },
  { name: 'vmss identity', summary: 'Manage service identities of a VM scaling set.' },
];

/** Image aliases `az vm create --image` accepts (az vm image list --query [].urnAlias), with their OS. */
const IMAGE_ALIASES: Record<string, { os: 'linux' | 'windows'; urn: string }> = {
  centos85gen2: { os: 'linux', urn: 'OpenLogic:CentOS:8_5-gen2:latest' },
  debian11: { os: 'linux', urn: 'Debian:debian-11:11-backports-gen2:latest' },
  flatcarlinuxfreegen2: { os: 'linux', urn: 'kinvolk:flatcar-container-linux-free:stable-gen2:latest' },
  opensuseleap154gen2: { os: 'linux', urn: 'SUSE:opensuse-leap-15-4:gen2:latest' },
  rhelraw8lvmgen2: { os: 'linux', urn: 'RedHat:RHEL:8-lvm-gen2:latest' },
  suse: { os: 'linux', urn: 'SUSE:sles-15-sp3:gen2:latest' },
  ubuntults: { os: 'linux', urn: 'Canonical:UbuntuServer:18.04-LTS:latest' },
  ubuntu2204: { os: 'linux', urn: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest' },
  ubuntu2404: { os: 'linux', urn: 'Canonical:ubuntu-24_04-lts:server:latest' },
  win2022datacenter: { os: 'windows', urn: 'MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2:latest' },
  win2022azureeditioncore: { os: 'windows', urn: 'MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition-core:latest' },
  win2019datacenter: { os: 'windows', urn: 'MicrosoftWindowsServer:WindowsServer:2019-Datacenter:latest' },
  win2016datacenter: { os: 'windows', urn: 'MicrosoftWindowsServer:WindowsServer:2016-Datacenter:latest' },
  win2012r2datacenter: { os: 'windows', urn: 'MicrosoftWindowsServer:WindowsServer:2012-R2-Datacenter:latest' },
};

/** azure-cli util.py DISALLOWED_USER_NAMES. */
const DISALLOWED_USERS = new Set([
  'administrator',
  'admin',
  'user',
  'user1',
  'test',
  'user2',
  'test1',
  'user3',
  'admin1',
  '1',
  '123',
  'a',
  'actuser',
  'adm',
  'admin2',
  'aspnet',
  'backup',
  'console',
  'guest',
  'owner',
  'root',
  'server',
  'sql',
  'support',
  'support_388945a0',
  'sys',
  'test2',
  'test3',
  'user4',
  'user5',
]);

function resolveImage(image: string | undefined): {
  os: 'linux' | 'windows';
  publisher: string;
  offer: string;
  sku: string;
  version: string;
} {
  if (!image) throw new AzCliError('usage error: --image IMAGE | --attach-os-disk DISK');
  const alias = IMAGE_ALIASES[image.toLowerCase()];
  const urn = alias?.urn ?? (image.split(':').length === 4 ? image : undefined);
  if (!urn) {
    const names = [
      'CentOS85Gen2',
      'Debian11',
      'FlatcarLinuxFreeGen2',
      'OpenSuseLeap154Gen2',
      'RHELRaw8LVMGen2',
      'SuseSles15SP3',
      'Ubuntu2204',
      'Ubuntu2404',
      'Win2022Datacenter',
      'Win2022AzureEditionCore',
      'Win2019Datacenter',
      'Win2016Datacenter',
      'Win2012R2Datacenter',
    ];
    throw new AzCliError(invalidImage(image, names));
  }
  const [publisher, offer, sku, version] = urn.split(':') as [string, string, string, string];
  return { os: alias?.os ?? (/windows/i.test(urn) ? 'windows' : 'linux'), publisher, offer, sku, version };
}

/** vm/_validators.py _validate_admin_password (plausible wording; the rules are the CLI's). */
function checkPassword(password: string, os: 'linux' | 'windows'): void {
  const max = os === 'linux' ? 72 : 123;
  if (password.length < 12 || password.length > max) throw new AzCliError(`The password length must be between 12 and ${max}`);
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter(r => r.test(password)).length;
  if (kinds < 3) {
    throw new AzCliError(
      'The password must contain at least 3 of the following: 1 lower case character, 1 upper case character, 1 number and 1 special character.',
    );
  }
}

const CREATE_IDENTITY_OPTIONS: OptionSpec[] = [
  {
    dest: 'assign_identity',
    names: ['--assign-identity'],
    kind: 'list',
    optionalValues: true,
    group: IDENTITY_ARGUMENTS,
    help: "Accept system or user assigned identities separated by spaces. Use '[system]' to refer system assigned identity, or a resource id to refer user assigned identity. Check out help for more examples.",
  },
  { ...ROLE_OPTION, group: IDENTITY_ARGUMENTS },
  { ...SCOPE_OPTION, group: IDENTITY_ARGUMENTS },
];

function computeCreateOptions(kind: 'vm' | 'vmss'): OptionSpec[] {
  return [
    nameOption(kind === 'vm' ? 'Name of the virtual machine.' : 'Name of the virtual machine scale set.'),
    RESOURCE_GROUP,
    {
      dest: 'image',
      names: ['--image'],
      help: 'The name of the operating system image as a URN alias, URN, custom image name or ID, custom image version ID, or VHD blob URI. In addition, it also supports shared gallery image. This parameter is required unless using `--attach-os-disk.`',
    },
    {
      dest: 'size',
      names: kind === 'vm' ? ['--size'] : ['--vm-sku'],
      default: 'Standard_DS1_v2',
      help: 'The VM size to be created. See https://azure.microsoft.com/pricing/details/virtual-machines/ for size info.',
    },
    LOCATION,
    TAGS,
    NO_WAIT,
    {
      dest: 'authentication_type',
      names: ['--authentication-type'],
      choices: ['all', 'password', 'ssh'],
      help: 'Type of authentication to use with the VM. Defaults to password for Windows and SSH public key for Linux. "all" enables both ssh and password authentication.',
    },
    {
      dest: 'admin_password',
      names: ['--admin-password'],
      freeText: true,
      help: "Password for the VM if authentication type is 'Password'.",
    },
    { dest: 'admin_username', names: ['--admin-username'], help: 'Username for the VM. Default value is current username of OS.' },
    {
      dest: 'ssh_key_values',
      names: ['--ssh-key-values'],
      kind: 'list',
      freeText: true,
      help: 'Space-separated list of SSH public key or public key file paths.',
    },
    {
      dest: 'generate_ssh_keys',
      names: ['--generate-ssh-keys'],
      kind: 'flag',
      help: 'Generate SSH public and private key files if missing. The keys will be stored in the ~/.ssh directory',
    },
    { dest: 'computer_name', names: ['--computer-name'], help: 'The host OS name of the virtual machine. Defaults to the name of the VM.' },
    {
      dest: 'public_ip_address',
      names: ['--public-ip-address'],
      help: 'Name of the public IP address when creating one (default) or referencing an existing one. Can also reference an existing public IP by ID or specify "" for None (\'""\' in Azure CLI using PowerShell or --% operator).',
    },
    { dest: 'public_ip_sku', names: ['--public-ip-sku'], choices: ['Basic', 'Standard'], help: 'Public IP SKU.' },
    {
      dest: 'nsg',
      names: ['--nsg'],
      help: 'The name to use when creating a new Network Security Group (default) or referencing an existing one.',
    },
    {
      dest: 'vnet_name',
      names: ['--vnet-name'],
      help: 'Name of the virtual network when creating a new one or referencing an existing one.',
    },
    { dest: 'subnet', names: ['--subnet'], help: 'The name of the subnet when creating a new VNet or referencing an existing one.' },
    { dest: 'os_disk_size_gb', names: ['--os-disk-size-gb'], help: 'OS disk size in GB to create.' },
    { dest: 'storage_sku', names: ['--storage-sku'], kind: 'list', help: 'The SKU of the storage account with which to persist VM.' },
    {
      dest: 'zone',
      names: kind === 'vm' ? ['--zone', '-z'] : ['--zones', '-z'],
      help: 'Availability zone into which to provision the resource.',
    },
    {
      dest: 'security_type',
      names: ['--security-type'],
      choices: ['ConfidentialVM', 'Standard', 'TrustedLaunch'],
      help: 'Specify the security type of the virtual machine.',
    },
    ...(kind === 'vmss'
      ? [
          { dest: 'instance_count', names: ['--instance-count'], default: '2', help: 'Number of VMs in the scale set.' },
          {
            dest: 'orchestration_mode',
            names: ['--orchestration-mode'],
            choices: ['Flexible', 'Uniform'],
            default: 'Flexible',
            help: 'Choose how virtual machines are managed by the scale set.',
          },
        ]
      : []),
    ...CREATE_IDENTITY_OPTIONS,
  ];
}

function createCompute(
  ctx: CommandContext,
  args: Args,
  kind: 'vm' | 'vmss',
): { resource: ReadonlyResource; plan?: ReturnType<typeof planIdentities> } {
  const group = args.req('resource_group_name');
  const name = args.req('name');
  const image = resolveImage(args.str('image'));
  const password = args.str('admin_password');
  const username = args.str('admin_username') ?? 'azureuser';
  if (DISALLOWED_USERS.has(username.toLowerCase())) {
    throw new AzCliError(
      `This user name '${username}' meets the general requirements, but is specifically disallowed for this image. Please try a different value.`,
    );
  }
  if (password !== undefined) checkPassword(password, image.os);
  if (image.os === 'windows' && password === undefined) throw new AzCliError('Please specify password in non-interactive mode.');
  if (image.os === 'linux' && password === undefined && !args.flag('generate_ssh_keys') && !args.list('ssh_key_values')) {
    throw new AzCliError(
      'An RSA key file or key value must be supplied to SSH Key Value. You can use --generate-ssh-keys to let CLI generate one for you',
    );
  }
  // vm/_validators.py _validate_vm_vmss_msi (create): --role and --scope go together, and need --assign-identity.
  const assign = args.list('assign_identity');
  const role = args.str('identity_role');
  const scope = args.str('identity_scope');
  if (assign === undefined && (role || scope)) throw new AzCliError('usage error: --assign-identity [--scope SCOPE] [--role ROLE]');
  if (assign !== undefined && Boolean(role) !== Boolean(scope)) {
    throw new AzCliError('usage error: please specify both --role and --scope when assigning a role to the managed identity');
  }
  const plan = assign !== undefined ? planIdentities(ctx, group, assign) : undefined;
  if (plan && scope && !plan.system) throw new AzCliError("usage error: '--scope'/'--role' is only applicable when assign system identity");
  const resolvedRole = plan && scope && role ? checkRoleForNewIdentity(ctx, role, scope) : undefined;

  const location = args.str('location');
  const tags = parseTags(args.list('tags'));
  const resource = createOrUpdateResource(ctx.lab, ctx.caller, {
    subscriptionId: ctx.subscriptionId,
    resourceGroup: group,
    type: kind,
    name,
    ...(location ? { location } : {}),
    ...(tags ? { tags } : {}),
    properties: {
      hardwareProfile: { vmSize: args.str('size') ?? 'Standard_DS1_v2' },
      storageProfile: {
        imageReference: { publisher: image.publisher, offer: image.offer, sku: image.sku, version: image.version },
        osDisk: { osType: image.os === 'linux' ? 'Linux' : 'Windows', createOption: 'FromImage' },
      },
      osProfile: { computerName: args.str('computer_name') ?? name, adminUsername: username },
    },
    ...(plan ? { identity: { systemAssigned: plan.system, userAssigned: plan.userIds } } : {}),
  });
  if (resolvedRole && scope) grantRole(ctx, resource, resolvedRole, scope);
  if (plan?.system && !scope) ctx.warn(missingAccessWarning(group, name, kind));
  return plan ? { resource, plan: { ...plan, ...(role ? { role } : {}), ...(scope ? { scope } : {}) } } : { resource };
}

/** vm/_format.py transform_vm_create_output, with addresses the lab makes up (stable per VM). */
function vmCreateOutput(
  ctx: CommandContext,
  resource: ReadonlyResource,
  plan: ReturnType<typeof planIdentities> | undefined,
): Record<string, unknown> {
  const n = stableNumbers(resource.id);
  return {
    fqdns: '',
    id: resource.id,
    ...(plan ? { identity: assignedIdentityInfo(ctx.lab, resource, plan.scope, plan.role) } : {}),
    location: resource.location,
    macAddress: `00-0D-3A-${n
      .slice(0, 3)
      .map(x => x.toString(16).toUpperCase().padStart(2, '0'))
      .join('-')}`,
    powerState: 'VM running',
    privateIpAddress: '10.0.0.4',
    publicIpAddress: `20.${n[3]! % 200}.${n[4]}.${n[5]}`,
    resourceGroup: resource.id.split('/')[4],
    zones: '',
  };
}

function identityCommands(kind: 'vm' | 'vmss'): CommandSpec[] {
  const noun = kind === 'vm' ? 'virtual machine' : 'virtual machine scale set';
  const nameHelp =
    kind === 'vm'
      ? 'The name of the Virtual Machine. You can configure the default using `az configure --defaults vm=<name>`.'
      : 'Scale set name. You can configure the default using `az configure --defaults vmss=<name>`.';
  const target = [RESOURCE_GROUP, nameOption(nameHelp)];
  return [
    {
      name: `${kind} identity assign`,
      summary: `Enable managed service identity on a ${kind === 'vm' ? 'VM' : 'VMSS'}.`,
      longSummary: `This is required to authenticate and interact with other Azure services using bearer tokens.`,
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
          name: `Enable the system assigned identity on a ${noun} with the 'Reader' role.`,
          text: `az ${kind} identity assign -g MyResourceGroup -n My${kind === 'vm' ? 'Vm' : 'Vmss'} --role Reader --scope /subscriptions/db5eb68e-73e2-4fa8-b18a-0123456789999/resourceGroups/MyResourceGroup`,
        },
        {
          name: `Enable system assigned identity and a user assigned identity on a ${noun}.`,
          text: `az ${kind} identity assign -g MyResourceGroup -n My${kind === 'vm' ? 'Vm' : 'Vmss'} --identities [system] myAssignedId`,
        },
      ],
      run: (ctx, args) => {
        const group = args.req('resource_group_name');
        const host = getResource(ctx, kind, group, args.req('name'));
        const plan = {
          ...planIdentities(ctx, group, args.list('identities')),
          ...(args.str('identity_scope') ? { scope: args.req('identity_scope') } : {}),
          role: args.str('identity_role') ?? 'Contributor',
        };
        assignIdentities(ctx, host, plan, { roleGiven: args.has('identity_role') });
        return assignedIdentityInfo(ctx.lab, host, plan.scope, plan.role);
      },
    },
    {
      name: `${kind} identity remove`,
      summary: `Remove managed service identities from a ${kind === 'vm' ? 'VM' : 'VMSS'}.`,
      mutates: true,
      options: [
        ...target,
        identitiesOption(
          "Space-separated identities to remove. Use '[system]' to refer to the system assigned identity. Default: '[system]'.",
        ),
      ],
      examples: [
        {
          name: `Remove the system assigned identity`,
          text: `az ${kind} identity remove -g MyResourceGroup -n My${kind === 'vm' ? 'Vm' : 'Vmss'}`,
        },
      ],
      run: (ctx, args) => {
        const group = args.req('resource_group_name');
        const host = getResource(ctx, kind, group, args.req('name'));
        removeIdentities(ctx, host, planIdentities(ctx, group, args.list('identities')));
        return identityObject(ctx.lab, host);
      },
    },
    {
      name: `${kind} identity show`,
      summary: `Display ${kind === 'vm' ? 'VM' : 'VM scale set'}'s managed identity info.`,
      options: target,
      run: (ctx, args) => identityObject(ctx.lab, getResource(ctx, kind, args.req('resource_group_name'), args.req('name'))),
    },
  ];
}

function resourceCommands(kind: 'vm' | 'vmss'): CommandSpec[] {
  const nameHelp =
    kind === 'vm'
      ? 'The name of the Virtual Machine. You can configure the default using `az configure --defaults vm=<name>`.'
      : 'Scale set name. You can configure the default using `az configure --defaults vmss=<name>`.';
  return [
    {
      name: `${kind} show`,
      summary: kind === 'vm' ? 'Get the details of a VM.' : 'Get details on VMs within a VMSS.',
      options: [RESOURCE_GROUP, nameOption(nameHelp)],
      run: (ctx, args) => resourceOutput(ctx.lab, getResource(ctx, kind, args.req('resource_group_name'), args.req('name'))),
    },
    {
      name: `${kind} list`,
      summary: kind === 'vm' ? 'List details of Virtual Machines.' : 'List VMSS.',
      options: [OPTIONAL_RESOURCE_GROUP],
      // vm/_format.py transform_vm_list (the lab has no power state to show).
      tableTransformer: rows =>
        (rows as Array<Record<string, unknown>>).map(r => ({
          Name: r['name'],
          ResourceGroup: r['resourceGroup'],
          Location: r['location'],
          Zones: '',
        })),
      run: (ctx, args) => listResources(ctx, kind, args.str('resource_group_name')).map(r => resourceOutput(ctx.lab, r)),
    },
    {
      name: `${kind} delete`,
      summary: kind === 'vm' ? 'Delete a VM.' : 'Delete a VM scale set.',
      mutates: true,
      options: [
        RESOURCE_GROUP,
        nameOption(nameHelp),
        { dest: 'force_deletion', names: ['--force-deletion'], kind: 'flag', help: 'Optional parameter to force delete virtual machines.' },
        NO_WAIT,
        ...(kind === 'vm' ? [YES] : []),
      ],
      run: (ctx, args) => {
        if (kind === 'vm') requireConfirmation(args.flag('yes'));
        deleteIfExists(ctx, kind, args.req('resource_group_name'), args.req('name'));
        return undefined;
      },
    },
  ];
}

export const VM_COMMANDS: CommandSpec[] = [
  {
    name: 'vm create',
    summary: 'Create an Azure Virtual Machine.',
    longSummary: 'For an end-to-end tutorial, see https://docs.microsoft.com/azure/virtual-machines/linux/quick-create-cli.',
    mutates: true,
    options: computeCreateOptions('vm'),
    examples: [
      {
        name: "Create a VM with a system assigned identity. The VM will have a 'Contributor' role with access to a storage account.",
        text: 'az vm create -n MyVm -g rg1 --image Ubuntu2204 --assign-identity --scope /subscriptions/99999999-1bf0-4dda-aec3-cb9272f09590/MyResourceGroup/myRG/providers/Microsoft.Storage/storageAccounts/storage1 --role Contributor --generate-ssh-keys',
      },
      {
        name: 'Create a VM with user assigned identity.',
        text: 'az vm create -n MyVm -g rg1 --image Ubuntu2204 --assign-identity /subscriptions/99999999-1bf0-4dda-aec3-cb9272f09590/resourcegroups/myRG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myID --generate-ssh-keys',
      },
    ],
    run: (ctx, args) => {
      const { resource, plan } = createCompute(ctx, args, 'vm');
      return vmCreateOutput(ctx, resource, plan);
    },
  },
  ...resourceCommands('vm'),
  ...identityCommands('vm'),
  {
    name: 'vmss create',
    summary: 'Create an Azure Virtual Machine Scale Set.',
    mutates: true,
    options: computeCreateOptions('vmss'),
    examples: [
      {
        name: 'Create a VMSS with a system assigned identity.',
        text: 'az vmss create -n MyVmss -g rg1 --image Ubuntu2204 --assign-identity --generate-ssh-keys',
      },
    ],
    run: (ctx, args) => {
      const { resource, plan } = createCompute(ctx, args, 'vmss');
      // vm/custom.py create_vmss: the deployment's output, with the identity info added.
      const {
        id: _id,
        name: _name,
        type: _type,
        location: _location,
        tags: _tags,
        identity: _identity,
        ...properties
      } = resourceOutput(ctx.lab, resource);
      return {
        vmss: {
          ...properties,
          orchestrationMode: args.str('orchestration_mode') ?? 'Flexible',
          uniqueId: stableGuid(resource.id),
          ...(plan ? { identity: assignedIdentityInfo(ctx.lab, resource, plan.scope, plan.role) } : {}),
        },
      };
    },
  },
  ...resourceCommands('vmss'),
  ...identityCommands('vmss'),
];
