// A new lab: the starting point every learner gets. One tenant and subscription, a
// resource group with a VM whose system-assigned identity is on, and a Key Vault holding
// one secret. No role assignments, so the VM's first secret read fails with 403 — the
// lesson the lab opens with.
import type { Clock } from '../base/clock';
import { systemClock } from '../base/clock';
import { Lab } from '../lab/lab';
import { DEFAULT_SETTINGS } from '../lab/lab';
import { newGuid } from '../base/ids';
import type { LabState } from '../state/labState';
import { CURRENT_SCHEMA_VERSION } from '../state/labState';
import { subscriptionId } from '../azure/resourceId';
import { createSigningKey } from '../base/crypto/signingKeys';
import { createOrUpdateResource, createOrUpdateResourceGroup } from './resources';
import { createRoleAssignment } from './roleAssignments';
import { LAB_CALLER } from '../lab/authorization';

export interface NewLabOptions {
  clock?: Clock;
  /** Start with the sample resources (default) or an empty subscription. */
  sample?: boolean;
}

export const SAMPLE = {
  location: 'eastus',
  resourceGroup: 'rg-lab',
  vm: 'vm-web',
  vault: 'kv-lab',
  secret: 'db-password',
} as const;

export async function emptyLabState(clock: Clock = systemClock): Promise<LabState> {
  const now = clock.now();
  const tenantId = newGuid();
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    tenant: { tenantId, displayName: 'Contoso Lab', defaultDomain: 'contosolab.onmicrosoft.com' },
    user: { objectId: newGuid(), userPrincipalName: 'learner@contosolab.onmicrosoft.com', displayName: 'Lab Learner' },
    subscriptions: [{ subscriptionId: newGuid(), displayName: 'Lab Subscription' }],
    resourceGroups: [],
    resources: [],
    servicePrincipals: [],
    roleDefinitions: [],
    roleAssignments: [],
    removedRoleAssignments: [],
    groups: [],
    dataPlane: {},
    signingKeys: [await createSigningKey(now)],
    settings: { ...DEFAULT_SETTINGS, rbacPropagation: { ...DEFAULT_SETTINGS.rbacPropagation } },
    clock: { offsetMs: 0 },
  };
}

export async function createLab(options: NewLabOptions = {}): Promise<Lab> {
  const clock = options.clock ?? systemClock;
  const lab = new Lab(await emptyLabState(clock), { clock });
  if (options.sample !== false) addSampleResources(lab);
  return lab;
}

function addSampleResources(lab: Lab): void {
  const now = lab.clock.now();
  createOrUpdateResourceGroup(lab, LAB_CALLER, { name: SAMPLE.resourceGroup, location: SAMPLE.location });
  const learnerOwns = lab.arm.subscriptions[0]!.subscriptionId;
  // Whoever creates a subscription is its Owner; the learner starts that way too.
  createRoleAssignment(lab, LAB_CALLER, {
    scope: subscriptionId(learnerOwns),
    role: 'Owner',
    principalId: lab.directory.user.objectId,
    principalType: 'User',
  });
  createOrUpdateResource(lab, LAB_CALLER, {
    resourceGroup: SAMPLE.resourceGroup,
    type: 'vm',
    name: SAMPLE.vm,
    properties: { hardwareProfile: { vmSize: 'Standard_B2s' } },
    identity: { systemAssigned: true },
  });
  const vault = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'keyvault', name: SAMPLE.vault });
  lab.dataFor(vault.id).secrets = [
    {
      name: SAMPLE.secret,
      versions: [
        { version: newGuid().replace(/-/g, ''), value: 'P@ssw0rd-from-the-lab', enabled: true, created: now, updated: now, tags: {} },
      ],
    },
  ];
}
