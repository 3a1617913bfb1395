// Key Vault's data plane over real HTTPS: what a response may reveal, what a request may
// store, and hostile names answered with Key Vault's 400s (never a 500).
import { mutable } from '../../../src/engine/lab/mutable';
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { parseLabState } from '../../../src/engine/state/schema';
import { imdsToken, labHttps } from '../../support/labHttps';

describe('server: Key Vault secrets', () => {
  let lab: Lab;
  let server: RunningLabServer;
  let vmId: string;
  let token: string;
  const secretUrl = (path: string) => `https://${SAMPLE.vault}.vault.azure.net:${server.port}/secrets/${path}?api-version=7.4`;

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    vmId = vm.id;
    // Access policies: the VM may set and delete secrets, but not read them.
    const vault = mutable(lab).arm.resources.find(r => r.name === SAMPLE.vault)!;
    vault.properties['enableRbacAuthorization'] = false;
    vault.properties['accessPolicies'] = [
      { tenantId: lab.tenantId, objectId: vm.identity!.systemAssigned!.principalId, permissions: { secrets: ['set', 'delete'] } },
    ];
    token = await imdsToken(server, vmId, 'https://vault.azure.net');
  });
  after(() => server.close());

  it('Delete Secret answers without the value, so a principal that may delete but not read learns nothing', async () => {
    assert.equal((await labHttps(server, 'GET', secretUrl(SAMPLE.secret), { token })).status, 403);
    const deleted = await labHttps(server, 'DELETE', secretUrl(SAMPLE.secret), { token });
    assert.equal(deleted.status, 200, deleted.text);
    const body = deleted.json();
    assert.equal('value' in body, false, deleted.text);
    assert.doesNotMatch(deleted.text, /P@ssw0rd-from-the-lab/);
    assert.match(body.recoveryId, /\/deletedsecrets\/db-password$/);
    assert.equal(typeof body.deletedDate, 'number');
    assert.equal(typeof body.scheduledPurgeDate, 'number');
    assert.equal(body.attributes.recoveryLevel, 'Recoverable+Purgeable');
  });

  it('refuses tags that are not strings with 400 BadParameter, and stores nothing a restart could not load', async () => {
    const answer = await labHttps(server, 'PUT', secretUrl('tagged'), { token, body: { value: 'x', tags: { a: 1 } } });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.json().error.code, 'BadParameter');
    const good = await labHttps(server, 'PUT', secretUrl('tagged'), { token, body: { value: 'x', tags: { a: '1' } } });
    assert.equal(good.status, 200, good.text);
    assert.deepEqual(good.json().tags, { a: '1' });
    const parsed = parseLabState(JSON.parse(JSON.stringify(lab.toState())));
    assert.ok(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.problems));
  });

  it('answers a name with broken percent-encoding (%25zz) with a 400 BadParameter, not a 500', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await labHttps(server, method, secretUrl('%25zz'), { token, ...(method === 'PUT' ? { body: { value: 'x' } } : {}) });
      assert.equal(answer.status, 400, `${method}: ${answer.text}`);
      assert.equal(answer.json().error.code, 'BadParameter');
    }
  });
});
