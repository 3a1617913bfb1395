// Control requests (`milab az` while the lab runs) and the App Service identity header: secrets
// compared in constant time, and an oversized body answered 413 rather than a dropped connection.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { identityHeaderFor } from '../../../src/engine/services/managedIdentity/identityHeader';

const CONTROL_TOKEN = 'control-token-for-tests';

/** A POST whose body is streamed in chunks (no Content-Length), as a client that does not know its size sends it. */
function streamedPost(
  server: RunningLabServer,
  path: string,
  headers: Record<string, string>,
  chunks: string[],
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${server.url}${path}`,
      { method: 'POST', headers: { ...headers, 'Transfer-Encoding': 'chunked' } },
      response => {
        let text = '';
        response.on('data', d => (text += d));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('error', reject);
    let i = 0;
    const next = () => {
      if (i === chunks.length) return void request.end();
      request.write(chunks[i++], next);
    };
    next();
  });
}

describe('server: control requests and endpoint secrets', () => {
  let lab: Lab;
  let server: RunningLabServer;

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab, { controlToken: CONTROL_TOKEN });
  });
  after(() => server.close());

  it('runs az for the control token only: missing, wrong or longer tokens get 401', async () => {
    const az = (token?: string) =>
      fetch(`${server.url}/_milab/az`, {
        method: 'POST',
        headers: token === undefined ? {} : { 'x-milab-control': token },
        body: JSON.stringify({ argv: ['group', 'list'] }),
      });
    for (const token of [undefined, '', 'wrong', `${CONTROL_TOKEN}x`, CONTROL_TOKEN.slice(0, -1)]) {
      assert.equal((await az(token)).status, 401, String(token));
    }
    const ok = await az(CONTROL_TOKEN);
    assert.equal(ok.status, 200);
    assert.match(((await ok.json()) as { stdout: string }).stdout, new RegExp(SAMPLE.resourceGroup));
  });

  it('answers a streamed body over the limit with 413 RequestEntityTooLarge (the connection is not just dropped)', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const answer = await streamedPost(
      server,
      '/_milab/az',
      { 'x-milab-control': CONTROL_TOKEN },
      Array.from({ length: 6 }, () => chunk),
    );
    assert.equal(answer.status, 413, answer.text);
    assert.equal(JSON.parse(answer.text).error.code, 'RequestEntityTooLarge');
  });

  it('App Service: only the host’s own IDENTITY_HEADER gets a token', async () => {
    const app = createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: SAMPLE.resourceGroup,
      type: 'webapp',
      name: 'app-control-test',
      identity: { systemAssigned: true },
    });
    const secret = await identityHeaderFor(lab, app.id);
    const ask = (value?: string) =>
      fetch(`${server.identityEndpoint(app.id)}?api-version=2019-08-01&resource=https://vault.azure.net`, {
        headers: value === undefined ? {} : { 'X-IDENTITY-HEADER': value },
      });
    for (const value of [undefined, '', 'nope', `${secret}x`, secret.slice(0, -1)]) {
      assert.equal((await ask(value)).status, 401, String(value));
    }
    assert.equal((await ask(secret)).status, 200);
  });
});
