// Quick-pick items for the things the lab's commands ask about. Each item carries the value
// it stands for; labels and details are what a person reads to choose.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { ResourceTypeInfo } from '../../engine/azure/resourceTypes';
import { RESOURCE_TYPES, resourceTypeOf } from '../../engine/azure/resourceTypes';
import { parseResourceId } from '../../engine/azure/resourceId';
import { RESOURCE_APPS } from '../../engine/azure/resourceApps';
import { listManagedIdentities } from '../../engine/readModels/overview/identities';
import type { Recommendation } from '../../engine/readModels/overview/denials';
import type { RoleDefinition } from '../../engine/state/roleDefinitions';
import { scopesNarrowestFirst } from '../../engine/readModels/overview/scopes';
import { roleFit } from '../../engine/readModels/overview/roleFit';
import { courseNoteForRole } from '../../engine/readModels/courseDifferences';
import { KNOWN_OPERATIONS } from '../../engine/azure/actions';
import { identityIds, labelledId } from '../../engine/readModels/idWords';

export interface ValueItem<T> extends vscode.QuickPickItem {
  value: T;
}

const separator = <T>(label: string): ValueItem<T> => ({ label, kind: vscode.QuickPickItemKind.Separator, value: undefined as T });

export function resourceItems(
  lab: Lab,
  filter: (r: ReadonlyResource, info: ResourceTypeInfo | undefined) => boolean,
): Array<ValueItem<string>> {
  return lab.arm.resources
    .filter(r => filter(r, resourceTypeOf(r.type, r.kind)))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(r => {
      const info = resourceTypeOf(r.type, r.kind);
      return {
        label: `$(${info?.icon ?? 'symbol-misc'}) ${r.name}`,
        description: info?.displayName ?? r.type,
        detail: `in ${parseResourceId(r.id).resourceGroup} · ${identitySummary(r)}`,
        value: r.id,
      };
    });
}

function identitySummary(r: ReadonlyResource): string {
  const parts = [
    r.identity?.systemAssigned ? `system-assigned identity (${identityIds(r.identity.systemAssigned)})` : 'no system-assigned identity',
  ];
  if (r.identity?.userAssigned.length) parts.push(`${r.identity.userAssigned.length} user-assigned`);
  return parts.join(', ');
}

export function typeItems(): Array<ValueItem<ResourceTypeInfo>> {
  const sections: Array<[string, ResourceTypeInfo['role']]> = [
    ['Compute: code runs here and asks for tokens', 'compute'],
    ['Services that accept Entra tokens', 'target'],
    ['Identities', 'identity'],
    ['Infrastructure', 'infrastructure'],
  ];
  return sections.flatMap(([title, role]) => [
    separator<ResourceTypeInfo>(title),
    ...RESOURCE_TYPES.filter(t => t.role === role && t.key !== 'sqldb').map(t => ({
      label: `$(${t.icon}) ${t.displayName}`,
      description: t.armType,
      detail:
        t.role === 'compute'
          ? `Managed identities: system-assigned ${t.systemAssigned ? 'yes' : 'no'}, user-assigned ${t.userAssigned ? 'yes' : 'no'}`
          : undefined,
      value: t,
    })),
  ]);
}

export const NEW_GROUP = '\u0000new';

export function groupItems(lab: Lab): Array<ValueItem<string>> {
  return [
    ...[...lab.arm.groups]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(g => ({ label: `$(folder-library) ${g.name}`, description: g.location, value: g.name })),
    { label: '$(add) New resource group…', value: NEW_GROUP, alwaysShow: true },
  ];
}

export interface PrincipalChoice {
  principalId: string;
  principalType: 'User' | 'ServicePrincipal';
  name: string;
}

export function principalItems(lab: Lab): Array<ValueItem<PrincipalChoice>> {
  const identities = listManagedIdentities(lab).map(i => ({
    label: `$(${i.kind === 'SystemAssigned' ? 'vm-active' : 'person'}) ${i.name}`,
    description: i.kind === 'SystemAssigned' ? 'system-assigned managed identity' : 'user-assigned managed identity',
    detail: `${identityIds(i)}${i.attachedTo.length ? ` · on ${i.attachedTo.map(a => a.name).join(', ')}` : ''}`,
    value: { principalId: i.principalId, principalType: 'ServicePrincipal' as const, name: i.name },
  }));
  const apps = lab.directory.servicePrincipals
    .filter(sp => sp.servicePrincipalType === 'Application')
    .map(sp => ({
      label: `$(symbol-class) ${sp.displayName}`,
      description: 'app registration',
      detail: `${identityIds({ principalId: sp.objectId, clientId: sp.appId })}`,
      value: { principalId: sp.objectId, principalType: 'ServicePrincipal' as const, name: sp.displayName },
    }));
  const user = lab.directory.user;
  return [
    separator('Managed identities'),
    ...identities,
    ...(apps.length ? [separator<PrincipalChoice>('Applications'), ...apps] : []),
    separator('Users'),
    {
      label: `$(account) ${user.displayName}`,
      description: user.userPrincipalName,
      detail: `${labelledId('principal', user.objectId)} (you)`,
      value: { principalId: user.objectId, principalType: 'User', name: user.displayName },
    },
  ];
}

export function roleItems(roles: readonly RoleDefinition[], recommendation: Recommendation | undefined): Array<ValueItem<RoleDefinition>> {
  return roles.map(role => {
    const recommended = recommendation?.role.name === role.name;
    // With a denial known, say of every other role whether it could do it, and which plane it covers.
    const fit = recommendation && !recommended ? roleFit(role, recommendation.denial.action) : undefined;
    const kind = role.roleType === 'CustomRole' ? 'custom role' : undefined;
    return {
      label: `${recommended ? '$(lightbulb) ' : ''}${role.roleName}`,
      description: recommended
        ? `least privilege for what was denied: ${recommendation!.denial.action.split('/').slice(-2).join('/')}`
        : fit
          ? [kind, fit.grants ? `also grants it (broader)` : `cannot do it: ${fit.short}`].filter(Boolean).join(' · ')
          : kind,
      // The course material reads some roles otherwise (SQL DB Contributor, Key Vault Reader): Azure's reading, always shown.
      detail: [role.description, courseNoteForRole(role.roleName)].filter(Boolean).join(' — '),
      value: role,
    };
  });
}

/** Narrowest first: around the denied scope its resource (recommended), its group and the subscription, each broader one marked. */
export function scopeItems(lab: Lab, recommended?: string): Array<ValueItem<string>> {
  const choices = scopesNarrowestFirst(lab, recommended);
  const ladder = choices.filter(c => c.ladder);
  const item = (c: (typeof choices)[number], step: number): ValueItem<string> => {
    const broader = c.description.inheritedBelow
      ? `broader${c.description.kind === 'subscription' ? ' still' : ''}: everything inside inherits it`
      : undefined;
    const first = c.ladder && step === 0;
    return {
      label: `${first ? '$(lightbulb) ' : ''}${c.description.text}`,
      description: first ? 'narrowest: where the denied request went' : broader,
      detail: `resource id ${c.id}`,
      value: c.id,
    };
  };
  const others = choices.filter(c => !c.ladder).map(c => item(c, -1));
  if (!ladder.length) return others;
  return [...ladder.map((c, i) => item(c, i)), separator('Other scopes'), ...others];
}

export function audienceItems(): Array<ValueItem<string>> {
  return RESOURCE_APPS.map(app => ({ label: app.identifierUris[0]!, description: app.displayName, value: app.identifierUris[0]! }));
}

export const customAudience = (typed: string): ValueItem<string> => ({
  label: typed,
  description: 'use this audience (the lab will ask Entra ID for it as typed)',
  value: typed,
});

export function operationItems(recommendedAction?: string): Array<ValueItem<string>> {
  const items = KNOWN_OPERATIONS.map(op => ({
    label: op.action,
    description: op.plane === 'data' ? 'data action' : 'management action',
    detail: op.description,
    value: op.action,
  }));
  const index = recommendedAction ? items.findIndex(i => i.value.toLowerCase() === recommendedAction.toLowerCase()) : -1;
  if (index <= 0) return items;
  const [first] = items.splice(index, 1);
  return [{ ...first!, label: `$(lightbulb) ${first!.label}`, description: 'what it was last denied' }, ...items];
}
