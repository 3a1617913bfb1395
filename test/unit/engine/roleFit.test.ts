// Least privilege taught: whether a role can do what was denied, and which plane it covers (the
// warning before Key Vault Reader or Owner is assigned for reading a secret), and the scopes
// narrowest first around the denied one. Built-in roles as Microsoft publishes them.
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import { roleFit, planesOf } from '../../../src/engine/readModels/overview/roleFit';
import { scopesNarrowestFirst } from '../../../src/engine/readModels/overview/scopes';

const GET_SECRET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';

describe('engine: does a role fit what was denied', () => {
  it('Key Vault Reader, Reader and Owner cannot read a secret (control plane only); Key Vault Secrets User can', async () => {
    const lab = await createLab();
    const role = (name: string) => lab.roles.named(name)[0]!;
    for (const name of ['Reader', 'Owner']) {
      const fit = roleFit(role(name), GET_SECRET);
      assert.equal(fit.grants, false, name);
      assert.equal(fit.plane, 'data');
      assert.equal(fit.short, 'control plane only');
      assert.match(
        fit.warning!,
        new RegExp(`^${name} cannot do what was denied: it covers the control plane .*getSecret/action is a data action\\.$`),
      );
    }
    // Key Vault Reader has data actions — metadata only (secrets/readMetadata), never a secret's value.
    const reader = roleFit(role('Key Vault Reader'), GET_SECRET);
    assert.equal(reader.grants, false);
    assert.deepEqual(planesOf(role('Key Vault Reader')), ['control', 'data']);
    assert.equal(reader.short, 'no data action for it');
    assert.match(reader.warning!, /none of its data actions match Microsoft\.KeyVault\/vaults\/secrets\/getSecret\/action\.$/);
    const user = roleFit(role('Key Vault Secrets User'), GET_SECRET);
    assert.equal(user.grants, true);
    assert.equal(user.warning, undefined);
    assert.deepEqual(user.planes, ['data']);
    // A data role for the control plane: Storage Blob Data Reader cannot list the vault's group.
    const management = roleFit(role('Storage Blob Data Reader'), 'Microsoft.Resources/subscriptions/resourceGroups/read');
    assert.equal(management.grants, false);
  });

  it('scopes narrowest first around the denied one: the vault, its group, the subscription, then the rest', async () => {
    const lab = await createLab();
    const vault = lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
    const choices = scopesNarrowestFirst(lab, `${vault.id}/secrets/db-password`);
    assert.deepEqual(
      choices.slice(0, 3).map(c => [c.description.kind, c.ladder]),
      [
        ['resource', true],
        ['resourceGroup', true],
        ['subscription', true],
      ],
    );
    assert.equal(choices[0]!.id, vault.id);
    assert.equal(choices[3]!.ladder, false);
    assert.equal(choices.length, new Set(choices.map(c => c.id)).size, 'each scope once');
    const plain = scopesNarrowestFirst(lab);
    assert.equal(plain[0]!.description.kind, 'resource');
    assert.equal(plain.at(-1)!.description.kind, 'subscription');
  });
});
