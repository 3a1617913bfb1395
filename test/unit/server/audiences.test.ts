// Each service checks a token as that service does (engine/azure/audiences.ts cites each rule):
// the exact audiences it takes — no trimming, no folding of slashes, GUIDs in any case — and
// never a token without `exp`. Genuine lab-signed tokens, one per audience, against ARM, Key
// Vault, Storage and SQL over real HTTPS.
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { setSqlEntraAdmin } from '../../../src/engine/services/sql/servers';
import { accessTokenClaims } from '../../../src/engine/azure/accessTokens';
import { epochSeconds } from '../../../src/engine/base/clock';
import { labHttps, type HttpsAnswer } from '../../support/labHttps';

interface Service {
  name: string;
  accepted: string[];
  refused: string[];
  call(token: string): Promise<HttpsAnswer>;
  /** Whether the answer is the service refusing the token itself (not, say, RBAC refusing the caller). */
  refusedToken(answer: HttpsAnswer): boolean;
}

describe('server: audiences and lifetimes, as each service checks them', () => {
  let lab: Lab;
  let server: RunningLabServer;
  let token: (aud: string, options?: { withoutExp?: boolean }) => Promise<string>;

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'storage', name: 'staudience' });
    const sql = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqlserver', name: 'sql-aud' });
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqldb', name: 'sql-aud/db' });
    setSqlEntraAdmin(lab, LAB_CALLER, sql.id, SAMPLE.vm);
    const identity = vm.identity!.systemAssigned!;
    token = async (aud, options = {}) => {
      const claims = accessTokenClaims(
        {
          tenantId: lab.tenantId,
          objectId: identity.principalId,
          appId: identity.clientId,
          appIdAcr: '2',
          managedIdentityResourceId: vm.id,
        },
        aud,
        epochSeconds(lab.clock),
        3600,
      );
      if (options.withoutExp) delete (claims as Partial<typeof claims>).exp;
      return (await lab.tokenSigner.sign(claims)).accessToken;
    };
  });
  after(() => server.close());

  const services = (): Service[] => [
    {
      name: 'ARM',
      accepted: [
        'https://management.core.windows.net/',
        'https://management.core.windows.net',
        'https://management.azure.com/',
        'https://management.azure.com',
      ],
      refused: [
        'https://management.azure.com//',
        ' https://management.azure.com/',
        'https://management.azure.com/ ',
        'HTTPS://MANAGEMENT.AZURE.COM/',
        '797f4846-ba00-4fd7-ba43-dac1f8f63013',
        'https://vault.azure.net',
      ],
      call: t => labHttps(server, 'GET', `${server.httpsUrl}/subscriptions?api-version=2022-12-01`, { token: t }),
      refusedToken: a => a.status === 401,
    },
    {
      name: 'Key Vault',
      accepted: ['https://vault.azure.net', 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093', 'CFA8B339-82A2-471A-A3C9-0FC0BE7A4093'],
      refused: [
        'https://vault.azure.net/',
        'https://vault.azure.net//',
        ' https://vault.azure.net',
        `https://${SAMPLE.vault}.vault.azure.net/`,
        'spn:cfa8b339-82a2-471a-a3c9-0fc0be7a4093',
        'https://storage.azure.com/',
      ],
      call: t => labHttps(server, 'GET', `${lab.serviceUrls.vault(SAMPLE.vault)}secrets?api-version=7.5`, { token: t }),
      refusedToken: a => a.status === 401,
    },
    {
      name: 'Storage',
      accepted: [
        'https://storage.azure.com',
        'https://storage.azure.com/',
        'e406a681-f3d4-42a8-90b6-c2b029497af1',
        'https://staudience.blob.core.windows.net',
        'https://staudience.blob.core.windows.net/',
      ],
      refused: [
        'https://storage.azure.com//',
        ' https://storage.azure.com',
        'https://otheraccount.blob.core.windows.net/',
        'https://vault.azure.net',
      ],
      call: t =>
        labHttps(server, 'GET', `${lab.serviceUrls.blob('staudience')}?comp=list`, { token: t, headers: { 'x-ms-version': '2023-11-03' } }),
      refusedToken: a => a.status === 401,
    },
    {
      name: 'SQL',
      accepted: ['https://database.windows.net/', 'https://database.windows.net'],
      refused: ['https://database.windows.net//', ' https://database.windows.net/', '022907d3-0f1b-48f7-badc-1ba6abab6d66'],
      call: t =>
        labHttps(server, 'POST', `https://sql-aud.database.windows.net:${server.port}/databases/db/query`, {
          token: t,
          body: { query: 'SELECT CURRENT_USER' },
        }),
      refusedToken: a => a.status === 401,
    },
  ];

  it('accepts exactly the audiences each service takes, and refuses the rest', async () => {
    for (const service of services()) {
      for (const aud of service.accepted) {
        const answer = await service.call(await token(aud));
        assert.ok(!service.refusedToken(answer), `${service.name} refused aud '${aud}': ${answer.status} ${answer.text.slice(0, 300)}`);
      }
      for (const aud of service.refused) {
        const answer = await service.call(await token(aud));
        assert.ok(service.refusedToken(answer), `${service.name} accepted aud '${aud}': ${answer.status} ${answer.text.slice(0, 300)}`);
      }
    }
  });

  it('refuses a lab-signed token without exp at every service', async () => {
    for (const service of services()) {
      const answer = await service.call(await token(service.accepted[0]!, { withoutExp: true }));
      assert.ok(
        service.refusedToken(answer),
        `${service.name} accepted a token without exp: ${answer.status} ${answer.text.slice(0, 300)}`,
      );
    }
    const storage = await services()[2]!.call(await token('https://storage.azure.com', { withoutExp: true }));
    assert.match(storage.text, /Lifetime validation failed\. The token is missing an Expiration Time\./);
  });

  it('Key Vault names what it expects, in its 2024 words', async () => {
    const answer = await services()[1]!.call(await token('https://vault.azure.net/'));
    assert.equal(
      answer.json().error.message,
      'AKV10022: Invalid audience. Expected https://vault.azure.net or cfa8b339-82a2-471a-a3c9-0fc0be7a4093, found: https://vault.azure.net/.',
    );
  });
});
