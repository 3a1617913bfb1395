// Role assignments, indexed for the hot path: by principal (a decision looks only at the
// caller's own assignments), by exact scope (listing) and by GUID. Deleted assignments whose
// removal has not propagated yet (realistic propagation) are kept apart, by principal.
import type { ReadonlyRemovedRoleAssignment, ReadonlyRoleAssignment, RemovedRoleAssignmentState, RoleAssignmentState } from './labState';
import { idKey, isAtOrAbove, keyIsAtOrAbove } from '../azure/resourceId';
import { roleGuidOf } from './roleDefinitions';

export interface IndexedAssignment {
  readonly state: RoleAssignmentState;
  /** Lower-cased scope, compared as ARM does. */
  readonly scopeKey: string;
  readonly roleGuid: string;
}

/** What readers of a lab may do with its role assignments. */
export interface ReadonlyRoleAssignments {
  readonly size: number;
  readonly all: readonly ReadonlyRoleAssignment[];
  get(name: string): ReadonlyRoleAssignment | undefined;
  forPrincipal(principalId: string): readonly ReadonlyIndexedAssignment[];
  atScope(scope: string): readonly ReadonlyIndexedAssignment[];
  atOrBelow(scope: string): readonly ReadonlyIndexedAssignment[];
  applyingAt(scope: string, principalId?: string): readonly ReadonlyIndexedAssignment[];
  relatedTo(scope: string, principalId?: string): readonly ReadonlyIndexedAssignment[];
  find(principalId: string, roleGuid: string, scope: string): ReadonlyRoleAssignment | undefined;
}

export interface ReadonlyIndexedAssignment {
  readonly state: ReadonlyRoleAssignment;
  readonly scopeKey: string;
  readonly roleGuid: string;
}

export class RoleAssignmentStore implements ReadonlyRoleAssignments {
  private readonly byGuid = new Map<string, IndexedAssignment>();
  private readonly byPrincipal = new Map<string, IndexedAssignment[]>();
  private readonly byScope = new Map<string, IndexedAssignment[]>();

  constructor(assignments: readonly RoleAssignmentState[]) {
    for (const a of assignments) this.add(a);
  }

  get size(): number {
    return this.byGuid.size;
  }

  get all(): RoleAssignmentState[] {
    return [...this.byGuid.values()].map(a => a.state);
  }

  add(state: RoleAssignmentState): IndexedAssignment {
    const entry = indexed(state);
    this.byGuid.set(state.name.toLowerCase(), entry);
    push(this.byPrincipal, state.principalId.toLowerCase(), entry);
    push(this.byScope, entry.scopeKey, entry);
    return entry;
  }

  remove(name: string): RoleAssignmentState | undefined {
    const entry = this.byGuid.get(name.toLowerCase());
    if (!entry) return undefined;
    this.byGuid.delete(name.toLowerCase());
    pull(this.byPrincipal, entry.state.principalId.toLowerCase(), entry);
    pull(this.byScope, entry.scopeKey, entry);
    return entry.state;
  }

  get(name: string): RoleAssignmentState | undefined {
    return this.byGuid.get(name.toLowerCase())?.state;
  }

  /** Every assignment held by a principal, wherever its scope. */
  forPrincipal(principalId: string): readonly IndexedAssignment[] {
    return this.byPrincipal.get(principalId.toLowerCase()) ?? [];
  }

  /** Assignments made exactly at a scope. */
  atScope(scope: string): readonly IndexedAssignment[] {
    return this.byScope.get(idKey(scope)) ?? [];
  }

  /** Assignments at a scope or anywhere below it. */
  atOrBelow(scope: string): IndexedAssignment[] {
    return [...this.byGuid.values()].filter(a => isAtOrAbove(scope, a.state.scope));
  }

  /**
   * Assignments in effect at a scope: made at it or inherited from a scope above it (ARM's
   * `atScope()` filter; what `az role assignment list --include-inherited` and RBAC decisions use).
   */
  applyingAt(scope: string, principalId?: string): IndexedAssignment[] {
    const target = idKey(scope);
    const candidates = principalId === undefined ? this.byGuid.values() : this.forPrincipal(principalId);
    return [...candidates].filter(a => appliesAt(a, target));
  }

  /** Assignments that apply at a scope or are made below it: ARM's role assignment list without a filter. */
  relatedTo(scope: string, principalId?: string): IndexedAssignment[] {
    const target = idKey(scope);
    const candidates = principalId === undefined ? this.byGuid.values() : this.forPrincipal(principalId);
    return [...candidates].filter(a => appliesAt(a, target) || keyIsAtOrAbove(target, a.scopeKey));
  }

  find(principalId: string, roleGuid: string, scope: string): RoleAssignmentState | undefined {
    const key = idKey(scope);
    return this.forPrincipal(principalId).find(a => a.roleGuid === roleGuid.toLowerCase() && a.scopeKey === key)?.state;
  }
}

function indexed<T extends RoleAssignmentState>(state: T): IndexedAssignment & { readonly state: T } {
  return { state, scopeKey: idKey(state.scope), roleGuid: roleGuidOf(state.roleDefinitionId) ?? state.roleDefinitionId.toLowerCase() };
}

export interface ReadonlyRemovedAssignments {
  readonly size: number;
  readonly all: readonly ReadonlyRemovedRoleAssignment[];
  forPrincipal(principalId: string): readonly ReadonlyIndexedRemoval[];
}

export interface ReadonlyIndexedRemoval extends ReadonlyIndexedAssignment {
  readonly state: ReadonlyRemovedRoleAssignment;
}

/** Deleted assignments decisions still see, until each one's `inEffectUntil`. */
export class RemovedAssignmentStore implements ReadonlyRemovedAssignments {
  private readonly byPrincipal = new Map<string, Array<IndexedAssignment & { readonly state: RemovedRoleAssignmentState }>>();
  private count = 0;

  constructor(removed: readonly RemovedRoleAssignmentState[]) {
    for (const r of removed) this.add(r);
  }

  get size(): number {
    return this.count;
  }

  get all(): RemovedRoleAssignmentState[] {
    return [...this.byPrincipal.values()].flat().map(r => r.state);
  }

  add(state: RemovedRoleAssignmentState): void {
    push(this.byPrincipal, state.principalId.toLowerCase(), indexed(state));
    this.count++;
  }

  forPrincipal(principalId: string): ReadonlyArray<IndexedAssignment & { readonly state: RemovedRoleAssignmentState }> {
    return this.byPrincipal.get(principalId.toLowerCase()) ?? [];
  }

  /** Forgets removals that have propagated by `now` (lab time); returns whether any were. */
  prune(now: number): boolean {
    let pruned = false;
    for (const [key, list] of this.byPrincipal) {
      const kept = list.filter(r => r.state.inEffectUntil > now);
      if (kept.length === list.length) continue;
      pruned = true;
      this.count -= list.length - kept.length;
      if (kept.length) this.byPrincipal.set(key, kept);
      else this.byPrincipal.delete(key);
    }
    return pruned;
  }
}

/** The inheritance rule: an assignment applies at its own scope and at every scope below it (`scopeKey` is an idKey). */
export const appliesAt = (assignment: IndexedAssignment, scopeKey: string): boolean => keyIsAtOrAbove(assignment.scopeKey, scopeKey);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pull<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) return;
  const index = list.indexOf(value);
  if (index >= 0) list.splice(index, 1);
  if (list.length === 0) map.delete(key);
}
