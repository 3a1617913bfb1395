// What scenario checks read: the secret reads the lab's traces recorded since the running
// scenario started (who read, when, with what answer), the DefaultAzureCredential chains it saw
// on your machine, and whether a principal's access is the least that works or broader.
import type { Lab } from '../lab/lab';
import type { Trace } from '../trace/model';
import type { Decision } from '../state/accessDecisions';
import { SECRET_ACTIONS } from '../services/keyVault';
import { idKey } from '../azure/resourceId';

export interface SecretRead {
  /** Lab time the request started. */
  at: number;
  status: number | undefined;
  errorCode: string | undefined;
  /** The caller's object id, as its token said. */
  objectId: string | undefined;
  hostResourceId: string | undefined;
}

/** Traces from before the running scenario started belong to another try (or the learner's own lab). */
const sinceStart = (lab: Lab) => (t: Trace) => t.startedAt >= (lab.scenarios.active?.startedAt ?? -Infinity);

const OID = /\boid ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/i;

/** Every recorded read of one secret, oldest first. */
export function secretReads(lab: Lab, vault: string, secret: string): SecretRead[] {
  const title = `key vault ${vault.toLowerCase()}: get secrets/${secret.toLowerCase()}`;
  return lab.traces.all
    .filter(sinceStart(lab))
    .filter(t => t.title.toLowerCase().startsWith(title))
    .map(t => ({
      at: t.startedAt,
      status: t.status,
      errorCode: t.errorCode,
      objectId: t.messages
        .flatMap(m => m.notes ?? [])
        .map(n => OID.exec(n)?.[1])
        .find(Boolean),
      hostResourceId: t.hostResourceId,
    }));
}

/** The DefaultAzureCredential chains the lab saw on your machine, oldest first. */
export const yourMachineChains = (lab: Lab): Trace[] =>
  lab.traces.all.filter(sinceStart(lab)).filter(t => t.yourMachine && t.chainAttempts?.length);

/** Whether a principal may read a vault's secrets (its groups from the directory), with the decision. */
export function secretAccess(lab: Lab, principalId: string, vaultId: string): Decision {
  return lab.access.decide({
    principalId,
    action: SECRET_ACTIONS.get,
    scope: vaultId,
    plane: 'data',
    groupIds: lab.directory.memberOf(principalId),
  });
}

/** Broader than needed: a role other than the least one, or granted above the vault. */
export function broaderThan(decision: Decision, leastRole: string, vaultId: string): string | undefined {
  const broad = decision.grants.find(g => g.roleName !== leastRole || idKey(g.scope) !== idKey(vaultId));
  if (!broad) return undefined;
  return `'${broad.roleName}' at ${broad.scope} grants more than reading secrets of this vault: '${leastRole}' on the vault itself is enough.`;
}
