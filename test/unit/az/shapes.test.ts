// The output shapes of the commands the course material uses, checked against Azure's (field
// names, casing, types, nesting) as ../shared/reference/az-shapes.md records them.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { az, azJson, GUID } from './helpers';

type Obj = Record<string, unknown>;
const keys = (o: unknown) => Object.keys(o as Obj).sort();

/** Python's json.dumps(indent=2, sort_keys=True), written independently of the code under test. */
function pythonJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map(k => [k, sort((v as Obj)[k])]),
          )
        : v;
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

async function seedLab(): Promise<{ lab: Lab; sub: string }> {
  const lab = await createLab();
  const sub = lab.defaultSubscriptionId;
  for (const line of [
    'az group create -n myRG -l eastus',
    'az vm create -g myRG -n myVM --image Ubuntu2204 --generate-ssh-keys',
    'az appservice plan create -g myRG -n myPlan',
    'az webapp create -g myRG -n my-web-app-lab -p myPlan',
    'az keyvault create -g myRG -n myKeyVault',
  ]) {
    const r = await az(lab, line);
    assert.equal(r.exitCode, 0, `${line}: ${r.stderr}`);
  }
  return { lab, sub };
}

describe('az output shapes (az-shapes.md)', () => {
  it('az identity create/show: the newer CLI shape — no clientSecretUrl, systemData null, lower-case resourcegroups in the id', async () => {
    const { lab, sub } = await seedLab();
    const created = await azJson(lab, 'az identity create --resource-group myRG --name myAppIdentity --location eastus');
    assert.deepEqual(keys(created), [
      'clientId',
      'id',
      'location',
      'name',
      'principalId',
      'resourceGroup',
      'systemData',
      'tags',
      'tenantId',
      'type',
    ]);
    assert.equal(created['systemData'], null);
    assert.deepEqual(created['tags'], {});
    assert.equal(
      created['id'],
      `/subscriptions/${sub}/resourcegroups/myRG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myAppIdentity`,
    );
    assert.equal(created['type'], 'Microsoft.ManagedIdentity/userAssignedIdentities');
    assert.equal(created['resourceGroup'], 'myRG');
    assert.match(String(created['clientId']), GUID);
    assert.match(String(created['principalId']), GUID);
    assert.notEqual(created['clientId'], created['principalId'], 'client id and principal (object) id are different ids');
    assert.equal(created['tenantId'], lab.tenantId);
    assert.deepEqual(await azJson(lab, 'az identity show -g myRG -n myAppIdentity'), created, 'show returns the object create printed');
  });

  it('prints JSON the way az does: keys sorted at every level, two-space indent, a final newline', async () => {
    const { lab } = await seedLab();
    const result = await az(lab, 'az vm identity assign -g myRG -n myVM');
    assert.equal(result.stdout, pythonJson(JSON.parse(result.stdout)));
    const vault = await az(lab, 'az keyvault show -n myKeyVault');
    assert.equal(vault.stdout, pythonJson(JSON.parse(vault.stdout)));
    assert.match(vault.stdout, /^\{\n {2}"id": /);
  });

  it('az vm identity assign: systemAssignedIdentity/userAssignedIdentities, plus role/scope only with --scope (vm/custom.py _construct_identity_info)', async () => {
    const { lab, sub } = await seedLab();
    const system = await azJson(lab, 'az vm identity assign --resource-group myRG --name myVM');
    assert.deepEqual(keys(system), ['systemAssignedIdentity', 'userAssignedIdentities']);
    const principalId = lab.arm.resources.find(r => r.name === 'myVM')!.identity!.systemAssigned!.principalId;
    assert.equal(system['systemAssignedIdentity'], principalId);
    assert.deepEqual(system['userAssignedIdentities'], {});

    const identity = await azJson(lab, 'az identity create -g myRG -n myAppIdentity');
    const both = await azJson(lab, 'az vm identity assign -g myRG -n myVM --identities myAppIdentity');
    const users = both['userAssignedIdentities'] as Record<string, Obj>;
    assert.deepEqual(Object.keys(users), [identity['id']]);
    assert.deepEqual(users[String(identity['id'])], { clientId: identity['clientId'], principalId: identity['principalId'] });

    const scoped = await azJson(
      lab,
      `az vm identity assign -g myRG -n myVM --role Reader --scope /subscriptions/${sub}/resourceGroups/myRG`,
    );
    assert.deepEqual(keys(scoped), ['role', 'scope', 'systemAssignedIdentity', 'userAssignedIdentities']);
    assert.equal(scoped['role'], 'Reader');
    assert.equal(scoped['scope'], `/subscriptions/${sub}/resourceGroups/myRG`);
    assert.ok(
      lab.assignments.forPrincipal(principalId).some(a => a.state.scope.endsWith('/resourceGroups/myRG')),
      'the role was granted',
    );

    await azJson(lab, 'az vm create -g myRG -n onlyUser --image Ubuntu2204 --generate-ssh-keys --assign-identity myAppIdentity');
    const userOnly = await azJson(lab, 'az vm identity assign -g myRG -n onlyUser --identities myAppIdentity');
    assert.equal(userOnly['systemAssignedIdentity'], '', 'no system-assigned identity prints an empty string');
  });

  it('az vm identity show: the ARM identity object (principalId, not systemAssignedIdentity), with "SystemAssigned, UserAssigned"', async () => {
    const { lab } = await seedLab();
    await az(lab, 'az vm identity assign -g myRG -n myVM');
    const shown = await azJson(lab, 'az vm identity show -g myRG -n myVM');
    assert.deepEqual(keys(shown), ['principalId', 'tenantId', 'type']);
    assert.equal(shown['type'], 'SystemAssigned');
    await az(lab, 'az identity create -g myRG -n myAppIdentity');
    await az(lab, 'az vm identity assign -g myRG -n myVM --identities myAppIdentity');
    const combined = await azJson(lab, 'az vm identity show -g myRG -n myVM');
    assert.deepEqual(keys(combined), ['principalId', 'tenantId', 'type', 'userAssignedIdentities']);
    assert.equal(combined['type'], 'SystemAssigned, UserAssigned');
    const none = await az(lab, 'az vm identity show -g myRG -n nothing-here');
    assert.equal(none.exitCode, 1);
  });

  it('az webapp identity assign: the ARM identity object (az-shapes §4)', async () => {
    const { lab } = await seedLab();
    const assigned = await azJson(lab, 'az webapp identity assign --resource-group myRG --name my-web-app-lab');
    assert.deepEqual(keys(assigned), ['principalId', 'tenantId', 'type']);
    assert.equal(assigned['type'], 'SystemAssigned');
    assert.match(String(assigned['principalId']), GUID);
    const identity = await azJson(lab, 'az identity create -g myRG -n myAppIdentity');
    const both = await azJson(lab, `az webapp identity assign -g myRG -n my-web-app-lab --identities ${identity['id']}`);
    assert.equal(both['type'], 'SystemAssigned, UserAssigned');
    assert.equal(both['principalId'], assigned['principalId'], 'assigning again keeps the same system-assigned principal');
    assert.deepEqual((both['userAssignedIdentities'] as Record<string, Obj>)[String(identity['id'])], {
      clientId: identity['clientId'],
      principalId: identity['principalId'],
    });
  });

  it('az role assignment create: the flattened newer shape, no roleDefinitionName, resourceGroup only at group scope (az-shapes §5b)', async () => {
    const { lab, sub } = await seedLab();
    const identity = await azJson(lab, 'az identity create -g myRG -n myAppIdentity');
    const atSub = await azJson(
      lab,
      `az role assignment create --assignee ${identity['principalId']} --role Contributor --scope /subscriptions/${sub}`,
    );
    assert.deepEqual(keys(atSub), [
      'condition',
      'conditionVersion',
      'createdBy',
      'createdOn',
      'delegatedManagedIdentityResourceId',
      'description',
      'id',
      'name',
      'principalId',
      'principalType',
      'roleDefinitionId',
      'scope',
      'type',
      'updatedBy',
      'updatedOn',
    ]);
    assert.equal(atSub['principalType'], 'ServicePrincipal');
    assert.equal(
      atSub['roleDefinitionId'],
      `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
    );
    assert.equal(atSub['id'], `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments/${atSub['name']}`);
    assert.match(String(atSub['createdOn']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/, 'Python isoformat with microseconds');
    assert.equal(atSub['updatedBy'], lab.directory.user.objectId);
    const atGroup = await azJson(
      lab,
      `az role assignment create --assignee-object-id ${identity['principalId']} --assignee-principal-type ServicePrincipal --role Reader -g myRG`,
    );
    assert.equal(atGroup['resourceGroup'], 'myRG');
    assert.ok(!('roleDefinitionName' in atGroup));
  });

  it('az role assignment list: adds principalName and roleDefinitionName; "" for a deleted principal (az-shapes §6)', async () => {
    const { lab, sub } = await seedLab();
    const identity = await azJson(lab, 'az identity create -g myRG -n myAppIdentity');
    await az(
      lab,
      `az role assignment create --assignee ${identity['principalId']} --role "Storage Blob Data Contributor" --scope /subscriptions/${sub}`,
    );
    const listed = await azJson<Obj[]>(lab, `az role assignment list --assignee ${identity['principalId']}`);
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!['roleDefinitionName'], 'Storage Blob Data Contributor');
    assert.equal(
      listed[0]!['principalName'],
      identity['clientId'],
      "a service principal's name is its first servicePrincipalName, the client id",
    );
    await az(lab, 'az identity delete -g myRG -n myAppIdentity');
    const orphaned = await azJson<Obj[]>(
      lab,
      `az role assignment list --scope /subscriptions/${sub} --role "Storage Blob Data Contributor"`,
    );
    assert.equal(orphaned.length, 1);
    assert.equal(orphaned[0]!['principalName'], '', 'the identity is gone: "Identity not found" in the portal, "" here');
    assert.equal(orphaned[0]!['principalId'], identity['principalId']);
  });

  it("--query principalId --output tsv prints the bare value; a projection with --output table keeps the query's column order", async () => {
    const { lab } = await seedLab();
    await az(lab, 'az vm identity assign -g myRG -n myVM');
    const principalId = lab.arm.resources.find(r => r.name === 'myVM')!.identity!.systemAssigned!.principalId;
    assert.equal(
      (await az(lab, 'az vm identity show --resource-group myRG --name myVM --query principalId --output tsv')).stdout,
      `${principalId}\n`,
    );
    const identity = await azJson(lab, 'az identity create -g myRG -n myAppIdentity');
    const table = await az(
      lab,
      'az identity show --resource-group myRG --name myAppIdentity --query "{ResourceID:id, ClientID:clientId, PrincipalID:principalId}" --output table',
    );
    const id = String(identity['id']);
    const widths = [id.length, 36, 36];
    const row = (cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd();
    assert.equal(
      table.stdout,
      `${row(['ResourceID', 'ClientID', 'PrincipalID'])}\n${row(widths.map(w => '-'.repeat(w)))}\n${row([id, String(identity['clientId']), String(identity['principalId'])])}\n`,
    );
    const tsv = await az(lab, 'az identity show -g myRG -n myAppIdentity --query "{p:principalId, c:clientId}" -o tsv');
    assert.equal(tsv.stdout, `${identity['principalId']}\t${identity['clientId']}\n`, 'tsv follows the query order, not the sorted keys');
    const sorted = await az(lab, 'az identity show -g myRG -n myAppIdentity -o tsv');
    assert.equal(sorted.stdout.split('\t')[0], identity['clientId'], 'without a query the columns are sorted by key (clientId first)');
    assert.match(sorted.stdout, /\tNone\t\t/, "null prints as Python's None, a nested object as nothing");
  });

  it('--output table without a query: scalar fields only, id/type skipped, sorted, capitalized; table transformers for role assignment list', async () => {
    const { lab } = await seedLab();
    const table = await az(lab, 'az identity show -g myRG -n nothing -o table');
    assert.equal(table.exitCode, 1);
    await az(lab, 'az identity create -g myRG -n myAppIdentity');
    const shown = await az(lab, 'az identity show -g myRG -n myAppIdentity -o table');
    const header = shown.stdout.split('\n')[0]!.split(/\s{2,}/);
    assert.deepEqual(header, ['ClientId', 'Location', 'Name', 'PrincipalId', 'ResourceGroup', 'TenantId']);
    const assignments = await az(lab, 'az role assignment list --all -o table');
    assert.deepEqual(assignments.stdout.split('\n')[0]!.split(/\s{2,}/), ['Principal', 'Role', 'Scope']);
    assert.match(assignments.stdout, /learner@contosolab\.onmicrosoft\.com\s+Owner\s+\/subscriptions\//);
  });

  it('az vm create --assign-identity without --scope warns exactly as the CLI does, and embeds the identity info', async () => {
    const { lab } = await seedLab();
    const result = await az(lab, 'az vm create -g myRG -n web2 --image Ubuntu2204 --generate-ssh-keys --assign-identity');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(
      result.stderr,
      `WARNING: No access was given yet to the 'web2', because '--scope' was not provided. You should setup by creating a role assignment, e.g. 'az role assignment create --assignee <principal-id> --role contributor -g myRG' would let it access the current resource group. To get the pricipal id, run 'az vm show -g myRG -n web2 --query "identity.principalId" -otsv'\n`,
    );
    const output = JSON.parse(result.stdout) as Obj;
    assert.deepEqual(keys(output), [
      'fqdns',
      'id',
      'identity',
      'location',
      'macAddress',
      'powerState',
      'privateIpAddress',
      'publicIpAddress',
      'resourceGroup',
      'zones',
    ]);
    assert.deepEqual(keys(output['identity']), ['systemAssignedIdentity', 'userAssignedIdentities']);
    const quiet = await az(lab, 'az vm create -g myRG -n web3 --image Ubuntu2204 --generate-ssh-keys --assign-identity --only-show-errors');
    assert.equal(quiet.stderr, '', '--only-show-errors suppresses the warning');
    const principal = await az(lab, 'az vm show -g myRG -n web2 --query "identity.principalId" -otsv');
    assert.equal(principal.stdout.trim(), (output['identity'] as Obj)['systemAssignedIdentity'], 'the command the warning suggests works');
  });
});
