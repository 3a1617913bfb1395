// The walkthrough "Managed identities, hands-on" as data: its steps in the seeds' order, and
// which of them the lab's state says are done (identities on, a token issued, Key Vault's 403
// met, a data role granted, the same host then reading from Key Vault, scenarios solved). VS Code
// sets a context key per done step; a step is never done by clicking. Done steps are remembered
// in the state file (a reload keeps them).
import type { Lab } from '../lab/lab';
import type { Trace } from '../trace/model';
import { resourceTypeOf } from '../azure/resourceTypes';
import { leastPrivilegedRole } from '../diagnosis/fixes';

export interface WalkthroughStep {
  /** The step id in package.json's walkthrough, and its context key's suffix. */
  id: string;
  /** The scenario the step starts, when it is one. */
  scenario?: string;
}

/** In the seeds' order: what a managed identity is, turn one on, a token, the 403, the fix, sharing, the troubleshooting table. */
export const WALKTHROUGH_STEPS: readonly WalkthroughStep[] = [
  { id: 'whatIsAManagedIdentity' },
  { id: 'turnOnAnIdentity' },
  { id: 'requestAToken' },
  { id: 'meetThe403', scenario: 'forbidden-403' },
  { id: 'assignTheLeastRole', scenario: 'forbidden-403' },
  { id: 'readTheSecret', scenario: 'forbidden-403' },
  { id: 'shareAUserAssignedIdentity', scenario: 'user-assigned-shared' },
  { id: 'rowAuthenticationUnavailable', scenario: 'mi-unavailable' },
  { id: 'rowAadsts700024', scenario: 'aadsts700024' },
  { id: 'rowForbidden403', scenario: 'forbidden-403' },
  { id: 'rowTokenFailsLocally', scenario: 'local-token-fails' },
  { id: 'rowDefaultCredentialSlowLocally', scenario: 'dac-slow-locally' },
];

/** A token was issued in this trace: the managed-identity endpoint answered 200 (alone, or before a service call). */
const issuedToken = (t: Trace) => {
  const endpoints = new Set(t.participants.filter(p => p.kind === 'imds' || p.kind === 'identityEndpoint').map(p => p.id));
  return t.messages.some(m => m.kind === 'response' && m.status === 200 && endpoints.has(m.from));
};
const isKeyVault403 = (t: Trace) => t.status === 403 && t.participants.some(p => p.kind === 'keyvault');
const isKeyVaultSuccess = (t: Trace) => t.outcome === 'success' && t.participants.some(p => p.kind === 'keyvault');

/**
 * A principal Key Vault refused may now do what it was refused, and holds the least-privileged
 * role for it (Key Vault Secrets User to read a secret, not Officer or Administrator).
 */
function grantedTheLeastRole(lab: Lab, traces: readonly Trace[]): boolean {
  return traces.some(t => {
    const refused = isKeyVault403(t) ? t.refusal : undefined;
    if (!refused?.principalId || !refused.action || !refused.scope) return false;
    if (!lab.access.isAllowed(refused.principalId, refused.action, refused.scope, refused.plane)) return false;
    const least = leastPrivilegedRole(lab, refused.action, refused.plane);
    const principal = refused.principalId.toLowerCase();
    return lab.assignments.all.some(
      a => a.principalId.toLowerCase() === principal && lab.roles.get(a.roleDefinitionId)?.roleName === least,
    );
  });
}

/** A host that met Key Vault's 403 later called Key Vault and succeeded: the fix worked, in the learner's own lab or a scenario. */
function succeededAfterThe403(traces: readonly Trace[]): boolean {
  const refused = new Set<string>();
  for (const t of traces) {
    if (!t.hostResourceId) continue;
    if (isKeyVault403(t)) refused.add(t.hostResourceId);
    else if (refused.has(t.hostResourceId) && isKeyVaultSuccess(t)) return true;
  }
  return false;
}

/** The steps the lab's state and traces show done now (whatever was remembered before is added by the caller). */
export function walkthroughDoneNow(lab: Lab): Set<string> {
  const done = new Set<string>(['whatIsAManagedIdentity']);
  const solved = (id: string) => lab.scenarios.progress[id]?.solvedAt !== undefined;
  const hasIdentity = lab.arm.resources.some(
    r => resourceTypeOf(r.type, r.kind)?.tokenEndpoint && (r.identity?.systemAssigned || r.identity?.userAssigned.length),
  );
  if (hasIdentity) done.add('turnOnAnIdentity');
  const traces = lab.traces.all;
  if (traces.some(issuedToken)) done.add('requestAToken');
  if (traces.some(isKeyVault403)) done.add('meetThe403');
  if (grantedTheLeastRole(lab, traces)) done.add('assignTheLeastRole');
  if (succeededAfterThe403(traces)) done.add('readTheSecret');
  if (solved('forbidden-403')) {
    done.add('meetThe403').add('assignTheLeastRole').add('readTheSecret').add('rowForbidden403');
  }
  if (solved('user-assigned-shared')) done.add('shareAUserAssignedIdentity');
  if (solved('mi-unavailable')) done.add('rowAuthenticationUnavailable');
  if (solved('aadsts700024')) done.add('rowAadsts700024');
  if (solved('local-token-fails')) done.add('rowTokenFailsLocally');
  if (solved('dac-slow-locally')) done.add('rowDefaultCredentialSlowLocally');
  return done;
}
