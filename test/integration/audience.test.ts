// A token for another API sent to Key Vault (Call a Service with a Token for Another API…):
// 401 AKV10022 in Key Vault's words, and the notification offers the right audience.
import * as assert from 'node:assert/strict';
import { activateLab, ok, rejects, resetLab } from './helpers';
import type { SecretReadResult } from '../../src/host/appClient';

const RIGHT_AUDIENCE = 'Request the token for https://vault.azure.net (scope https://vault.azure.net/.default) and call again';

describe('audience: a token for ARM presented to Key Vault', () => {
  before(resetLab);

  it('is refused with 401 AKV10022; the notification offers asking for https://vault.azure.net', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const { value, message } = await ok<SecretReadResult>('callServiceWithAudience', {
      hostId: vm.id,
      vault: 'kv-lab',
      secret: 'db-password',
      audience: 'https://management.azure.com/',
    });
    assert.equal(value.status, 401);
    assert.equal(value.valueReturned, false);
    assert.match(message, /vm-web could not read db-password from kv-lab: 401 Unauthorized/);
    assert.match(message, /AKV10022/);
    const shown = api.shownMessages.at(-1)!;
    assert.ok(shown.buttons?.includes(RIGHT_AUDIENCE), `buttons: ${shown.buttons?.join(' | ')}`);
  });

  it('refuses an audience too long or not text, before any request, changing nothing', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const args = { hostId: vm.id, vault: 'kv-lab', secret: 'db-password' };
    await rejects(
      api,
      'callServiceWithAudience',
      { ...args, audience: `https://${'a'.repeat(600)}` },
      /'audience' is at most 500 characters/,
    );
    await rejects(api, 'callService', { ...args, audience: 42 }, /'audience' must be the resource the token is asked for/);
  });
});
