// The elements of the lab's three trees. Commands receive them from context menus, so each
// carries what a command needs to know (ids), never state of its own: items are drawn from
// the engine every time.

export type ResourceNode =
  | { kind: 'subscription'; subscriptionId: string }
  | { kind: 'group'; subscriptionId: string; name: string; id: string }
  | { kind: 'resource'; id: string }
  | { kind: 'systemIdentity'; resourceId: string; enabled: boolean }
  | { kind: 'attachedIdentity'; resourceId: string; identityId: string }
  | MessageNode;

export type IdentityNode =
  | { kind: 'identity'; principalId: string; identityKind: 'SystemAssigned' | 'UserAssigned'; resourceId: string }
  | {
      kind: 'attachment';
      principalId: string;
      identityKind: 'SystemAssigned' | 'UserAssigned';
      identityResourceId: string;
      resourceId: string;
    }
  | { kind: 'assignment'; assignmentName: string; principalId: string; orphaned: boolean }
  | { kind: 'orphanedPrincipal'; principalId: string }
  /** A Microsoft Entra security group. */
  | { kind: 'entraGroup'; groupId: string }
  /** Someone in a group: a direct member, or through a nested group. */
  | { kind: 'groupMember'; groupId: string; memberId: string; through?: string }
  /** A group a managed identity is in. */
  | { kind: 'membership'; principalId: string; groupId: string }
  | MessageNode;

export type ActivityNode = { kind: 'trace'; traceId: string } | MessageNode;

export interface MessageNode {
  kind: 'message';
  text: string;
  icon: string;
}

export type LabNode = ResourceNode | IdentityNode | ActivityNode;

const NODE_KINDS = new Set([
  'subscription',
  'group',
  'resource',
  'systemIdentity',
  'attachedIdentity',
  'identity',
  'attachment',
  'assignment',
  'orphanedPrincipal',
  'entraGroup',
  'groupMember',
  'membership',
  'trace',
  'message',
]);

/** Tree elements carry a `kind`; argument objects from scripts never do. */
export function isLabNode(value: unknown): value is LabNode {
  return typeof value === 'object' && value !== null && NODE_KINDS.has(String((value as { kind?: unknown }).kind));
}
