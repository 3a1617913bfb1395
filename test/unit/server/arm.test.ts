// ARM's REST surface over real HTTPS, authorized with `actions` for the token's principal.
import { mutable } from '../../../src/engine/lab/mutable';
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { createRoleAssignment } from '../../../src/engine/operations/roleAssignments';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { resourceGroupId } from '../../../src/engine/azure/resourceId';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { imdsToken, labHttps } from '../../support/labHttps';

describe('server: ARM REST surface', () => {
  let lab: Lab;
  let server: RunningLabServer;
  let vmId: string;
  let principal: string;
  let clientId: string;
  let group: string;
  let token: string;
  const arm = (method: string, path: string, body?: unknown, tokenOverride?: string | null) =>
    labHttps(server, method, `${server.httpsUrl}${path}${path.includes('?') ? '&' : '?'}api-version=2024-03-01`, {
      ...(tokenOverride === null ? {} : { token: tokenOverride ?? token }),
      ...(body === undefined ? {} : { body }),
    });

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    vmId = vm.id;
    principal = vm.identity!.systemAssigned!.principalId;
    clientId = vm.identity!.systemAssigned!.clientId;
    group = resourceGroupId(lab.defaultSubscriptionId, SAMPLE.resourceGroup);
    token = await imdsToken(server, vmId, 'https://management.azure.com/');
  });
  after(() => server.close());

  it('refuses a request without a token: 401 AuthenticationFailed with a challenge', async () => {
    const answer = await arm('GET', group, undefined, null);
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.json(), {
      error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." },
    });
    assert.match(String(answer.headers['www-authenticate']), /^Bearer authorization_uri="https:\/\/login\.windows\.net\/"/);
  });

  it('refuses a Key Vault token: InvalidAuthenticationTokenAudience', async () => {
    const answer = await arm('GET', group, undefined, await imdsToken(server, vmId, 'https://vault.azure.net'));
    assert.equal(answer.status, 401);
    assert.equal(answer.json().error.code, 'InvalidAuthenticationTokenAudience');
    assert.match(answer.json().error.message, /wrong audience or resource 'https:\/\/vault\.azure\.net'/);
  });

  it('requires api-version', async () => {
    const answer = await labHttps(server, 'GET', `${server.httpsUrl}${group}`, { token });
    assert.equal(answer.status, 400);
    assert.equal(answer.json().error.code, 'MissingApiVersionParameter');
  });

  it('denies reads without a role: 403 AuthorizationFailed in ARM’s words', async () => {
    const answer = await arm('GET', group);
    assert.equal(answer.status, 403);
    assert.equal(
      answer.json().error.message,
      `The client '${clientId}' with object id '${principal}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourceGroups/read' over scope '${group}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  });

  it('Reader reads (the identity in ARM’s shape) but cannot write', async () => {
    createRoleAssignment(lab, LAB_CALLER, { scope: group, role: 'Reader', principalId: principal });
    const read = await arm('GET', vmId);
    assert.equal(read.status, 200);
    assert.deepEqual(read.json().identity, { principalId: principal, tenantId: lab.tenantId, type: 'SystemAssigned' });
    const list = await arm('GET', `${group}/resources`);
    assert.deepEqual(
      list
        .json()
        .value.map((r: { name: string }) => r.name)
        .sort(),
      [SAMPLE.vault, SAMPLE.vm],
    );
    const write = await arm('PUT', `${group}/providers/Microsoft.Compute/virtualMachines/vm-new`, { location: 'eastus' });
    assert.equal(write.status, 403);
    assert.match(write.json().error.message, /perform action 'Microsoft\.Compute\/virtualMachines\/write'/);
    assert.equal(lab.arm.resource(`${group}/providers/Microsoft.Compute/virtualMachines/vm-new`), undefined, 'nothing changed');
  });

  it('Contributor creates a VM with a system-assigned identity, turns it off with PATCH, but cannot assign roles', async () => {
    createRoleAssignment(lab, LAB_CALLER, { scope: group, role: 'Contributor', principalId: principal });
    const path = `${group}/providers/Microsoft.Compute/virtualMachines/vm-made-by-arm`;
    const created = await arm('PUT', path, { location: 'westeurope', identity: { type: 'SystemAssigned' }, tags: { env: 'lab' } });
    assert.equal(created.status, 201);
    const newPrincipal = created.json().identity.principalId as string;
    assert.ok(lab.directory.byObject(newPrincipal));
    const patched = await arm('PATCH', path, { identity: { type: 'None' } });
    assert.equal(patched.status, 200);
    assert.equal(patched.json().identity, undefined);
    assert.equal(lab.directory.byObject(newPrincipal), undefined, 'turning it off deletes the principal');
    const assign = await arm('PUT', `${group}/providers/Microsoft.Authorization/roleAssignments/6d7c2f0e-52d1-4c53-9d25-3d4bbbd52f84`, {
      properties: {
        roleDefinitionId: `/subscriptions/${lab.defaultSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
        principalId: principal,
      },
    });
    assert.equal(assign.status, 403);
    assert.match(assign.json().error.message, /perform action 'Microsoft\.Authorization\/roleAssignments\/write'/);
  });

  it('with User Access Administrator: creates, lists and deletes role assignments', async () => {
    createRoleAssignment(lab, LAB_CALLER, { scope: group, role: 'User Access Administrator', principalId: principal });
    const name = '0b9a2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
    const path = `${group}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    const created = await arm('PUT', path, {
      properties: {
        roleDefinitionId: `/subscriptions/${lab.defaultSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
        principalId: lab.directory.user.objectId,
      },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json().properties.principalType, 'User');
    const again = await arm('PUT', path.replace(name, '1b9a2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'), {
      properties: { roleDefinitionId: created.json().properties.roleDefinitionId, principalId: lab.directory.user.objectId },
    });
    assert.equal(again.status, 409);
    assert.deepEqual(again.json(), { error: { code: 'RoleAssignmentExists', message: 'The role assignment already exists.' } });
    const listed = await arm(
      'GET',
      `${group}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${lab.directory.user.objectId}'`)}`,
    );
    assert.ok(listed.json().value.some((a: { name: string }) => a.name === name));
    assert.equal((await arm('DELETE', path)).status, 200);
    assert.equal(lab.assignments.get(name), undefined);
  });

  it('answers unknown things with ARM’s 404s and bad bodies with 400, changing nothing', async () => {
    const before = JSON.stringify(lab.toState());
    assert.equal((await arm('GET', `${group}/providers/Microsoft.KeyVault/vaults/ghost`)).json().error.code, 'ResourceNotFound');
    assert.equal((await arm('GET', resourceGroupId(lab.defaultSubscriptionId, 'rg-ghost'))).json().error.code, 'ResourceGroupNotFound');
    const bad = await arm('PUT', `${group}/providers/Microsoft.Compute/virtualMachines/vm-bad`, '{not json');
    assert.equal(bad.status, 400);
    assert.equal(
      (await arm('PUT', `${group}/providers/Microsoft.Compute/virtualMachines/vm-bad`, { identity: { type: 'Sideways' } })).status,
      400,
    );
    assert.equal(JSON.stringify(lab.toState()), before);
  });

  it('refuses malformed access policies and SQL admins with 400 InvalidRequestContent, changing nothing', async () => {
    const vault = `${group}/providers/Microsoft.KeyVault/vaults/${SAMPLE.vault}`;
    const sqlServer = `${group}/providers/Microsoft.Sql/servers/sql-arm-lab`;
    const before = JSON.stringify(lab.toState());
    const refusals: Array<[string, unknown, string]> = [
      [vault, { enableRbacAuthorization: false, accessPolicies: 'everyone' }, 'properties.accessPolicies'],
      [
        vault,
        { enableRbacAuthorization: false, accessPolicies: [{ tenantId: lab.tenantId, permissions: { secrets: ['get'] } }] },
        'properties.accessPolicies[0].objectId',
      ],
      [vault, { accessPolicies: [{ objectId: principal }] }, 'properties.accessPolicies[0].permissions'],
      [
        vault,
        { accessPolicies: [{ objectId: principal, permissions: { secrets: 'get' } }] },
        'properties.accessPolicies[0].permissions.secrets',
      ],
      [vault, { enableRbacAuthorization: 'false' }, 'properties.enableRbacAuthorization'],
      [sqlServer, { administrators: { login: 'dba', sid: 42 } }, 'properties.administrators.sid'],
      [sqlServer, { administrators: 'dba' }, 'properties.administrators'],
    ];
    for (const [path, properties, at] of refusals) {
      const answer = await arm('PUT', path, { location: SAMPLE.location, properties });
      assert.equal(answer.status, 400, `${at}: ${answer.text}`);
      assert.equal(answer.json().error.code, 'InvalidRequestContent', at);
      assert.match(
        answer.json().error.message,
        new RegExp(`^The request content was invalid and could not be deserialized: '${at.replace(/[.[\]]/g, '\\$&')}' must be`),
        at,
      );
    }
    assert.equal(JSON.stringify(lab.toState()), before);
    const good = await arm('PUT', vault, {
      location: SAMPLE.location,
      properties: {
        enableRbacAuthorization: false,
        accessPolicies: [{ tenantId: lab.tenantId, objectId: principal, permissions: { secrets: ['get', 'list'] } }],
      },
    });
    assert.equal(good.status, 200, good.text);
  });

  it('reads stored properties defensively: a malformed access policy or SQL admin (a hand-edited state file) denies, never a 500', async () => {
    const vault = mutable(lab).arm.resources.find(r => r.name === SAMPLE.vault)!;
    vault.properties['enableRbacAuthorization'] = false;
    const kvToken = await imdsToken(server, vmId, 'https://vault.azure.net');
    const secret = () =>
      labHttps(server, 'GET', `https://${SAMPLE.vault}.vault.azure.net:${server.port}/secrets/${SAMPLE.secret}?api-version=7.4`, {
        token: kvToken,
      });
    for (const policies of [
      'everyone',
      [{ permissions: { secrets: ['get'] } }],
      [{ objectId: principal }],
      [{ objectId: principal, permissions: { secrets: 'all' } }],
      [null, 7],
    ]) {
      vault.properties['accessPolicies'] = policies;
      const answer = await secret();
      assert.equal(answer.status, 403, `${JSON.stringify(policies)}: ${answer.text}`);
    }
    vault.properties['accessPolicies'] = [7, { objectId: principal, permissions: { secrets: ['get'] } }];
    assert.equal((await secret()).status, 200, 'a good entry still counts beside a bad one');

    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqlserver', name: 'sql-defensive' });
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqldb', name: 'sql-defensive/db' });
    const sqlServer = mutable(lab).arm.resources.find(r => r.name === 'sql-defensive')!;
    const sqlToken = await imdsToken(server, vmId, 'https://database.windows.net/');
    for (const administrators of [{ login: 'dba', sid: 42 }, 'dba', { sid: ['x'], login: 'dba' }]) {
      sqlServer.properties['administrators'] = administrators;
      const answer = await labHttps(server, 'POST', `https://sql-defensive.database.windows.net:${server.port}/databases/db/query`, {
        token: sqlToken,
        body: { query: 'SELECT CURRENT_USER' },
      });
      assert.equal(answer.status, 401, `${JSON.stringify(administrators)}: ${answer.text}`);
      assert.equal(answer.json().error.number, 18456);
    }
  });
});
