// ARM's federated identity credentials of a user-assigned identity
// (`{identity id}/federatedIdentityCredentials/{name}`, as `az identity federated-credential`
// manages them): PUT creates or replaces one by name, DELETE removes it — each authorized as ARM
// authorizes it (Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/…).
import type { Lab } from '../lab/lab';
import type { Caller } from '../lab/authorization';
import { authorize } from '../lab/authorization';
import { mutable } from '../lab/mutable';
import type { FederatedCredentialState, ReadonlyResource } from '../state/labState';
import { addFederatedCredential } from './applications';
import { USER_ASSIGNED_TYPE } from './identities';

const ACTION = `${USER_ASSIGNED_TYPE}/federatedIdentityCredentials`;

/** PUT: a new credential, or the one of that name replaced. */
export function putFederatedCredential(
  lab: Lab,
  caller: Caller,
  identity: ReadonlyResource,
  credential: Omit<FederatedCredentialState, 'audiences'> & { audiences?: string[] },
): FederatedCredentialState {
  authorize(lab, caller, `${ACTION}/write`, identity.id);
  return lab.atomically(() => {
    removeByName(lab, identity, credential.name);
    return addFederatedCredential(lab, identity.id, credential);
  });
}

/** DELETE: the credential removed, or undefined when there was none of that name (ARM answers 204 then). */
export function deleteFederatedCredential(
  lab: Lab,
  caller: Caller,
  identity: ReadonlyResource,
  name: string,
): FederatedCredentialState | undefined {
  authorize(lab, caller, `${ACTION}/delete`, identity.id);
  const removed = removeByName(lab, identity, name);
  if (removed) lab.notify('identities');
  return removed;
}

function removeByName(lab: Lab, identity: ReadonlyResource, name: string): FederatedCredentialState | undefined {
  const live = mutable(lab).arm.resource(identity.id);
  const list = live?.federatedIdentityCredentials;
  const at = list?.findIndex(f => f.name.toLowerCase() === name.toLowerCase()) ?? -1;
  return at >= 0 ? list!.splice(at, 1)[0] : undefined;
}
