// Azure SQL token login: only the Entra admin or a contained user gets in; Azure RBAC roles
// (the seeds' "SQL DB Contributor") grant no data access; database roles decide reads/writes.
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { createRoleAssignment } from '../../../src/engine/operations/roleAssignments';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { setSqlEntraAdmin } from '../../../src/engine/services/sql/servers';
import { imdsToken, labHttps } from '../../support/labHttps';

describe('server: Azure SQL token login', () => {
  let lab: Lab;
  let server: RunningLabServer;
  let vmId: string;
  let adminVmId: string;
  let serverId: string;
  const query = async (hostId: string, text: string, audience = 'https://database.windows.net/') =>
    labHttps(server, 'POST', `https://sql-lab.database.windows.net:${server.port}/databases/appdb/query`, {
      token: await imdsToken(server, hostId, audience),
      body: { query: text },
    });

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    vmId = lab.arm.resources.find(r => r.name === SAMPLE.vm)!.id;
    const sqlServer = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqlserver', name: 'sql-lab' });
    serverId = sqlServer.id;
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqldb', name: 'sql-lab/appdb' });
    const adminVm = createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: SAMPLE.resourceGroup,
      type: 'vm',
      name: 'vm-dba',
      identity: { systemAssigned: true },
    });
    adminVmId = adminVm.id;
  });
  after(() => server.close());

  it('refuses every token while the server has no Microsoft Entra admin', async () => {
    const answer = await query(vmId, 'SELECT CURRENT_USER');
    assert.equal(answer.status, 401);
    assert.equal(answer.json().error.number, 18456);
    assert.match(
      answer.json().error.message,
      /^Login failed for user '<token-identified principal>'\. The server is not currently configured to accept this token\.$/,
    );
  });

  it('lets the Entra admin in as dbo', async () => {
    setSqlEntraAdmin(lab, LAB_CALLER, serverId, 'vm-dba');
    const answer = await query(adminVmId, 'SELECT CURRENT_USER');
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.json().rows, [['dbo']]);
  });

  it('"SQL DB Contributor" grants no data access: the VM still cannot log in', async () => {
    createRoleAssignment(lab, LAB_CALLER, {
      scope: serverId,
      role: 'SQL DB Contributor',
      principalId: lab.arm.resource(vmId)!.identity!.systemAssigned!.principalId,
    });
    const answer = await query(vmId, 'SELECT CURRENT_USER');
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.json().error, {
      number: 18456,
      class: 14,
      state: 1,
      message: "Login failed for user '<token-identified principal>'.",
    });
    assert.match(JSON.stringify(lab.traces.latest), /Azure RBAC roles \(even \\"SQL DB Contributor\\"\) grant no data access/);
  });

  it('a contained user created FROM EXTERNAL PROVIDER logs in, and database roles decide reads and writes', async () => {
    const created = await query(
      adminVmId,
      `CREATE USER [${SAMPLE.vm}] FROM EXTERNAL PROVIDER; CREATE TABLE orders (id int, item nvarchar(50)); INSERT INTO orders (id, item) VALUES (1, 'coffee')`,
    );
    assert.equal(created.status, 200, created.text);
    assert.deepEqual((await query(vmId, 'SELECT CURRENT_USER')).json().rows, [[SAMPLE.vm]]);
    const denied = await query(vmId, 'SELECT * FROM orders');
    assert.equal(denied.status, 403);
    assert.equal(denied.json().error.message, "The SELECT permission was denied on the object 'orders', database 'appdb', schema 'dbo'.");
    assert.equal((await query(adminVmId, `ALTER ROLE db_datareader ADD MEMBER [${SAMPLE.vm}]`)).status, 200);
    const read = await query(vmId, 'SELECT id, item FROM orders');
    assert.deepEqual(read.json().rows, [[1, 'coffee']]);
    const write = await query(vmId, "INSERT INTO orders (id, item) VALUES (2, 'tea')");
    assert.equal(write.json().error.message, "The INSERT permission was denied on the object 'orders', database 'appdb', schema 'dbo'.");
    assert.equal((await query(adminVmId, `ALTER ROLE db_datawriter ADD MEMBER [${SAMPLE.vm}]`)).status, 200);
    assert.equal((await query(vmId, "INSERT INTO orders (id, item) VALUES (2, 'tea')")).json().rowsAffected, 1);
  });

  it('answers SQL’s errors for unknown principals, bad syntax and wrong audiences', async () => {
    assert.equal(
      (await query(adminVmId, 'CREATE USER [nobody-here] FROM EXTERNAL PROVIDER')).json().error.message,
      "Principal 'nobody-here' could not be found or this principal type is not supported.",
    );
    assert.equal(
      (await query(adminVmId, 'DROP TABLE orders')).json().error.number,
      50000,
      'real T-SQL the lab does not run: its own message',
    );
    assert.equal((await query(adminVmId, 'FROB orders')).json().error.number, 102);
    assert.equal((await query(adminVmId, 'SELECT * FROM nothing')).json().error.message, "Invalid object name 'nothing'.");
    const wrongAudience = await query(adminVmId, 'SELECT CURRENT_USER', 'https://vault.azure.net');
    assert.equal(wrongAudience.json().error.number, 18456);
  });

  it('answers a body over 64 KB with 413, as the other services do, not with a syntax error', async () => {
    const answer = await query(adminVmId, `SELECT ${'x'.repeat(70_000)} FROM orders`);
    assert.equal(answer.status, 413, answer.text);
    assert.match(answer.json().error.message, /larger than 65536 bytes/);
  });
});
