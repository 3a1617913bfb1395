// `az ad app create|show`, `az ad app credential reset`, `az ad sp create` and
// `az ad sp create-for-rbac`: app registrations and service principals as two objects, secrets
// shown once, and a client-credentials sign-in that works with the new secret only.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { clientCredentials } from '../../../src/engine/services/entra/clientCredentials';
import { az, azFails, azJson } from './helpers';

/** A client-credentials token request, as an app with that secret would send it. */
async function signIn(lab: Lab, clientId: string, secret: string): Promise<number> {
  const form = new Map([
    ['grant_type', 'client_credentials'],
    ['client_id', clientId],
    ['client_secret', secret],
    ['scope', 'https://management.azure.com/.default'],
  ]);
  return (await clientCredentials(lab, { tenant: lab.tenantId, version: 'v2', form, authorityHost: 'https://login.microsoftonline.com' }))
    .status;
}

describe('az: app registrations and service principals', () => {
  it('az ad app create makes an app with no service principal; az ad sp create adds one, once', async () => {
    const lab = await createLab();
    const app = await azJson(lab, 'az ad app create --display-name orders-api');
    assert.equal(app['displayName'], 'orders-api');
    assert.equal(app['signInAudience'], 'AzureADMyOrg');
    const missing = await azFails(lab, `az ad sp show --id ${String(app['appId'])}`, 1);
    assert.match(missing.stderr, /does not exist/);
    const sp = await azJson(lab, `az ad sp create --id ${String(app['appId'])}`);
    assert.equal(sp['appId'], app['appId']);
    assert.equal(sp['servicePrincipalType'], 'Application');
    const again = await azFails(lab, `az ad sp create --id ${String(app['appId'])}`, 1);
    assert.match(again.stderr, /Another object with the same value for property servicePrincipalNames already exists\./);
    assert.equal((await azJson(lab, `az ad app show --id ${String(app['id'])}`))['appId'], app['appId'], 'found by object id too');
  });

  it('az ad sp create-for-rbac: app, service principal and a secret that signs in; --role needs --scopes', async () => {
    const lab = await createLab();
    const usage = await azFails(lab, 'az ad sp create-for-rbac -n job --role Reader', 1);
    assert.match(usage.stderr, /Usage error: To create role assignments, specify both --role and --scopes\./);
    const group = `/subscriptions/${lab.defaultSubscriptionId}/resourceGroups/rg-lab`;
    const result = await az(lab, `az ad sp create-for-rbac -n job --role Reader --scopes ${group}`);
    assert.equal(result.exitCode, 0, result.stderr);
    const created = JSON.parse(result.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(created).sort(), ['appId', 'displayName', 'password', 'tenant']);
    assert.match(result.stderr, new RegExp(`WARNING: Creating 'Reader' role assignment under scope '${group}'`));
    assert.match(result.stderr, /WARNING: The output includes credentials that you must protect\./);
    const sp = lab.directory.byClientId(created['appId']!)!;
    assert.ok(lab.assignments.forPrincipal(sp.objectId).some(a => a.state.scope === group));
    assert.equal(await signIn(lab, created['appId']!, created['password']!), 200);
    // The same name again patches that app (as az does) with a new secret; the old one stops working.
    const again = await az(lab, 'az ad sp create-for-rbac -n job');
    assert.match(again.stderr, /Found an existing application instance: \(id\) [0-9a-f-]+\. We will patch it\./);
    const renewed = JSON.parse(again.stdout) as Record<string, string>;
    assert.equal(renewed['appId'], created['appId']);
    assert.equal(await signIn(lab, created['appId']!, created['password']!), 401);
    assert.equal(await signIn(lab, created['appId']!, renewed['password']!), 200);
  });

  it('az ad app credential reset replaces the secrets; --append keeps the old ones', async () => {
    const lab = await createLab();
    const created = await azJson(lab, 'az ad sp create-for-rbac -n worker');
    const appId = String(created['appId']);
    const appended = await azJson(lab, `az ad app credential reset --id ${appId} --append`);
    assert.equal(await signIn(lab, appId, String(created['password'])), 200);
    assert.equal(await signIn(lab, appId, String(appended['password'])), 200);
    const reset = await azJson(lab, `az ad app credential reset --id ${appId} --years 2`);
    assert.deepEqual(Object.keys(reset).sort(), ['appId', 'password', 'tenant']);
    assert.equal(await signIn(lab, appId, String(created['password'])), 401);
    assert.equal(await signIn(lab, appId, String(appended['password'])), 401);
    assert.equal(await signIn(lab, appId, String(reset['password'])), 200);
    const unknown = await azFails(lab, 'az ad app credential reset --id 00000000-0000-0000-0000-000000000001', 1);
    assert.match(unknown.stderr, /does not exist/);
  });
});
