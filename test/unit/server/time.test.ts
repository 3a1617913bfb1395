// Time against real HTTP: tokens used past their expiry are refused by each service in its
// own words; realistic RBAC propagation delays a new assignment (and a removal) on the lab
// clock; a group a managed identity joined counts only in tokens issued after it joined;
// an expired projected service-account token is AADSTS700024; IMDS's throttling window is the lab clock's.
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { advanceClock, pauseClock, useRealTime } from '../../../src/engine/operations/clock';
import { setRbacPropagation } from '../../../src/engine/operations/settings';
import { setHostFaults } from '../../../src/engine/operations/faults';
import { addFederatedCredential } from '../../../src/engine/operations/applications';
import { issuerUrlOf, mintServiceAccountToken, serviceAccountSubject } from '../../../src/engine/services/entra/workloadIssuer';
import { dotnetUtcTime } from '../../../src/server/services/messages';
import { runAz } from '../../../src/az';
import { imdsToken, labHttps } from '../../support/labHttps';
import type { ReadonlyResource } from '../../../src/engine/state/labState';

const az = async (lab: Lab, line: string[]) => {
  const result = await runAz(lab, line);
  assert.equal(result.exitCode, 0, result.stderr);
  return result.stdout.trim();
};

describe('server: time — expiry, propagation, group claims, federated assertions', () => {
  let lab: Lab;
  let server: RunningLabServer;
  let vault: ReadonlyResource;
  const secretUrl = () => `https://${SAMPLE.vault}.vault.azure.net:${server.port}/secrets/${SAMPLE.secret}?api-version=7.4`;
  const newVm = (name: string) =>
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'vm', name, identity: { systemAssigned: true } });
  const principalOf = (vm: ReadonlyResource) => vm.identity!.systemAssigned!.principalId;
  /** What the course's fix runs: az role assignment create for the VM's principal on the vault. */
  const grantSecretsUser = (vm: ReadonlyResource) =>
    az(lab, [
      'role',
      'assignment',
      'create',
      '--assignee-object-id',
      principalOf(vm),
      '--assignee-principal-type',
      'ServicePrincipal',
      '--role',
      'Key Vault Secrets User',
      '--scope',
      vault.id,
    ]);

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    vault = lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
  });
  afterEach(() => {
    useRealTime(lab);
    setRbacPropagation(lab, 'instant');
  });
  after(() => server.close());

  describe('a token used past its expiry', () => {
    let vm: ReadonlyResource;
    const tokens: Record<string, string> = {};
    before(async () => {
      vm = newVm('vm-expiry');
      await grantSecretsUser(vm);
      createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'storage', name: 'stexpiry' });
      // Azure SQL opens the server named in the login before it reads the token (engine/services/sql/login.ts).
      createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqlserver', name: 'sql-expiry' });
      createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqldb', name: 'sql-expiry/appdb' });
      for (const resource of [
        'https://vault.azure.net',
        'https://storage.azure.com/',
        'https://management.azure.com/',
        'https://database.windows.net/',
      ]) {
        tokens[resource] = await imdsToken(server, vm.id, resource);
      }
      assert.equal(
        (await labHttps(server, 'GET', secretUrl(), { token: tokens['https://vault.azure.net'] })).status,
        200,
        'fresh, it works',
      );
    });
    beforeEach(() => advanceClock(lab, '25h'));

    it("Key Vault: 401 [TokenExpired] Error validating token: 'S2S12086', with its challenge", async () => {
      const answer = await labHttps(server, 'GET', secretUrl(), { token: tokens['https://vault.azure.net'] });
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.json(), { error: { code: 'Unauthorized', message: "[TokenExpired] Error validating token: 'S2S12086'." } });
      assert.match(
        String(answer.headers['www-authenticate']),
        /^Bearer authorization="https:\/\/login\.windows\.net\/[0-9a-f-]+", resource="https:\/\/vault\.azure\.net"$/,
      );
    });

    it('Storage: 401 InvalidAuthenticationInfo, "Lifetime validation failed. The token is expired."', async () => {
      const answer = await labHttps(server, 'GET', `https://stexpiry.blob.core.windows.net:${server.port}/?comp=list`, {
        token: tokens['https://storage.azure.com/'],
        headers: { 'x-ms-version': '2021-08-06' },
      });
      assert.equal(answer.status, 401);
      assert.equal(answer.headers['x-ms-error-code'], 'InvalidAuthenticationInfo');
      assert.match(answer.text, /<Code>InvalidAuthenticationInfo<\/Code>/);
      assert.match(
        answer.text,
        /<AuthenticationErrorDetail>Lifetime validation failed\. The token is expired\.<\/AuthenticationErrorDetail>/,
      );
      // The service's clock is the lab's: the error's Time is a day ahead of real time.
      const time = /Time:([^<]+)</.exec(answer.text)![1]!;
      assert.ok(Date.parse(time) - Date.now() > 24 * 3600_000, time);
    });

    it("ARM: 401 ExpiredAuthenticationToken with .NET's UTC times", async () => {
      const sub = lab.defaultSubscriptionId;
      const answer = await labHttps(server, 'GET', `${server.httpsUrl}/subscriptions/${sub}/resourcegroups?api-version=2021-04-01`, {
        token: tokens['https://management.azure.com/'],
      });
      assert.equal(answer.status, 401, answer.text);
      const { code, message } = answer.json().error;
      assert.equal(code, 'ExpiredAuthenticationToken');
      const exp = JSON.parse(Buffer.from(tokens['https://management.azure.com/']!.split('.')[1]!, 'base64url').toString()).exp as number;
      const match = /^The access token expiry UTC time '(.+)' is earlier than current UTC time '(.+)'\.$/.exec(message);
      assert.ok(match, message);
      assert.equal(match[1], dotnetUtcTime(exp * 1000));
      assert.match(match[2]!, /^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d\d:\d\d [AP]M$/);
      assert.equal(dotnetUtcTime(Date.UTC(2021, 7, 5, 7, 58, 17)), '8/5/2021 7:58:17 AM', 'the format of the real log');
      assert.equal(dotnetUtcTime(Date.UTC(2021, 7, 5, 19, 5, 9)), '8/5/2021 7:05:09 PM');
      assert.equal(dotnetUtcTime(Date.UTC(2021, 11, 13, 0, 5, 0)), '12/13/2021 12:05:00 AM');
    });

    it('SQL: 18456, state 233, "Token is expired."', async () => {
      const answer = await labHttps(server, 'POST', `https://sql-expiry.database.windows.net:${server.port}/databases/appdb/query`, {
        token: tokens['https://database.windows.net/'],
        body: { query: 'SELECT 1' },
      });
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.json(), {
        error: { number: 18456, class: 14, state: 233, message: "Login failed for user '<token-identified principal>'. Token is expired." },
      });
    });
  });

  describe('RBAC propagation', () => {
    it('realistic: 403 with the propagation sentence right after az role assignment create, 200 after 10 minutes', async () => {
      setRbacPropagation(lab, 'realistic');
      const vm = newVm('vm-propagation');
      const token = await imdsToken(server, vm.id, 'https://vault.azure.net');
      await grantSecretsUser(vm);
      const early = await labHttps(server, 'GET', secretUrl(), { token });
      assert.equal(early.status, 403, early.text);
      assert.match(
        early.json().error.message,
        /If role assignments, deny assignments or role definitions were changed recently, please observe propagation time\./,
      );
      const reasons = lab.traces.latest!.messages.flatMap(m => m.authorization?.reasons ?? []).join('\n');
      assert.match(
        reasons,
        /Key Vault Secrets User .*created 0 s ago \(lab time\) and is not in effect yet: role assignment changes take up to 10 min to propagate/,
      );
      advanceClock(lab, '5m');
      assert.equal((await labHttps(server, 'GET', secretUrl(), { token })).status, 403, 'still propagating after 5 minutes');
      advanceClock(lab, '5m');
      assert.equal((await labHttps(server, 'GET', secretUrl(), { token })).status, 200, 'in effect after 10');
      // A removal propagates too: it still grants until ten minutes later.
      const id = await az(lab, [
        'role',
        'assignment',
        'list',
        '--assignee',
        principalOf(vm),
        '--scope',
        vault.id,
        '--query',
        '[0].id',
        '-o',
        'tsv',
      ]);
      await az(lab, ['role', 'assignment', 'delete', '--ids', id]);
      assert.equal((await labHttps(server, 'GET', secretUrl(), { token })).status, 200, 'the removal has not propagated yet');
      advanceClock(lab, '10m');
      assert.equal((await labHttps(server, 'GET', secretUrl(), { token })).status, 403, 'the removal has propagated');
    });

    it('instant: the new assignment works at once', async () => {
      const vm = newVm('vm-instant');
      const token = await imdsToken(server, vm.id, 'https://vault.azure.net');
      await grantSecretsUser(vm);
      assert.equal((await labHttps(server, 'GET', secretUrl(), { token })).status, 200);
    });
  });

  describe('group claims, frozen when a token is issued', () => {
    let groupId: string;
    before(async () => {
      groupId = await az(lab, [
        'ad',
        'group',
        'create',
        '--display-name',
        'kv-readers',
        '--mail-nickname',
        'kv-readers',
        '--query',
        'id',
        '-o',
        'tsv',
      ]);
      await az(lab, ['role', 'assignment', 'create', '--assignee', 'kv-readers', '--role', 'Key Vault Secrets User', '--scope', vault.id]);
    });

    it('joining the group does not help the cached token; bypass_cache=true gets one that carries the group', async () => {
      const vm = newVm('vm-group');
      const cached = await imdsToken(server, vm.id, 'https://vault.azure.net');
      await az(lab, ['ad', 'group', 'member', 'add', '--group', 'kv-readers', '--member-id', principalOf(vm)]);
      assert.equal(
        await az(lab, ['ad', 'group', 'member', 'check', '--group', 'kv-readers', '--member-id', principalOf(vm), '--query', 'value']),
        'true',
      );
      const again = await imdsToken(server, vm.id, 'https://vault.azure.net');
      assert.equal(again, cached, 'IMDS serves the cached token');
      assert.equal((await labHttps(server, 'GET', secretUrl(), { token: again })).status, 403, 'its groups claim predates the membership');
      const response = await fetch(
        `${server.imdsAuthorityHost(vm.id)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net&bypass_cache=true`,
        { headers: { Metadata: 'true' } },
      );
      const fresh = ((await response.json()) as { access_token: string }).access_token;
      const claims = JSON.parse(Buffer.from(fresh.split('.')[1]!, 'base64url').toString());
      assert.deepEqual(claims.groups, [groupId]);
      const answer = await labHttps(server, 'GET', secretUrl(), { token: fresh });
      assert.equal(answer.status, 200, answer.text);
      const reasons = lab.traces.latest!.messages.flatMap(m => m.authorization?.reasons ?? []).join('\n');
      assert.match(reasons, /through group kv-readers, as the token says/);
    });

    it('or the cached token expires: a day later the endpoint issues one with the group', async () => {
      const vm = newVm('vm-group-later');
      await imdsToken(server, vm.id, 'https://vault.azure.net');
      await az(lab, ['ad', 'group', 'member', 'add', '--group', groupId, '--member-id', principalOf(vm)]);
      assert.equal(
        (await labHttps(server, 'GET', secretUrl(), { token: await imdsToken(server, vm.id, 'https://vault.azure.net') })).status,
        403,
      );
      advanceClock(lab, '24h');
      assert.equal(
        (await labHttps(server, 'GET', secretUrl(), { token: await imdsToken(server, vm.id, 'https://vault.azure.net') })).status,
        200,
      );
    });

    it('past 200 groups the token carries the overage claim instead, and the service reads the groups itself', async () => {
      const vm = newVm('vm-many-groups');
      for (let i = 0; i < 200; i++) {
        await az(lab, ['ad', 'group', 'create', '--display-name', `g-${i}`, '--mail-nickname', `g-${i}`, '--force', '-o', 'none']);
        const id = lab.directory.groups.at(-1)!.objectId;
        await az(lab, ['ad', 'group', 'member', 'add', '--group', id, '--member-id', principalOf(vm)]);
      }
      await az(lab, ['ad', 'group', 'member', 'add', '--group', groupId, '--member-id', principalOf(vm)]);
      const token = await imdsToken(server, vm.id, 'https://vault.azure.net');
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
      assert.equal(claims.groups, undefined);
      assert.deepEqual(claims._claim_names, { groups: 'src1' });
      assert.equal(
        claims._claim_sources.src1.endpoint,
        `https://graph.microsoft.com/v1.0/servicePrincipals/${principalOf(vm)}/getMemberObjects`,
      );
      assert.equal((await labHttps(server, 'GET', secretUrl(), { token })).status, 200);
    });
  });

  it('an expired projected service-account token is AADSTS700024, in Entra’s words and times', async () => {
    const cluster = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'aks', name: 'aks-time' });
    const identity = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'identity', name: 'id-pod' });
    addFederatedCredential(lab, identity.id, {
      name: 'pod',
      issuer: issuerUrlOf(lab, cluster),
      subject: serviceAccountSubject('shop', 'shop-sa'),
    });
    await assert.rejects(
      mintServiceAccountToken(lab, cluster, 'shop', 'shop-sa', 1800),
      /token expiration 1800 not valid\. Expected value to be between 3600 and 86400/,
    );
    const assertion = await mintServiceAccountToken(lab, cluster, 'shop', 'shop-sa');
    const claims = JSON.parse(Buffer.from(assertion.split('.')[1]!, 'base64url').toString());
    assert.equal(claims.exp - claims.iat, 3600, 'an hour, as AKS projects it by default');
    assert.deepEqual(claims.aud, ['api://AzureADTokenExchange']);
    assert.equal(claims['kubernetes.io'].serviceaccount.name, 'shop-sa');
    const exchange = () =>
      labHttps(server, 'POST', `${server.httpsUrl}/${lab.tenantId}/oauth2/v2.0/token`, {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: identity.managedIdentity!.clientId,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
          scope: 'https://vault.azure.net/.default',
        }).toString(),
      });
    assert.equal((await exchange()).status, 200);
    advanceClock(lab, '66m');
    const expired = await exchange();
    assert.equal(expired.status, 400, expired.text);
    assert.equal(expired.json().error, 'invalid_client');
    assert.deepEqual(expired.json().error_codes, [700024]);
    const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', '.0000000Z');
    assert.match(
      expired.json().error_description,
      new RegExp(
        `^AADSTS700024: Client assertion is not within its valid time range\\. Current time: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z, assertion valid from ${iso(claims.nbf).replace(/\./g, '\\.')}, expiry time of assertion ${iso(claims.exp).replace(/\./g, '\\.')}\\. Review the documentation at `,
      ),
    );
  });

  it("IMDS throttling counts in the lab clock's seconds: paused, the window never ends; advanced, a new one opens", async () => {
    const vm = newVm('vm-throttle');
    setHostFaults(lab, vm.id, { throttle: true, latencyMs: 0 });
    pauseClock(lab);
    const url = `${server.imdsAuthorityHost(vm.id)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net`;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await fetch(url, { headers: { Metadata: 'true' } })).status);
    assert.deepEqual(statuses.slice(0, 20), Array(20).fill(200));
    assert.equal(statuses[20], 429);
    await new Promise(resolve => setTimeout(resolve, 1100));
    assert.equal(
      (await fetch(url, { headers: { Metadata: 'true' } })).status,
      429,
      'a real second later the paused lab is still in the same second',
    );
    advanceClock(lab, '1s');
    assert.equal((await fetch(url, { headers: { Metadata: 'true' } })).status, 200);
  });
});
