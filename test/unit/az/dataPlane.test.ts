// Key Vault secrets and Blob Storage through az, authorized as the signed-in learner: data
// actions need data roles, whatever the learner's management rights.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { az, azFails, azJson } from './helpers';

describe('az data plane as the learner', () => {
  it('az keyvault secret: Owner of the subscription is not enough; Key Vault Secrets Officer on the vault is', async () => {
    const lab = await createLab();
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    const denied = await azFails(lab, 'az keyvault secret show --vault-name kv-lab --name db-password', 1);
    assert.match(denied.stderr, /^ERROR: \(Forbidden\) Caller is not authorized to perform action on resource\./);
    assert.match(denied.stderr, /Action: 'Microsoft\.KeyVault\/vaults\/secrets\/getSecret\/action'/);
    assert.match(denied.stderr, /\nCode: Forbidden\nMessage: Caller is not authorized/);
    assert.match(denied.stderr, /\nInner error: \{\n {4}"code": "ForbiddenByRbac"\n\}\n$/);

    await azJson(
      lab,
      `az role assignment create --assignee-object-id ${lab.directory.user.objectId} --assignee-principal-type User --role "Key Vault Secrets Officer" --scope ${vault.id}`,
    );
    const set = await azJson(lab, 'az keyvault secret set --vault-name kv-lab --name api-key --value "s3cr3t value"');
    assert.deepEqual(Object.keys(set).sort(), ['attributes', 'contentType', 'id', 'kid', 'managed', 'name', 'tags', 'value']);
    assert.equal(set['name'], 'api-key');
    assert.match(String(set['id']), /^https:\/\/kv-lab\.vault\.azure\.net\/secrets\/api-key\/[0-9a-f]{32}$/);
    assert.match(String((set['attributes'] as Record<string, unknown>)['created']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    assert.equal((await az(lab, 'az keyvault secret show --vault-name kv-lab -n api-key --query value -o tsv')).stdout, 's3cr3t value\n');
    assert.equal((await az(lab, `az keyvault secret show --id ${set['id']} --query value -o tsv`)).stdout, 's3cr3t value\n');
    const names = await azJson<Array<Record<string, unknown>>>(lab, 'az keyvault secret list --vault-name kv-lab');
    assert.deepEqual(names.map(s => s['name']).sort(), ['api-key', 'db-password']);
    assert.ok(
      names.every(s => !('value' in s)),
      'list never shows values',
    );
    const missing = await azFails(lab, 'az keyvault secret show --vault-name kv-lab -n nope', 1);
    assert.match(missing.stderr, /^ERROR: \(SecretNotFound\) A secret with \(name\/id\) nope was not found in this key vault/);
    assert.match(
      (await azFails(lab, 'az keyvault secret list --vault-name no-such-vault', 1)).stderr,
      /Failed to resolve 'no-such-vault\.vault\.azure\.net'/,
    );
  });

  it("az storage container/blob with --auth-mode login: az's own 403 text until a Storage Blob Data role is granted", async () => {
    const lab = await createLab();
    await azJson(lab, 'az storage account create -g rg-lab -n labstore1');
    const container = await azJson(lab, 'az storage container create --account-name labstore1 --name docs --auth-mode login');
    assert.deepEqual(container, { created: true });
    const denied = await azFails(
      lab,
      'az storage blob upload --account-name labstore1 -c docs -n hello.txt --data hello --auth-mode login',
      1,
    );
    assert.match(
      denied.stderr,
      /^ERROR: \nYou do not have the required permissions needed to perform this operation\.\nDepending on your operation, you may need to be assigned one of the following roles:\n {4}"Storage Blob Data Owner"/,
    );
    await azJson(
      lab,
      `az role assignment create --assignee-object-id ${lab.directory.user.objectId} --assignee-principal-type User --role "Storage Blob Data Contributor" -g rg-lab`,
    );
    const uploaded = await azJson(
      lab,
      'az storage blob upload --account-name labstore1 -c docs -n hello.txt --data hello --auth-mode login',
    );
    assert.match(String(uploaded['etag']), /^"0x[0-9A-F]+"$/);
    const exists = await azFails(
      lab,
      'az storage blob upload --account-name labstore1 -c docs -n hello.txt --data again --auth-mode login',
      1,
    );
    assert.match(
      exists.stderr,
      /The specified blob already exists\.[\s\S]*ErrorCode:BlobAlreadyExists\nIf you want to overwrite the existing one, please add --overwrite in your command\.\n$/,
    );
    const listed = await azJson<Array<Record<string, unknown>>>(
      lab,
      'az storage blob list --account-name labstore1 -c docs --auth-mode login',
    );
    assert.deepEqual(
      listed.map(b => b['name']),
      ['hello.txt'],
    );
    assert.equal(
      (await az(lab, 'az storage blob download --account-name labstore1 -c docs -n hello.txt --auth-mode login')).stdout,
      'hello',
    );
    const keyMode = await azFails(lab, 'az storage blob list --account-name labstore1 -c docs', 1);
    assert.match(keyMode.stderr, /add --auth-mode login/);
  });
});
