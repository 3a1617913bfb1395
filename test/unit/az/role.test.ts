// `az role assignment` behaviours from azure-cli's role/custom.py: idempotent create, the
// subscription-scope default of list, --include-inherited, --all, and delete.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { az, azFails, azJson } from './helpers';

type Obj = Record<string, unknown>;

async function labWithIdentity() {
  const lab = await createLab();
  const sub = lab.defaultSubscriptionId;
  const identity = await azJson(lab, 'az identity create -g rg-lab -n app-id');
  const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!.id;
  return { lab, sub, identity, vault, principal: String(identity['principalId']) };
}

describe('az role assignment', () => {
  it("create is idempotent: asked again, it prints the existing assignment (in list's shape) and adds nothing", async () => {
    const { lab, vault, principal } = await labWithIdentity();
    const line = `az role assignment create --assignee-object-id ${principal} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope ${vault}`;
    const first = await azJson(lab, line);
    const count = lab.assignments.size;
    const again = await azJson(lab, line);
    assert.equal(lab.assignments.size, count);
    assert.equal(again['id'], first['id']);
    assert.equal(again['roleDefinitionName'], 'Key Vault Secrets User');
    const byName = await azJson(
      lab,
      `az role assignment create --assignee ${principal} --role 4633458b-17de-408a-b874-0445c86b69e6 --scope ${vault}`,
    );
    assert.equal(byName['id'], first['id'], 'the same assignment, whether the role is named by name or GUID');
  });

  it('--assignee accepts an object id, a client id or a user sign-in name, not a display name', async () => {
    const { lab, sub, identity, principal } = await labWithIdentity();
    const byClient = await azJson(
      lab,
      `az role assignment create --assignee ${identity['clientId']} --role Reader --scope /subscriptions/${sub}`,
    );
    assert.equal(byClient['principalId'], principal);
    const byUpn = await azJson(
      lab,
      `az role assignment create --assignee learner@contosolab.onmicrosoft.com --role Reader --scope /subscriptions/${sub}`,
    );
    assert.equal(byUpn['principalType'], 'User');
    const byName = await azFails(lab, `az role assignment create --assignee app-id --role Reader --scope /subscriptions/${sub}`, 1);
    assert.match(byName.stderr, /Cannot find user or service principal in graph database for 'app-id'/);
    assert.match(byName.stderr, new RegExp(`Lab: 'app-id' is the display name of a managed identity with object id ${principal}`));
  });

  it('list covers exactly the subscription scope by default; --all everything; --include-inherited the scopes above', async () => {
    const { lab, sub, vault, principal } = await labWithIdentity();
    await az(lab, `az role assignment create --assignee ${principal} --role Reader --scope /subscriptions/${sub}`);
    await az(lab, `az role assignment create --assignee ${principal} --role Contributor -g rg-lab`);
    await az(lab, `az role assignment create --assignee ${principal} --role "Key Vault Secrets User" --scope ${vault}`);
    const roles = (items: Obj[]) => items.map(i => i['roleDefinitionName']).sort();
    assert.deepEqual(roles(await azJson<Obj[]>(lab, `az role assignment list --assignee ${principal}`)), ['Reader']);
    assert.deepEqual(roles(await azJson<Obj[]>(lab, `az role assignment list --assignee ${principal} --all`)), [
      'Contributor',
      'Key Vault Secrets User',
      'Reader',
    ]);
    assert.deepEqual(roles(await azJson<Obj[]>(lab, `az role assignment list --assignee ${principal} --scope ${vault}`)), [
      'Key Vault Secrets User',
    ]);
    assert.deepEqual(
      roles(await azJson<Obj[]>(lab, `az role assignment list --assignee ${principal} --scope ${vault} --include-inherited`)),
      ['Contributor', 'Key Vault Secrets User', 'Reader'],
    );
    assert.deepEqual(roles(await azJson<Obj[]>(lab, `az role assignment list --all --role Contributor`)), ['Contributor']);
    assert.equal(
      (await azFails(lab, 'az role assignment list --all -g rg-lab', 1)).stderr,
      'ERROR: group or scope are not required when --all is used\n',
    );
  });

  it('--include-inherited takes the scopes above, never a sibling whose name shares a prefix (rg is not above rg-other)', async () => {
    const { lab, principal } = await labWithIdentity();
    const sub = lab.defaultSubscriptionId;
    await az(lab, 'az group create -n rg -l eastus');
    await az(lab, 'az group create -n rg-other -l eastus');
    await az(lab, `az role assignment create --assignee ${principal} --role Reader -g rg`);
    await az(lab, `az role assignment create --assignee ${principal} --role "Key Vault Reader" -g rg-other`);
    await az(lab, `az role assignment create --assignee ${principal} --role "Storage Blob Data Reader" --scope /subscriptions/${sub}`);
    const roles = (items: Obj[]) => items.map(i => i['roleDefinitionName']).sort();
    const atOther = `az role assignment list --assignee ${principal} --scope /subscriptions/${sub}/resourceGroups/rg-other --include-inherited`;
    assert.deepEqual(
      roles(await azJson<Obj[]>(lab, atOther)),
      ['Key Vault Reader', 'Storage Blob Data Reader'],
      'rg is not above rg-other',
    );
    const atRg = `az role assignment list --assignee ${principal} --scope /subscriptions/${sub}/resourceGroups/rg --include-inherited`;
    assert.deepEqual(roles(await azJson<Obj[]>(lab, atRg)), ['Reader', 'Storage Blob Data Reader']);
  });

  it('delete removes what matches, by filters or by --ids, and says so when nothing matches', async () => {
    const { lab, sub, principal } = await labWithIdentity();
    const created = await azJson(lab, `az role assignment create --assignee ${principal} --role Reader --scope /subscriptions/${sub}`);
    await azFails(lab, `az role assignment delete --assignee ${principal} --role Contributor`, 1);
    const deleted = await az(lab, `az role assignment delete --assignee ${principal} --role Reader`);
    assert.equal(deleted.exitCode, 0, deleted.stderr);
    assert.equal(deleted.stdout, '');
    assert.equal(lab.assignments.get(String(created['name'])), undefined);
    const again = await azJson(lab, `az role assignment create --assignee ${principal} --role Reader -g rg-lab`);
    assert.equal((await az(lab, `az role assignment delete --ids ${again['id']}`)).exitCode, 0);
    assert.equal(lab.assignments.get(String(again['name'])), undefined);
  });

  it("role definition list: by name, with the built-in role's real id and permissions", async () => {
    const { lab, sub } = await labWithIdentity();
    const [role] = await azJson<Obj[]>(lab, 'az role definition list --name "Key Vault Secrets User"');
    assert.equal(role!['name'], '4633458b-17de-408a-b874-0445c86b69e6');
    assert.equal(
      role!['id'],
      `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
    );
    assert.equal(role!['roleType'], 'BuiltInRole');
    assert.deepEqual((role!['permissions'] as Obj[])[0]!['dataActions'], [
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    ]);
    const table = await az(lab, 'az role definition list --name Reader -o table');
    assert.match(table.stdout, /^Name\s+Type\s+Description\n/);
  });
});
