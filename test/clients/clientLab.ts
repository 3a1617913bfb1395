// What the client tests' lab holds besides the sample: a user-assigned identity on vm-web, a
// storage account with one blob the learner owns, and a web app in rg-web (system-assigned, and
// the user-assigned one when asked). Built with engine operations, as any lab would be.
import type { Lab } from '../../src/engine/lab/lab';
import { LAB_CALLER } from '../../src/engine/lab/authorization';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../../src/engine/operations/resources';
import { assignUserIdentities } from '../../src/engine/operations/identities';
import { createRoleAssignment } from '../../src/engine/operations/roleAssignments';
import { createContainer, putBlob } from '../../src/engine/services/blobStorage';
import { learnerCaller } from '../../src/engine/services/dataCaller';
import type { ReadonlyResource } from '../../src/engine/state/labState';

export interface ClientLab {
  vm: ReadonlyResource;
  vault: ReadonlyResource;
  uami: ReadonlyResource;
  account: ReadonlyResource;
  web: ReadonlyResource;
}

export interface ClientLabNames {
  identity: string;
  account: string;
  container: string;
  blob: string;
  blobText: string;
  /** The web app has the user-assigned identity too. */
  webUsesIdentity: boolean;
}

export function furnishClientLab(lab: Lab, names: ClientLabNames): ClientLab {
  const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
  const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
  const uami = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-lab', type: 'identity', name: names.identity });
  assignUserIdentities(lab, LAB_CALLER, vm.id, [uami.id]);
  const account = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-lab', type: 'storage', name: names.account });
  createRoleAssignment(lab, LAB_CALLER, { scope: account.id, role: 'Storage Blob Data Owner', principalId: lab.directory.user.objectId });
  createContainer(lab, learnerCaller(lab), account.id, names.container);
  putBlob(lab, learnerCaller(lab), account.id, names.container, names.blob, new TextEncoder().encode(names.blobText), 'text/plain');
  createOrUpdateResourceGroup(lab, LAB_CALLER, { name: 'rg-web', location: 'westeurope' });
  createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-web', type: 'appserviceplan', name: 'plan-web' });
  const web = createOrUpdateResource(lab, LAB_CALLER, {
    resourceGroup: 'rg-web',
    type: 'webapp',
    name: 'web-orders',
    identity: names.webUsesIdentity ? { systemAssigned: true, userAssigned: [uami.id] } : { systemAssigned: true },
  });
  return { vm, vault, uami, account, web };
}
