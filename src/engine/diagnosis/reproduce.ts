// "Reproduce in the lab": for a category, the smallest situation that fails that way, built with
// engine operations in the learner's lab after one checkpoint (Undo takes it all back), and the
// request that fails there. The host adapter runs the request over the lab's real endpoints, so
// it is traced and drawn; diagnosing that trace gives the same category and its fix.
import type { Lab } from '../lab/lab';
import { LAB_CALLER } from '../lab/authorization';
import { LabError } from '../base/errors';
import { newGuid } from '../base/ids';
import type { ReadonlyResource } from '../state/labState';
import type { Category } from './categories';
import { CATEGORIES } from './categories';
import type { Workload } from './model';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../operations/resources';
import { createRoleAssignment } from '../operations/roleAssignments';
import { setHostFaults } from '../operations/faults';
import { addFederatedCredential, addPassword, createApplication } from '../operations/applications';
import { seedBlob, seedSecret } from '../operations/dataPlaneSeeds';
import { setSqlEntraAdmin } from '../services/sql/servers';
import { issuerUrlOf, serviceAccountSubject } from '../services/entra/workloadIssuer';
import { resourceGroupId } from '../azure/resourceId';

export interface Reproduction {
  category: Category;
  /** What was built, one line each, in the lab's words. */
  built: string[];
  /** The request that fails there. */
  workload: Workload;
  /** The Undo label that takes the reproduction back. */
  undoLabel: string;
}

export const REPRODUCTION_GROUP = 'rg-reproduce';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

/** Categories the lab can reproduce. */
export const reproducible = (category: Category): boolean => CATEGORIES[category].simulated;

class Builder {
  readonly built: string[] = [];
  readonly suffix = newGuid().slice(0, 5);
  readonly group: string;

  constructor(readonly lab: Lab) {
    const group = createOrUpdateResourceGroup(lab, LAB_CALLER, { name: REPRODUCTION_GROUP, location: 'eastus' });
    this.group = group.name;
  }

  name(prefix: string): string {
    return `${prefix}${this.suffix}`;
  }

  resource(
    type: string,
    prefix: string,
    extra: { identity?: { systemAssigned?: boolean; userAssigned?: string[] }; properties?: Record<string, unknown> } = {},
  ): ReadonlyResource {
    const resource = createOrUpdateResource(this.lab, LAB_CALLER, { resourceGroup: this.group, type, name: this.name(prefix), ...extra });
    return resource;
  }

  vm(identity?: { systemAssigned?: boolean; userAssigned?: string[] }, note?: string): ReadonlyResource {
    const vm = this.resource('vm', 'vm-repro-', identity ? { identity } : {});
    this.built.push(`VM ${vm.name}${note ? `: ${note}` : ''}`);
    return vm;
  }

  identity(prefix = 'id-repro-'): ReadonlyResource {
    const identity = this.resource('identity', prefix);
    this.built.push(`user-assigned identity ${identity.name} (client id ${identity.managedIdentity!.clientId})`);
    return identity;
  }

  vaultWithSecret(): ReadonlyResource {
    const vault = this.resource('keyvault', 'kv-repro-');
    seedSecret(this.lab, vault.id, 'app-secret', 'reproduction-value');
    this.built.push(`Key Vault ${vault.name} (Azure RBAC) with the secret app-secret`);
    return vault;
  }

  assign(principalId: string, role: string, scope: string, words: string): void {
    createRoleAssignment(this.lab, LAB_CALLER, { principalId, principalType: 'ServicePrincipal', role, scope });
    this.built.push(`${role} for ${words}`);
  }
}

/** Builds the situation for `category` (after a checkpoint) and returns the request that fails there. */
export async function reproduce(lab: Lab, category: Category): Promise<Reproduction> {
  if (!reproducible(category)) {
    throw new LabError('Unsupported', `The lab cannot reproduce '${category}': ${CATEGORIES[category].meaning}`, 400, 'category');
  }
  const undoLabel = `Reproduce ${category}`;
  lab.checkpoint(undoLabel);
  try {
    const b = new Builder(lab);
    const workload = await build(b, category);
    return { category, built: b.built, workload, undoLabel };
  } catch (error) {
    // Nothing half-built stays behind.
    lab.undo();
    throw error;
  }
}

async function build(b: Builder, category: Category): Promise<Workload> {
  const lab = b.lab;
  const system = { systemAssigned: true };
  switch (category) {
    case 'mi-not-enabled-or-unavailable': {
      const vm = b.vm(undefined, 'no managed identity');
      return { kind: 'token', hostId: vm.id, resource: 'https://vault.azure.net' };
    }
    case 'imds-identity-not-found': {
      const attached = b.identity();
      const other = b.identity('id-other-');
      const vm = b.vm({ userAssigned: [attached.id] }, `only ${attached.name} attached`);
      return {
        kind: 'token',
        hostId: vm.id,
        resource: 'https://vault.azure.net',
        identity: { by: 'clientId', value: other.managedIdentity!.clientId },
      };
    }
    case 'multiple-user-assigned-no-selection': {
      const first = b.identity('id-first-');
      const second = b.identity('id-second-');
      const vm = b.vm({ userAssigned: [first.id, second.id] }, 'two user-assigned identities, no system-assigned one');
      return { kind: 'token', hostId: vm.id, resource: 'https://vault.azure.net' };
    }
    case 'rbac-forbidden-keyvault': {
      const vm = b.vm(system, 'system-assigned identity on, no role');
      const vault = b.vaultWithSecret();
      return { kind: 'readSecret', hostId: vm.id, vault: vault.name, secret: 'app-secret' };
    }
    case 'rbac-forbidden-storage': {
      const vm = b.vm(system, 'system-assigned identity on, no role');
      const account = b.resource('storage', 'strepro');
      seedBlob(lab, account.id, 'reports', 'hello.txt', 'hello from the reproduction');
      b.built.push(`storage account ${account.name} with reports/hello.txt`);
      return { kind: 'readBlob', hostId: vm.id, account: account.name, container: 'reports', blob: 'hello.txt' };
    }
    case 'rbac-forbidden-arm': {
      const vm = b.vm(system, 'system-assigned identity on, no role');
      const scope = resourceGroupId(lab.defaultSubscriptionId, b.group);
      return { kind: 'arm', hostId: vm.id, method: 'GET', path: `${scope}?api-version=2021-04-01` };
    }
    case 'wrong-audience': {
      const vm = b.vm(system, 'system-assigned identity on');
      const vault = b.vaultWithSecret();
      b.assign(vm.identity!.systemAssigned!.principalId, 'Key Vault Secrets User', vault.id, `${vm.name} at ${vault.name}`);
      return { kind: 'readSecret', hostId: vm.id, vault: vault.name, secret: 'app-secret', audience: 'https://management.azure.com/' };
    }
    case 'aadsts-resource-not-found': {
      const vm = b.vm(system, 'system-assigned identity on');
      return { kind: 'token', hostId: vm.id, resource: 'https://vault.azure.com' };
    }
    case 'imds-throttled': {
      const vm = b.vm(system, 'system-assigned identity on, IMDS throttling on');
      setHostFaults(lab, vm.id, { throttle: true });
      return { kind: 'token', hostId: vm.id, resource: 'https://vault.azure.net', repeat: 30 };
    }
    case 'sql-token-principal-login-failed': {
      const vm = b.vm(system, 'system-assigned identity on');
      const server = b.resource('sqlserver', 'sql-repro-');
      const database = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: b.group, type: 'sqldb', name: `${server.name}/appdb` });
      setSqlEntraAdmin(lab, LAB_CALLER, server.id, lab.directory.user.userPrincipalName);
      b.built.push(
        `SQL server ${server.name} (Microsoft Entra admin: you) with database ${database.name.split('/')[1]}, no contained users`,
      );
      return { kind: 'sqlQuery', hostId: vm.id, server: server.name, database: 'appdb', query: 'SELECT CURRENT_USER' };
    }
    case 'assignment-principal-not-found': {
      const vm = b.vm(system, 'system-assigned identity on, a deployment script that assigns roles');
      const scope = resourceGroupId(lab.defaultSubscriptionId, b.group);
      b.assign(vm.identity!.systemAssigned!.principalId, 'Role Based Access Control Administrator', scope, `${vm.name} at ${b.group}`);
      const justCreated = newGuid();
      b.built.push(`a principal id ${justCreated} "created a moment ago" (not in the directory yet)`);
      return {
        kind: 'arm',
        hostId: vm.id,
        method: 'PUT',
        path: `${scope}/providers/Microsoft.Authorization/roleAssignments/${newGuid()}?api-version=2022-04-01`,
        body: {
          properties: {
            roleDefinitionId: `/subscriptions/${lab.defaultSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
            principalId: justCreated,
          },
        },
      };
    }
    case 'aadsts-invalid-client-secret': {
      const { application } = createApplication(lab, b.name('app-repro-'));
      await addPassword(lab, application.appId, 'current secret');
      b.built.push(`app registration ${application.displayName} with a client secret`);
      return {
        kind: 'clientCredentials',
        clientId: application.appId,
        scope: 'https://vault.azure.net/.default',
        secret: 'the-secret-id-not-its-value',
      };
    }
    case 'aadsts-no-federated-credential':
    case 'aadsts-client-assertion-expired': {
      const cluster = b.resource('aks', 'aks-repro-');
      const identity = b.identity();
      const issuer = issuerUrlOf(lab, cluster);
      addFederatedCredential(lab, identity.id, { name: 'fic-web', issuer, subject: serviceAccountSubject('default', 'web') });
      b.built.push(`AKS cluster ${cluster.name}; ${identity.name} trusts its service account default/web`);
      const expired = category === 'aadsts-client-assertion-expired';
      return {
        kind: 'clientCredentials',
        clientId: identity.managedIdentity!.clientId,
        scope: 'https://vault.azure.net/.default',
        serviceAccount: {
          clusterId: cluster.id,
          namespace: 'default',
          name: expired ? 'web' : 'worker',
          ...(expired ? { expired: true } : {}),
        },
      };
    }
    case 'mi-endpoint-bad-request': {
      const vm = b.vm(system, 'system-assigned identity on');
      return { kind: 'token', hostId: vm.id, resource: 'https://vault.azure.net', withoutMetadataHeader: true };
    }
    case 'imds-transient-failure': {
      const vm = b.vm(system, 'system-assigned identity on, IMDS updating (410)');
      setHostFaults(lab, vm.id, { failure: 'gone410' });
      return { kind: 'token', hostId: vm.id, resource: 'https://vault.azure.net' };
    }
    default:
      throw new LabError('Unsupported', `The lab cannot reproduce '${category}'.`, 400, 'category');
  }
}
