// Scopes in words, for people: "kv-lab (Key Vault)", "resource group rg-lab", and what an
// assignment at that scope reaches (everything below it inherits it).
import type { Lab } from '../../lab/lab';
import { parseResourceId, resourceGroupId, subscriptionId, tryParseResourceId } from '../../azure/resourceId';
import { resourceTypeOf } from '../../azure/resourceTypes';

export type ScopeKind = 'tenant' | 'subscription' | 'resourceGroup' | 'resource';

export interface ScopeDescription {
  id: string;
  kind: ScopeKind;
  /** The thing's own name: a resource or group name, a subscription's display name. */
  name: string;
  /** e.g. `kv-lab (Key Vault)`, `resource group rg-lab`, `subscription Lab Subscription`. */
  text: string;
  /** True for a subscription or resource group: every resource inside inherits what is assigned here. */
  inheritedBelow: boolean;
}

export function describeScope(lab: Lab, scope: string): ScopeDescription {
  const parsed = tryParseResourceId(scope);
  if (!parsed) return { id: scope, kind: 'resource', name: scope, text: scope, inheritedBelow: false };
  switch (parsed.kind) {
    case 'tenant':
      return { id: '/', kind: 'tenant', name: 'root', text: 'the root scope (every subscription)', inheritedBelow: true };
    case 'subscription': {
      const name = lab.arm.subscription(parsed.subscriptionId!)?.displayName ?? parsed.subscriptionId!;
      return { id: parsed.id, kind: 'subscription', name, text: `subscription ${name}`, inheritedBelow: true };
    }
    case 'resourceGroup':
      return {
        id: parsed.id,
        kind: 'resourceGroup',
        name: parsed.resourceGroup!,
        text: `resource group ${parsed.resourceGroup}`,
        inheritedBelow: true,
      };
    case 'resource': {
      const name = parsed.names.join('/');
      const resource = lab.arm.resource(parsed.id);
      const typeName = resource ? resourceTypeOf(resource.type, resource.kind)?.displayName : undefined;
      const child = parsed.names.length > 1 ? ` ${parsed.type!.split('/').slice(-1)[0]}` : '';
      return { id: parsed.id, kind: 'resource', name, text: typeName ? `${name} (${typeName})` : `${name}${child}`, inheritedBelow: false };
    }
  }
}

export interface ScopeChoice {
  id: string;
  description: ScopeDescription;
  /** Nesting depth: subscription 0, group 1, resource 2, child resource 3. */
  depth: number;
}

/** Every scope a role can be assigned at in the lab, outermost first: subscriptions, their groups, their resources. */
export function scopeChoices(lab: Lab): ScopeChoice[] {
  const choices: ScopeChoice[] = [];
  for (const s of lab.arm.subscriptions) {
    const sub = subscriptionId(s.subscriptionId);
    choices.push({ id: sub, description: describeScope(lab, sub), depth: 0 });
    for (const g of lab.arm.groupsIn(s.subscriptionId)) {
      const group = resourceGroupId(s.subscriptionId, g.name);
      choices.push({ id: group, description: describeScope(lab, group), depth: 1 });
      for (const r of lab.arm.resourcesIn(s.subscriptionId, g.name)) {
        choices.push({ id: r.id, description: describeScope(lab, r.id), depth: 1 + parseResourceId(r.id).names.length });
      }
    }
  }
  return choices;
}

/**
 * The scopes to offer, narrowest first (least privilege): around a scope (where a request was
 * denied) its resource, then its group, then the subscription, then the rest; else every
 * resource, then the groups, then the subscriptions. `broader` counts the steps up from the narrowest.
 */
export function scopesNarrowestFirst(lab: Lab, around?: string): Array<ScopeChoice & { ladder: boolean }> {
  const all = scopeChoices(lab);
  const parsed = around ? tryParseResourceId(around) : undefined;
  const ladder: string[] = [];
  if (parsed && parsed.kind !== 'tenant') {
    if (parsed.kind === 'resource') ladder.push(parsed.id.split('/').slice(0, 9).join('/'));
    if (parsed.resourceGroup) ladder.push(resourceGroupId(parsed.subscriptionId!, parsed.resourceGroup));
    ladder.push(subscriptionId(parsed.subscriptionId!));
  }
  const key = (id: string) => id.toLowerCase();
  const onLadder = ladder.map(id => all.find(c => key(c.id) === key(id))).filter((c): c is ScopeChoice => !!c);
  const rest = all.filter(c => !onLadder.includes(c)).sort((a, b) => b.depth - a.depth);
  return [...onLadder.map(c => ({ ...c, ladder: true })), ...rest.map(c => ({ ...c, ladder: false }))];
}
