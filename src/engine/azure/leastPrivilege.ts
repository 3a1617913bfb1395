// Which built-in role to suggest for an action: among all roles that grant it (Microsoft's
// whole catalogue, builtInRoles.json), the one with the least else besides, read from the
// roles' real permissions in this order:
//  0. generally available roles before those Microsoft marks as preview ("subject to change");
//  1. for a management read, roles that only read come first (a role that may also write, or
//     list keys, is more privileged however short its list);
//  2. then roles made for the action's own service (Microsoft's docs file each built-in role
//     on one page per service: Key Vault's roles on "security", VM roles on "compute"), then
//     the generic roles of the "general" and "privileged" pages (Reader, Contributor, Owner,
//     User Access Administrator, RBAC Administrator), then the rest — so a first-party
//     service's helper role (an Azure Red Hat OpenShift operator that may write VMs, an AI
//     approver that may read vaults) never outranks the role made for the task;
//  3. for a management write, roles that may also read what they write (a role made to manage
//     VMs reads them; one that only publishes images into them does not);
//  4. then the narrowest non-read grants, then the narrowest grants overall, then the name.
// The plumbing most roles carry (alert rules, support tickets, deployments) is not counted.
import type { RolePermission } from './builtInRoles';
import { BUILT_IN_ROLES } from './builtInRoles';
import { breadth, evaluatePermissions, matchesPattern, type Plane } from './permissions';

/** Namespaces roles name for plumbing, not for the service they are about. */
const PLUMBING_NAMESPACES = new Set([
  'microsoft.authorization',
  'microsoft.resources',
  'microsoft.insights',
  'microsoft.support',
  'microsoft.resourcehealth',
]);
/** Grants nearly every role carries, which say nothing about its privilege. */
const PLUMBING_GRANTS = [
  'Microsoft.Insights/alertRules/*',
  'Microsoft.Support/*',
  'Microsoft.Resources/deployments/*',
  'Microsoft.ResourceHealth/*',
];
/** The docs pages of roles that are about no one service. */
const GENERIC_PAGES = new Set(['general', 'privileged']);

export interface RankedRole {
  readonly roleName: string;
  readonly description?: string;
  readonly permissions: readonly RolePermission[];
  /** The docs page a built-in role is filed under; absent for custom roles. */
  readonly category?: string;
}

const namespaceOf = (pattern: string): string => pattern.split('/')[0]!.toLowerCase();
const isRead = (pattern: string): boolean => /\/read$/i.test(pattern);
/** Data reads: `…/read`, and Key Vault's verb for reading a secret's properties. */
const isDataRead = (pattern: string): boolean => isRead(pattern) || /\/readMetadata\/action$/i.test(pattern);
const isPreview = (role: { roleName: string; description?: string }): boolean =>
  /\(preview\)/i.test(role.roleName) || /\bin preview\b/i.test(role.description ?? '');
const isPlumbing = (pattern: string): boolean => PLUMBING_GRANTS.some(p => matchesPattern(p, pattern));

/** How many grants a role has per service (namespace), not counting `*` and plumbing. */
function servicesOf(permissions: readonly RolePermission[]): Map<string, number> {
  const services = new Map<string, number>();
  for (const pattern of permissions.flatMap(p => [...p.actions, ...p.dataActions])) {
    const namespace = namespaceOf(pattern);
    if (namespace !== '*' && !PLUMBING_NAMESPACES.has(namespace)) services.set(namespace, (services.get(namespace) ?? 0) + 1);
  }
  return services;
}

/** The service a role is mostly about: the namespace most of its grants name. */
function mainServiceOf(permissions: readonly RolePermission[]): string | undefined {
  return [...servicesOf(permissions)].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

let homes: Map<string, string> | undefined;

/** Each service's docs page: the page holding the most generally available roles mostly about that service. */
function homePageOf(namespace: string): string | undefined {
  if (!homes) {
    const counts = new Map<string, Map<string, number>>();
    for (const role of BUILT_IN_ROLES) {
      const service = mainServiceOf(role.permissions);
      if (!service || isPreview(role)) continue;
      const byPage = counts.get(service) ?? new Map<string, number>();
      byPage.set(role.category, (byPage.get(role.category) ?? 0) + 1);
      counts.set(service, byPage);
    }
    homes = new Map();
    for (const [service, byPage] of counts) {
      const [best] = [...byPage].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      homes.set(service, best![0]);
    }
  }
  return homes.get(namespace);
}

/** The read action of the type an action works on: `…/virtualMachines/write` → `…/virtualMachines/read`, `…/assign/action` likewise. */
function readOfType(action: string): string {
  const parts = action.split('/');
  return [...parts.slice(0, /^action$/i.test(parts[parts.length - 1]!) ? -2 : -1), 'read'].join('/');
}

/** What ranking needs of a role that does not depend on the action: computed once per role. */
interface RoleTraits {
  preview: boolean;
  readOnly: boolean;
  services: Map<string, number>;
  writeBreadth: number;
  breadth: number;
}

const traits = new WeakMap<RankedRole, RoleTraits>();

function traitsOf(role: RankedRole): RoleTraits {
  let known = traits.get(role);
  if (!known) {
    const counted = role.permissions.map(p => ({
      ...p,
      actions: p.actions.filter(a => !isPlumbing(a)),
      dataActions: p.dataActions.filter(a => !isPlumbing(a)),
    }));
    known = {
      preview: isPreview(role),
      readOnly: counted.every(p => p.actions.every(isRead) && p.dataActions.every(isDataRead)),
      services: servicesOf(role.permissions),
      writeBreadth: breadth(counted.map(p => ({ ...p, actions: p.actions.filter(a => !isRead(a)) }))),
      breadth: breadth(counted),
    };
    traits.set(role, known);
  }
  return known;
}

/** A sortable key: smaller is less privileged for `action`. Only meaningful among roles that grant it. */
export function privilegeRank(role: RankedRole, action: string, plane: Plane): number[] {
  const t = traitsOf(role);
  const namespace = namespaceOf(action);
  const tier =
    t.services.has(namespace) && role.category === homePageOf(namespace)
      ? 0
      : t.services.size === 0 && GENERIC_PAGES.has(role.category ?? '')
        ? 1
        : 2;
  const managementRead = plane === 'control' && isRead(action);
  const blind = plane === 'control' && !managementRead && !evaluatePermissions(role.permissions, readOfType(action), 'control').granted;
  return [t.preview ? 1 : 0, managementRead && !t.readOnly ? 1 : 0, tier, blind ? 1 : 0, t.writeBreadth, t.breadth];
}

/** The roles in order, least privileged for `action` first (each ranked once). */
export function rankForAction<T extends RankedRole>(roles: readonly T[], action: string, plane: Plane): T[] {
  const ranked = roles.map(role => ({ role, rank: privilegeRank(role, action, plane) }));
  ranked.sort((a, b) => {
    for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
    return a.role.roleName.localeCompare(b.role.roleName);
  });
  return ranked.map(r => r.role);
}
