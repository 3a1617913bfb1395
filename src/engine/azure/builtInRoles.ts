// Azure's built-in role definitions, as data: builtInRoles.json holds Microsoft's published
// definitions (MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/*.md,
// each role tagged with its page and the page's commit) in the flat shape of
// `az role definition list`. Refresh the file from the source; never edit entries by hand.
import catalogue from './builtInRoles.json';

export interface RolePermission {
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
  /** ABAC condition, kept as published (the lab does not evaluate conditions). */
  readonly condition?: string;
  readonly conditionVersion?: string;
}

export interface BuiltInRole {
  /** The role definition GUID (its ARM `name`). */
  readonly name: string;
  readonly roleName: string;
  readonly description: string;
  readonly permissions: readonly RolePermission[];
  /** The documentation page the definition was read from (`security`, `storage`, …). */
  readonly category: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(v => typeof v === 'string');

/** Checks one entry of the data file, so a bad refresh fails loudly at load rather than deciding access wrongly. */
function checked(entry: (typeof catalogue.roles)[number], index: number): BuiltInRole {
  const where = `builtInRoles.json roles[${index}]`;
  if (!GUID.test(entry.name)) throw new Error(`${where}.name is not a lower-case GUID`);
  if (typeof entry.roleName !== 'string' || !entry.roleName) throw new Error(`${where}.roleName is missing`);
  if (!Array.isArray(entry.permissions)) throw new Error(`${where}.permissions is not an array`);
  entry.permissions.forEach((p, i) => {
    for (const key of ['actions', 'notActions', 'dataActions', 'notDataActions'] as const) {
      if (!isStringArray(p[key])) throw new Error(`${where}.permissions[${i}].${key} is not an array of strings`);
    }
  });
  return {
    name: entry.name,
    roleName: entry.roleName,
    description: entry.description,
    permissions: entry.permissions,
    category: entry.category,
  };
}

export const BUILT_IN_ROLES: readonly BuiltInRole[] = catalogue.roles.map(checked);
