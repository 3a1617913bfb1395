// The real tedious and mssql drivers against the lab's Azure SQL (TDS), each flow in its own
// process with the environment `milab env` prints (AZURE_SQL_* settings, the lab's CA, the DNS
// preload, IMDS): logins with an access token, with msi-vm and with default (the driver asks
// the lab's IMDS itself), over TLS inside PRELOGIN and TDS 8.0 strict; the contained-user
// story (18456, CREATE USER … FROM EXTERNAL PROVIDER, db_datareader, 229, db_datawriter); the
// seeds' "SQL DB Contributor" grant; and Azure's refusals of bad tokens and passwords.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { labEnv, ROOT, runApp, startLab } from './harness';
import type { LabHost } from '../../src/host/labHost';
import type { Trace } from '../../src/engine/trace/model';
import { imdsToken } from '../support/labHttps';
import { accessTokenClaims } from '../../src/engine/azure/accessTokens';
import { epochSeconds } from '../../src/engine/base/clock';
import { traceToMermaid } from '../../src/engine/readModels/traceDiagram/mermaid';

const run = promisify(execFile);
const CLI = path.join(ROOT, 'dist', 'cli.js');
const LOGIN_FAILED = "Login failed for user '<token-identified principal>'.";

interface SqlResult {
  ok: boolean;
  login?: { name: string; code: string; message: string };
  results: Array<{
    rows?: unknown[][];
    rowCount?: number;
    error?: { name: string; code: string; number: number; state: number; class: number; message: string };
  }>;
  errorMessages?: Array<{ number: number; state: number; class: number; message: string }>;
  infoMessages?: Array<{ number: number; message: string }>;
}

interface Flow {
  driver?: 'tedious' | 'mssql';
  auth: 'access-token' | 'msi-vm' | 'default' | 'password';
  token?: string;
  user?: string;
  password?: string;
  encrypt?: boolean | 'strict';
  database?: string;
  requests?: Array<{ text: string; kind?: 'batch' | 'rpc'; timeoutMs?: number }>;
}

describe('sdk: tedious and mssql against the lab’s Azure SQL over TDS (each flow in its own process)', function () {
  this.timeout(120_000);
  let host: LabHost;
  let stateDir: string;
  let env: Record<string, string>;
  let adminToken: string;

  const az = async (...args: string[]) =>
    (await run(process.execPath, [CLI, 'az', '--state', stateDir, ...args], { encoding: 'utf8' })).stdout.trim();
  const sql = async (flow: Flow, as = env) => (await runApp('sql.mjs', as, { driver: 'tedious', ...flow })) as unknown as SqlResult;
  const admin = (...texts: string[]) => sql({ auth: 'access-token', token: adminToken, requests: texts.map(text => ({ text })) });
  const sqlTraces = () => host.lab.traces.all.filter(t => t.title.includes('TDS'));
  const latestSqlTrace = async (): Promise<Trace> => {
    await new Promise(r => setTimeout(r, 100)); // the session publishes its trace a moment after a request
    return sqlTraces().at(-1)!;
  };

  before(async () => {
    ({ host, stateDir } = await startLab());
    // The learner makes the server Entra-only with themselves as its admin, and a database — with the real CLI.
    const learner = await az('ad', 'signed-in-user', 'show', '--query', 'id', '-o', 'tsv');
    const upn = await az('ad', 'signed-in-user', 'show', '--query', 'userPrincipalName', '-o', 'tsv');
    await az(
      'sql',
      'server',
      'create',
      '-g',
      'rg-lab',
      '-n',
      'sql-lab',
      '-l',
      'eastus',
      '--enable-ad-only-auth',
      '--external-admin-principal-type',
      'User',
      '--external-admin-name',
      upn,
      '--external-admin-sid',
      learner,
    );
    await az('sql', 'db', 'create', '-g', 'rg-lab', '-s', 'sql-lab', '-n', 'appdb', '--service-objective', 'S0');
    adminToken = await az(
      'account',
      'get-access-token',
      '--resource',
      'https://database.windows.net/',
      '--query',
      'accessToken',
      '-o',
      'tsv',
    );
    env = await labEnv(stateDir, 'vm-web');
  });
  after(() => host.close());

  it('milab env gives the app Service Connector’s settings for the database, on the lab’s TDS port', () => {
    assert.equal(env['AZURE_SQL_SERVER'], 'sql-lab.database.windows.net');
    assert.equal(env['AZURE_SQL_PORT'], String(host.server.sqlPort));
    assert.equal(env['AZURE_SQL_DATABASE'], 'appdb');
    assert.equal(env['AZURE_SQL_AUTHENTICATIONTYPE'], 'azure-active-directory-default');
    assert.equal(
      env['AZURE_SQL_CONNECTIONSTRING'],
      `Server=tcp:sql-lab.database.windows.net,${host.server.sqlPort};Database=appdb;Authentication=Active Directory Managed Identity;Encrypt=True;`,
    );
  });

  it('the Entra admin logs in with an access token from az and is dbo (TLS inside PRELOGIN)', async () => {
    const result = await admin('SELECT SUSER_SNAME(), USER_NAME(), DB_NAME()');
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.results[0]!.rows, [['learner@contosolab.onmicrosoft.com', 'dbo', 'appdb']]);
    assert.deepEqual(
      result.infoMessages!.map(m => m.number),
      [5701, 5703],
      'Azure’s informational messages after a login',
    );
  });

  it('msi-vm before the contained user exists: 18456 "Login failed for user \'<token-identified principal>\'." (state 1, class 14)', async () => {
    const result = await sql({ auth: 'msi-vm' });
    assert.equal(result.ok, false);
    assert.equal(result.login!.code, 'ELOGIN');
    assert.equal(result.login!.message, LOGIN_FAILED);
    assert.deepEqual(result.errorMessages, [{ number: 18456, state: 1, class: 14, message: LOGIN_FAILED }]);
    const trace = await latestSqlTrace();
    assert.equal(trace.outcome, 'failure');
    assert.equal(trace.errorCode, '18456');
    assert.ok(
      trace.participants.some(p => p.kind === 'imds'),
      'the driver’s own IMDS request is drawn inside the session’s trace',
    );
    assert.match(JSON.stringify(trace), /No contained user in appdb maps to object id/);
  });

  it('the seeds’ grant — "SQL DB Contributor" at the server — still gives no login (mssql, default credential)', async () => {
    const principal = await az('vm', 'identity', 'show', '-g', 'rg-lab', '-n', 'vm-web', '--query', 'principalId', '-o', 'tsv');
    const server = await az('sql', 'server', 'show', '-g', 'rg-lab', '-n', 'sql-lab', '--query', 'id', '-o', 'tsv');
    await az(
      'role',
      'assignment',
      'create',
      '--assignee-object-id',
      principal,
      '--assignee-principal-type',
      'ServicePrincipal',
      '--role',
      'SQL DB Contributor',
      '--scope',
      server,
    );
    const result = await sql({ driver: 'mssql', auth: 'default', requests: [{ text: 'SELECT 1' }] });
    assert.equal(result.ok, false);
    assert.equal(result.login!.name, 'ConnectionError');
    assert.equal(result.login!.code, 'ELOGIN');
    assert.equal(result.login!.message, LOGIN_FAILED);
    assert.match(JSON.stringify(await latestSqlTrace()), /Azure RBAC roles \(even \\"SQL DB Contributor\\"\) grant no data access/);
  });

  it('the fix: CREATE USER … FROM EXTERNAL PROVIDER + db_datareader lets it read; INSERT is denied with 229 until db_datawriter', async () => {
    const created = await admin('CREATE USER [vm-web] FROM EXTERNAL PROVIDER; ALTER ROLE db_datareader ADD MEMBER [vm-web]');
    assert.ok(created.ok, JSON.stringify(created));
    const reader = await sql({
      auth: 'msi-vm',
      requests: [
        { text: 'SELECT USER_NAME()' },
        { text: 'SELECT ProductID, Name, InStock FROM Products', kind: 'rpc' },
        { text: "INSERT INTO Products (ProductID, Name, InStock) VALUES (4, 'Chai', 1)" },
      ],
    });
    assert.equal(reader.login, undefined, JSON.stringify(reader));
    assert.deepEqual(reader.results[0]!.rows, [['vm-web']]);
    assert.deepEqual(reader.results[1]!.rows, [
      [1, 'Coffee', true],
      [2, 'Tea', true],
      [3, 'Cocoa', false],
    ]);
    const denied = reader.results[2]!.error!;
    assert.equal(denied.code, 'EREQUEST');
    assert.deepEqual([denied.number, denied.state, denied.class], [229, 5, 14]);
    assert.equal(denied.message, "The INSERT permission was denied on the object 'Products', database 'appdb', schema 'dbo'.");

    assert.ok((await admin('ALTER ROLE db_datawriter ADD MEMBER [vm-web]')).ok);
    const writer = await sql({
      driver: 'mssql',
      auth: 'default',
      requests: [
        { text: "INSERT INTO Products (ProductID, Name, InStock) VALUES (4, 'Chai', 1)" },
        { text: 'SELECT COUNT(*) FROM Products' },
      ],
    });
    assert.ok(writer.ok, JSON.stringify(writer));
    assert.equal(writer.results[0]!.rowCount, 1);
    assert.deepEqual(writer.results[1]!.rows, [[4]]);
  });

  it('draws the session as one trace: PRELOGIN, TLS, LOGIN7, FEDAUTHINFO, the IMDS request, the token’s claims, the decision, each request', async () => {
    const result = await sql({ auth: 'msi-vm', requests: [{ text: 'SELECT 1' }] });
    assert.ok(result.ok, JSON.stringify(result));
    await new Promise(r => setTimeout(r, 200));
    const trace = sqlTraces().find(t => t.messages.some(m => m.label === 'SQL batch: SELECT 1') && t.outcome === 'success')!;
    assert.ok(trace, 'a trace of the session');
    assert.match(trace.title, /^SQL sql-lab\/appdb: TDS session as vm-web$/);
    const labels = trace.messages.map(m => m.label);
    for (const expected of [
      /^PRELOGIN: encryption ON$/,
      /^TLS established: TLSv1\.2/,
      /^LOGIN7 with FEDAUTH: ADAL\/MSAL workflow/,
      /^FEDAUTHINFO/,
      /^GET .*metadata\/identity\/oauth2\/token/,
      /^FEDAUTH_TOKEN/,
      /^LOGINACK: logged in to appdb as \[vm-web\]$/,
      /^SQL batch: SELECT 1$/,
      /^1 row/,
    ]) {
      assert.ok(
        labels.some(l => expected.test(l)),
        `${expected} in ${JSON.stringify(labels)}`,
      );
    }
    const tokenMessage = trace.messages.find(m => m.label.startsWith('FEDAUTH_TOKEN'))!;
    assert.equal(tokenMessage.token!.claims['aud'], 'https://database.windows.net');
    assert.equal(tokenMessage.token!.claims['xms_mirid'], host.lab.arm.resources.find(r => r.name === 'vm-web')!.id);
    assert.equal(trace.messages.find(m => m.label.startsWith('LOGINACK'))!.authorization!.allowed, true);
    assert.ok(!JSON.stringify(trace).includes(adminToken.split('.')[2]!), 'no token signature in a trace');
    const mermaid = traceToMermaid(trace);
    assert.match(mermaid, /participant sql\d* as Azure SQL sql#45;lab/);
    const texts = mermaid.split('\n').flatMap(line => (line.includes(': ') ? [line.slice(line.indexOf(': ') + 2)] : []));
    assert.ok(texts.length > 10);
    for (const text of texts) assert.ok(!/[<>]/.test(text.replace(/<br\/>/g, '')), `escaped: ${text}`);
  });

  it('TDS 8.0 strict (TLS first, ALPN tds/8.0): tedious with a token from the lab’s IMDS, and mssql with the default credential', async () => {
    const vm = host.lab.arm.resources.find(r => r.name === 'vm-web')!;
    const token = await imdsToken(host.server, vm.id, 'https://database.windows.net/');
    const tediousStrict = await sql({ auth: 'access-token', token, encrypt: 'strict', requests: [{ text: 'SELECT USER_NAME()' }] });
    assert.ok(tediousStrict.ok, JSON.stringify(tediousStrict));
    assert.deepEqual(tediousStrict.results[0]!.rows, [['vm-web']]);
    const trace = await latestSqlTrace();
    assert.match(
      trace.messages[0]!.label,
      /^TDS 8\.0 strict: TLS first \(TLSv1\.3, ALPN tds\/8\.0, SNI sql-lab\.database\.windows\.net\)$/,
    );
    const mssqlStrict = await sql({ driver: 'mssql', auth: 'default', encrypt: 'strict', requests: [{ text: 'SELECT SUSER_SNAME()' }] });
    assert.ok(mssqlStrict.ok, JSON.stringify(mssqlStrict));
    assert.match(
      String(mssqlStrict.results[0]!.rows![0]![0]),
      new RegExp(`^${vm.identity!.systemAssigned!.clientId}@${host.lab.tenantId}$`),
    );
  });

  it('refuses a wrong-audience token and an expired one as Azure SQL does (18456; state 233 for the expired one)', async () => {
    const vm = host.lab.arm.resources.find(r => r.name === 'vm-web')!;
    const vaultToken = await imdsToken(host.server, vm.id, 'https://vault.azure.net');
    const wrong = await sql({ auth: 'access-token', token: vaultToken });
    assert.equal(wrong.login!.message, "Login failed for user '<token-identified principal>'. Incorrect or invalid token.");
    assert.equal(wrong.errorMessages![0]!.number, 18456);

    const now = epochSeconds(host.lab.clock);
    const system = vm.identity!.systemAssigned!;
    const expired = await host.lab.tokenSigner.sign(
      accessTokenClaims(
        {
          tenantId: host.lab.tenantId,
          objectId: system.principalId,
          appId: system.clientId,
          appIdAcr: '2',
          managedIdentityResourceId: vm.id,
        },
        'https://database.windows.net/',
        now - 7200,
        3600,
      ),
    );
    const old = await sql({ auth: 'access-token', token: expired.accessToken });
    assert.equal(old.login!.message, "Login failed for user '<token-identified principal>'. Token is expired.");
    assert.deepEqual(old.errorMessages![0], {
      number: 18456,
      state: 233,
      class: 14,
      message: "Login failed for user '<token-identified principal>'. Token is expired.",
    });
  });

  it('SQL authentication on the Entra-only server, and a client that will not encrypt, are refused as Azure refuses them', async () => {
    const password = await sql({ auth: 'password', user: 'sqladmin', password: 'P@ssw0rd!' });
    assert.equal(
      password.login!.message,
      "Login failed for user 'sqladmin'. Reason: Azure Active Directory only authentication is enabled. Please contact your system administrator.",
    );
    const plain = await sql({ auth: 'msi-vm', encrypt: false });
    assert.equal(plain.login!.code, 'EENCRYPT');
    assert.equal(plain.login!.message, "Server requires encryption, set 'encrypt' config option to true.");
  });

  it('a request timeout sends ATTENTION: the lab acknowledges it and the connection goes on', async () => {
    const result = await sql({
      auth: 'access-token',
      token: adminToken,
      requests: [{ text: "WAITFOR DELAY '00:00:05'", timeoutMs: 500 }, { text: 'SELECT 42' }],
    });
    assert.equal(result.results[0]!.error!.code, 'ETIMEOUT');
    assert.deepEqual(result.results[1]!.rows, [[42]]);
  });

  it('answers T-SQL it does not run with SQL Server’s errors or its own, never a hang or a dropped connection', async () => {
    const result = await admin('DROP TABLE Products', 'FROB Products', 'SELECT * FROM nope', 'SELECT 1');
    const errors = result.results.slice(0, 3).map(r => [r.error!.number, r.error!.message]);
    assert.equal(errors[0]![0], 50000);
    assert.match(String(errors[0]![1]), /^The lab does not run this statement: 'DROP TABLE Products'/);
    assert.deepEqual(errors.slice(1), [
      [102, "Incorrect syntax near 'FROB'."],
      [208, "Invalid object name 'nope'."],
    ]);
    assert.deepEqual(result.results[3]!.rows, [[1]], 'the connection still works');
  });
});
