// Settings applied to the running lab (token lifetime, IMDS throttling by default), the
// status-bar item, and the environment an app needs to run as a resource (milab env's).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateLab, ok, resetLab, waitFor } from './helpers';
import type { HttpResult } from '../../src/host/appClient';

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('managedIdentityLab').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('settings, status bar and environment', () => {
  before(resetLab);
  after(async () => {
    await setting('tokenLifetimeHours', undefined);
    await setting('imdsThrottling', undefined);
  });

  it('applies managedIdentityLab.tokenLifetimeHours to the tokens the lab issues', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    await setting('tokenLifetimeHours', 1);
    await waitFor(() => lab.settings.tokenLifetimeSeconds === 3600 || undefined, 10_000, 'the lifetime to apply');
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    // An audience not asked for before: the endpoint's cache holds no older, longer-lived token for it.
    const { value } = await ok<HttpResult>('requestToken', { hostId: vm.id, resource: 'https://graph.microsoft.com' });
    const expiresIn = Number(value.body['expires_in']);
    assert.ok(expiresIn > 3590 && expiresIn <= 3600, `expires_in ${expiresIn}`);
    await setting('tokenLifetimeHours', undefined);
    await waitFor(() => lab.settings.tokenLifetimeSeconds === 86400 || undefined, 10_000, 'the default lifetime to apply');
  });

  it('managedIdentityLab.imdsThrottling decides whether hosts without their own setting get 429s', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const url = await api.serverUrl();
    // 40 requests at once: IMDS allows 5 concurrent identity requests per host, so throttling always shows.
    const burst = async () => {
      const results = await Promise.all(
        Array.from({ length: 40 }, () =>
          fetch(`${url}/hosts${vm.id}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net`, {
            headers: { Metadata: 'true' },
          }),
        ),
      );
      return results.map(r => r.status);
    };
    await setting('imdsThrottling', false);
    await waitFor(async () => !(await burst()).includes(429) || undefined, 15_000, 'no 429 with throttling off');
    await setting('imdsThrottling', true);
    await waitFor(async () => (await burst()).includes(429) || undefined, 15_000, 'IMDS limits again with throttling on');
  });

  it('shows where the endpoints listen in the status bar', async () => {
    const api = await activateLab();
    const url = await api.serverUrl();
    assert.equal(api.status.text, `$(broadcast) Lab ${url.replace('http://', '')}`);
    assert.match(api.status.tooltip, new RegExp(`endpoints are up on ${url.replace(/[.:/]/g, '\\$&')}`));
  });

  it('copies the environment that runs an app as the VM, as milab env prints it', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const url = await api.serverUrl();
    const { value } = await ok<string>('copyEnvironment', { hostId: vm.id });
    assert.match(
      value,
      new RegExp(
        `^export AZURE_POD_IDENTITY_AUTHORITY_HOST='${url.replace(/[.:/]/g, '\\$&')}/hosts${vm.id.replace(/[.:/]/g, '\\$&')}'$`,
        'm',
      ),
    );
    assert.match(value, /^export AZURE_TOKEN_CREDENTIALS='ManagedIdentityCredential'$/m);
    assert.match(value, /^export NODE_EXTRA_CA_CERTS='.*ca\.pem'$/m);
    assert.match(value, /^export SSL_CERT_FILE='.*ca-bundle\.pem'$/m);
    assert.match(value, /^# {3}127\.0\.0\.1 kv-lab\.vault\.azure\.net$/m);
    assert.equal(await vscode.env.clipboard.readText(), value);
    const json = await ok<string>('copyEnvironment', { hostId: 'vm-web', format: 'json' });
    assert.equal(JSON.parse(json.value)['AZURE_POD_IDENTITY_AUTHORITY_HOST'], `${url}/hosts${vm.id}`);
  });

  it('Run Command as a Lab Resource…: a terminal whose program runs as the VM, 169.254.169.254 and all (milab run)', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'milab-terminal-')), 'token.json');
    const curl = `curl -s 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net' -H Metadata:true > ${out}`;
    const { value } = await ok<{ terminal: vscode.Terminal; shellArgs: string[] }>('runAsResource', {
      hostId: vm.id,
      command: ['sh', '-c', curl],
    });
    assert.deepEqual(value.shellArgs.slice(1, 7), ['run', '--state', api.stateDirectory, '--as', vm.id, '--']);
    const text = await waitFor(
      () => (fs.existsSync(out) && fs.readFileSync(out, 'utf8').includes('access_token') ? fs.readFileSync(out, 'utf8') : undefined),
      60_000,
      'the terminal’s program to get a token',
    );
    const token = (JSON.parse(text) as { access_token: string }).access_token;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, string>;
    assert.equal(claims['xms_mirid'], vm.id);
    await waitFor(() => value.terminal.exitStatus, 30_000, 'the terminal to end with its program');
    assert.equal(value.terminal.exitStatus!.code, 0);
    const bad = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('managedIdentityLab.runAsResource', {
      hostId: 'kv-lab',
    });
    assert.equal(bad?.ok, false);
    assert.match(String(bad?.error), /code does not run on it/);
  });
});
