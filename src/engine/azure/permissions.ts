// Azure RBAC permission matching. Action strings compare case-insensitively; `*` matches
// any run of characters, and `/*/` also matches a single `/` — which is how Managed
// Identity Operator's `…/userAssignedIdentities/*/assign/action` grants the operation
// `…/userAssignedIdentities/assign/action`. NotActions/NotDataActions subtract within their
// own role (permission block) only: they are not denies.
import type { RolePermission } from './builtInRoles';

export type Plane = 'control' | 'data';

const compiled = new Map<string, RegExp>();

export function patternToRegExp(pattern: string): RegExp {
  const key = pattern.toLowerCase();
  let regex = compiled.get(key);
  if (!regex) {
    const escaped = key.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    const body = escaped
      .replace(/\/\*\//g, '\u0000')
      .replace(/\*/g, '.*')
      .replace(/\u0000/g, '(?:/.*)?/');
    regex = new RegExp(`^${body}$`);
    compiled.set(key, regex);
  }
  return regex;
}

export const matchesPattern = (pattern: string, action: string): boolean => patternToRegExp(pattern).test(action.toLowerCase());

export const matchesAny = (patterns: readonly string[], action: string): string | undefined =>
  patterns.find(p => matchesPattern(p, action));

export interface PermissionVerdict {
  granted: boolean;
  /** The pattern that granted, if any. */
  grantedBy?: string;
  /** The Not* pattern that took the action back out of this role. */
  excludedBy?: string;
}

/** Whether one role's permissions grant `action` on the given plane. */
export function evaluatePermissions(permissions: readonly RolePermission[], action: string, plane: Plane): PermissionVerdict {
  let excludedBy: string | undefined;
  for (const block of permissions) {
    const allow = plane === 'data' ? block.dataActions : block.actions;
    const deny = plane === 'data' ? block.notDataActions : block.notActions;
    const grantedBy = matchesAny(allow, action);
    if (!grantedBy) continue;
    const excluded = matchesAny(deny, action);
    if (!excluded) return { granted: true, grantedBy };
    excludedBy = excluded;
  }
  return excludedBy ? { granted: false, excludedBy } : { granted: false };
}

/**
 * A rough measure of how much a role grants, used to suggest the least-privileged one: a
 * pattern ending in `/*` covers everything under its prefix (the shallower, the more), one with
 * a wildcard inside covers one verb across types, a plain action covers itself.
 */
export function breadth(permissions: readonly RolePermission[]): number {
  let score = 0;
  for (const block of permissions) for (const pattern of [...block.actions, ...block.dataActions]) score += patternBreadth(pattern);
  return score;
}

function patternBreadth(pattern: string): number {
  if (pattern === '*') return 10_000;
  if (pattern === '*/read') return 1_000;
  if (!pattern.includes('*')) return 1;
  const parts = pattern.split('/');
  return parts[parts.length - 1] === '*' ? 1 + 200 / (parts.length - 1) : 1 + 20 / parts.length;
}
