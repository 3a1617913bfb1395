// Role definitions: Azure's built-ins (real GUIDs and permissions) and the lab's custom roles.
import type { CustomRoleState, ReadonlyCustomRole } from './labState';
import { isGuid } from '../base/ids';
import type { RolePermission } from '../azure/builtInRoles';
import { BUILT_IN_ROLES } from '../azure/builtInRoles';

export interface RoleDefinition {
  /** The GUID (ARM `name`). */
  name: string;
  roleName: string;
  description: string;
  roleType: 'BuiltInRole' | 'CustomRole';
  permissions: readonly RolePermission[];
  assignableScopes: readonly string[];
  /** For built-in roles: the docs page (service) Microsoft files the role under. */
  category?: string;
}

const ROLE_DEFINITION_ID = /^(?:\/subscriptions\/[^/]+)?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-f-]{36})$/i;

/** `/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}`, as ARM reports it within a subscription. */
export const roleDefinitionId = (subscriptionId: string, guid: string): string =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/** The GUID in a role definition id (subscription-level or tenant-level form), or the GUID itself. */
export function roleGuidOf(idOrGuid: string): string | undefined {
  const trimmed = idOrGuid.trim();
  if (isGuid(trimmed)) return trimmed.toLowerCase();
  return ROLE_DEFINITION_ID.exec(trimmed)?.[1]?.toLowerCase();
}

const builtIns: RoleDefinition[] = BUILT_IN_ROLES.map(role => ({
  name: role.name,
  roleName: role.roleName,
  description: role.description,
  roleType: 'BuiltInRole',
  permissions: role.permissions,
  assignableScopes: ['/'],
  category: role.category,
}));

/** What readers of a lab may do with its role definitions (role definitions themselves are read-only values). */
export interface ReadonlyRoleDefinitions {
  readonly customRoles: readonly ReadonlyCustomRole[];
  readonly all: readonly RoleDefinition[];
  readonly custom: readonly RoleDefinition[];
  byGuid(guid: string): RoleDefinition | undefined;
  get(guidOrId: string): RoleDefinition | undefined;
  named(roleName: string): readonly RoleDefinition[];
  resolve(nameOrId: string): RoleDefinition | undefined;
}

export class RoleDefinitions implements ReadonlyRoleDefinitions {
  private readonly byGuidMap = new Map<string, RoleDefinition>();
  private readonly byRoleName = new Map<string, RoleDefinition[]>();
  private readonly customStates = new Map<string, CustomRoleState>();

  constructor(custom: readonly CustomRoleState[]) {
    for (const role of builtIns) this.index(role);
    for (const role of custom) this.addCustom(role);
  }

  /** The custom roles as saved. */
  get customRoles(): CustomRoleState[] {
    return [...this.customStates.values()];
  }

  private index(role: RoleDefinition): void {
    this.byGuidMap.set(role.name.toLowerCase(), role);
    const key = role.roleName.toLowerCase();
    this.byRoleName.set(key, [...(this.byRoleName.get(key) ?? []), role]);
  }

  get all(): RoleDefinition[] {
    return [...this.byGuidMap.values()];
  }

  get custom(): RoleDefinition[] {
    return this.all.filter(r => r.roleType === 'CustomRole');
  }

  /** By lower-case GUID, with no parsing (the hot path). */
  byGuid(guid: string): RoleDefinition | undefined {
    return this.byGuidMap.get(guid);
  }

  get(guidOrId: string): RoleDefinition | undefined {
    const guid = roleGuidOf(guidOrId);
    return guid ? this.byGuidMap.get(guid) : undefined;
  }

  /** All roles with this display name (custom roles may repeat a name across scopes). */
  named(roleName: string): RoleDefinition[] {
    return this.byRoleName.get(roleName.trim().toLowerCase()) ?? [];
  }

  /** A role by GUID, role definition id, or name — the ways `az role assignment create --role` accepts. */
  resolve(nameOrId: string): RoleDefinition | undefined {
    return this.get(nameOrId) ?? (this.named(nameOrId).length === 1 ? this.named(nameOrId)[0] : undefined);
  }

  addCustom(role: CustomRoleState): RoleDefinition {
    this.customStates.set(role.name.toLowerCase(), role);
    const definition = fromCustom(role);
    this.index(definition);
    return definition;
  }

  removeCustom(guid: string): void {
    const role = this.byGuidMap.get(guid.toLowerCase());
    if (!role || role.roleType !== 'CustomRole') return;
    this.byGuidMap.delete(guid.toLowerCase());
    this.customStates.delete(guid.toLowerCase());
    const key = role.roleName.toLowerCase();
    const rest = (this.byRoleName.get(key) ?? []).filter(r => r !== role);
    if (rest.length) this.byRoleName.set(key, rest);
    else this.byRoleName.delete(key);
  }
}

function fromCustom(role: CustomRoleState): RoleDefinition {
  return {
    name: role.name,
    roleName: role.roleName,
    description: role.description,
    roleType: 'CustomRole',
    permissions: role.permissions,
    assignableScopes: role.assignableScopes,
  };
}
