// The samples never reach for the real IMDS: started outside the lab's environment they say
// how to run them as a lab resource and exit, before any SDK code loads.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const LAB_VARIABLES = ['AZURE_POD_IDENTITY_AUTHORITY_HOST', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MILAB_RUN'];

describe('samples', () => {
  for (const sample of ['get-token.mjs', 'read-secret.mjs']) {
    it(`${sample} refuses to run outside the lab's environment, naming milab env and milab run`, () => {
      const env = { ...process.env };
      for (const name of LAB_VARIABLES) delete env[name];
      // NODE_OPTIONS would be the lab's preload in a lab environment; here it must not matter.
      delete env['NODE_OPTIONS'];
      const run = spawnSync(process.execPath, [path.join(root, 'samples', sample), 'https://kv-lab.vault.azure.net/'], {
        env,
        encoding: 'utf8',
        timeout: 10_000,
      });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /milab env --as vm-web/);
      assert.match(run.stderr, /milab run --as vm-web/);
      assert.equal(run.stdout, '');
    });
  }
});
