// ARM's collection surface over real HTTPS: lists answer with what the caller may read (never a
// 403 for the rest), /resources filters and pages, lists by type, providers, tenants, and the
// cloud metadata `az cloud register` reads — each as Azure shapes it.
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { createRoleAssignment } from '../../../src/engine/operations/roleAssignments';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { resourceGroupId } from '../../../src/engine/azure/resourceId';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../../../src/engine/operations/resources';
import { imdsToken, labHttps } from '../../support/labHttps';
import type { ReadonlyResource } from '../../../src/engine/state/labState';

describe('server: ARM lists, providers and cloud metadata', () => {
  let lab: Lab;
  let server: RunningLabServer;
  let vm: ReadonlyResource;
  let sub: string;
  let token: string;
  const get = (path: string, options: { host?: string; token?: string | null; apiVersion?: string } = {}) =>
    labHttps(server, 'GET', `${server.httpsUrl}${path}${path.includes('?') ? '&' : '?'}api-version=${options.apiVersion ?? '2021-04-01'}`, {
      ...(options.token === null ? {} : { token: options.token ?? token }),
      ...(options.host ? { headers: { Host: options.host } } : {}),
    });

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    sub = lab.defaultSubscriptionId;
    vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    createOrUpdateResourceGroup(lab, LAB_CALLER, { name: 'rg-other', location: 'westeurope' });
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-other', type: 'keyvault', name: 'kv-other', tags: { team: 'billing' } });
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-lab', type: 'storage', name: 'stlablist', tags: { team: 'orders' } });
    token = await imdsToken(server, vm.id, 'https://management.azure.com/');
  });
  after(() => server.close());

  it('GET /subscriptions lists nothing to a principal with no role, and the subscription once it holds one anywhere in it', async () => {
    const none = await get('/subscriptions');
    assert.equal(none.status, 200);
    assert.deepEqual(none.json().value, []);
    // A role on one resource is enough to find the subscription (az login lists it).
    createRoleAssignment(lab, LAB_CALLER, {
      scope: lab.arm.resources.find(r => r.name === SAMPLE.vault)!.id,
      role: 'Key Vault Secrets User',
      principalId: vm.identity!.systemAssigned!.principalId,
    });
    const some = await get('/subscriptions');
    assert.deepEqual(
      some.json().value.map((s: { subscriptionId: string }) => s.subscriptionId),
      [sub],
    );
    assert.equal(some.json().value[0].displayName, 'Lab Subscription');
  });

  it('lists only what the caller may read: a data role reads nothing in ARM, Reader on one group lists that group and its resources', async () => {
    assert.deepEqual((await get(`/subscriptions/${sub}/resourcegroups`)).json().value, []);
    assert.deepEqual((await get(`/subscriptions/${sub}/resources`)).json().value, []);
    createRoleAssignment(lab, LAB_CALLER, {
      scope: resourceGroupId(sub, 'rg-lab'),
      role: 'Reader',
      principalId: vm.identity!.systemAssigned!.principalId,
    });
    const groups = await get(`/subscriptions/${sub}/resourcegroups`);
    assert.equal(groups.status, 200, groups.text);
    assert.deepEqual(
      groups.json().value.map((g: { name: string }) => g.name),
      ['rg-lab'],
    );
    const resources = (await get(`/subscriptions/${sub}/resources`)).json().value as Array<Record<string, unknown>>;
    assert.deepEqual(resources.map(r => r['name']).sort(), ['kv-lab', 'stlablist', 'vm-web']);
    assert.equal(resources.find(r => r['name'] === 'vm-web')!['properties'], undefined, 'the generic envelope has no properties');
    const other = await get(`/subscriptions/${sub}/resourceGroups/rg-other/resources`);
    assert.equal(other.status, 403, 'a group it has nothing in: the 403 for reading that group');
  });

  it('answers a list the caller has no foothold in with ARM’s 403, and an unknown group with 404', async () => {
    const stranger = await imdsToken(
      server,
      createOrUpdateResource(lab, LAB_CALLER, {
        resourceGroup: 'rg-other',
        type: 'vm',
        name: 'vm-stranger',
        identity: { systemAssigned: true },
      }).id,
      'https://management.azure.com/',
    );
    const denied = await get(`/subscriptions/${sub}/resourcegroups`, { token: stranger });
    assert.equal(denied.status, 403);
    assert.equal(denied.json().error.code, 'AuthorizationFailed');
    assert.match(
      denied.json().error.message,
      /'Microsoft\.Resources\/subscriptions\/resourceGroups\/read' over scope '\/subscriptions\/[0-9a-f-]+'/,
    );
    const missing = await get(`/subscriptions/${sub}/resourceGroups/rg-nowhere/resources`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json().error.code, 'ResourceGroupNotFound');
  });

  it('filters /resources by type, group, name and tag, and pages with $top and nextLink', async () => {
    const ofType = await get(
      `/subscriptions/${sub}/resources?$filter=${encodeURIComponent("resourceType eq 'Microsoft.KeyVault/vaults'")}`,
    );
    assert.deepEqual(
      ofType.json().value.map((r: { name: string }) => r.name),
      ['kv-lab'],
    );
    const tagged = await get(`/subscriptions/${sub}/resources?$filter=${encodeURIComponent("tagName eq 'team' and tagValue eq 'orders'")}`);
    assert.deepEqual(
      tagged.json().value.map((r: { name: string }) => r.name),
      ['stlablist'],
    );
    const named = await get(`/subscriptions/${sub}/resources?$filter=${encodeURIComponent("substringof('web', name)")}`);
    assert.deepEqual(
      named.json().value.map((r: { name: string }) => r.name),
      ['vm-web'],
    );
    const first = await get(`/subscriptions/${sub}/resources?$top=2`);
    assert.equal(first.json().value.length, 2);
    const nextLink = String(first.json().nextLink);
    assert.match(nextLink, new RegExp(`^${server.httpsUrl}/subscriptions/${sub}/resources\\?`));
    const second = await labHttps(server, 'GET', nextLink, { token });
    assert.equal(second.json().value.length, 1);
    assert.equal(second.json().nextLink, undefined);
    const bad = await get(`/subscriptions/${sub}/resources?$filter=${encodeURIComponent('name gt 1')}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json().error.code, 'InvalidFilterInQueryString');
    assert.equal((await get(`/subscriptions/${sub}/resources?$top=0`)).status, 400);
    assert.equal((await get(`/subscriptions/${sub}/resources?$top=1&$skiptoken=garbage`)).status, 400);
  });

  it('lists by type at subscription and group scope, with each provider’s full object and the data-plane URL as the caller reached ARM', async () => {
    const atGroup = await get(`/subscriptions/${sub}/resourceGroups/rg-lab/providers/Microsoft.KeyVault/vaults`);
    assert.equal(atGroup.status, 200, atGroup.text);
    const [vault] = atGroup.json().value as Array<{ name: string; properties: { vaultUri: string } }>;
    assert.equal(vault!.name, 'kv-lab');
    assert.equal(vault!.properties.vaultUri, `https://kv-lab.vault.azure.net:${server.port}/`);
    const real = await get(`/subscriptions/${sub}/providers/Microsoft.KeyVault/vaults`, { host: 'management.azure.com' });
    assert.deepEqual(
      real.json().value.map((v: { properties: { vaultUri: string } }) => v.properties.vaultUri),
      ['https://kv-lab.vault.azure.net/'],
      'reached as management.azure.com (milab run): the real URL, no port; kv-other is not the caller’s to read',
    );
    assert.deepEqual(
      (await get(`/subscriptions/${sub}/resourceGroups/rg-lab/providers/Microsoft.Network/virtualNetworks`)).json().value,
      [],
    );
  });

  it('describes resource providers (newest API version first) and tenants; an unknown namespace is a 404', async () => {
    const provider = await get(`/subscriptions/${sub}/providers/Microsoft.KeyVault`);
    assert.equal(provider.status, 200, provider.text);
    const vaults = provider.json().resourceTypes.find((t: { resourceType: string }) => t.resourceType === 'vaults');
    assert.equal(vaults.apiVersions[0], '2023-07-01');
    assert.ok(vaults.locations.includes('West Europe'));
    assert.equal(provider.json().registrationState, 'Registered');
    assert.ok(
      (await get(`/subscriptions/${sub}/providers`)).json().value.some((p: { namespace: string }) => p.namespace === 'Microsoft.Compute'),
    );
    const sql = await get('/providers/Microsoft.Sql');
    assert.ok(sql.json().resourceTypes.some((t: { resourceType: string }) => t.resourceType === 'servers/databases'));
    const unknown = await get(`/subscriptions/${sub}/providers/Microsoft.Nothing`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().error.code, 'InvalidResourceNamespace');
    assert.equal((await get('/tenants')).json().value[0].tenantId, lab.tenantId);
  });

  it('serves /metadata/endpoints without a token: the 2015-01-01 object, and the later list of clouds', async () => {
    const old = await labHttps(server, 'GET', `${server.httpsUrl}/metadata/endpoints?api-version=2015-01-01`);
    assert.equal(old.status, 200);
    assert.deepEqual(old.json().authentication, {
      loginEndpoint: `${server.httpsUrl}/`,
      audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
    });
    const slashes = await labHttps(server, 'GET', `${server.httpsUrl}//metadata/endpoints?api-version=2015-01-01`);
    assert.equal(slashes.status, 200, 'msrestazure appends the path to an endpoint that ends in a slash');
    const real = await labHttps(server, 'GET', `${server.httpsUrl}/metadata/endpoints?api-version=2022-09-01`, {
      headers: { Host: 'management.azure.com' },
    });
    const [cloud] = real.json() as Array<{ name: string; resourceManager: string; authentication: { loginEndpoint: string } }>;
    assert.equal(cloud!.name, 'AzureCloud');
    assert.equal(cloud!.resourceManager, 'https://management.azure.com/');
    assert.equal(cloud!.authentication.loginEndpoint, 'https://login.microsoftonline.com');
  });
});
