// The engine's Azure SQL, without a door: how batches split (tedious's SET batch has no
// semicolons), what the statements do and the errors SQL Server gives, and who a token logs
// in as (the admin by object id or client id, contained users, nobody in master).
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { setSqlEntraAdmin } from '../../../src/engine/services/sql/servers';
import { runBatch, splitBatch } from '../../../src/engine/services/sql/batch';
import { loginWithAccessToken } from '../../../src/engine/services/sql/login';
import { SqlError } from '../../../src/engine/services/sql/sqlError';
import type { SqlSession } from '../../../src/engine/services/sql/types';
import { ManagedIdentityTokens } from '../../../src/engine/services/managedIdentity/acquire';
import { parseLabState } from '../../../src/engine/state/schema';

const TEDIOUS_SET_BATCH = [
  'set ansi_nulls on',
  'set ansi_null_dflt_on on',
  'set ansi_padding on',
  'set ansi_warnings on',
  'set arithabort on',
  'set concat_null_yields_null on',
  'set datefirst 7',
  'set dateformat mdy',
  'set implicit_transactions off',
  'set language us_english',
  'set numeric_roundabort off',
  'set quoted_identifier on',
  'set textsize 2147483647',
  'set transaction isolation level read committed',
  'set xact_abort off',
].join('\n');

function sqlError(run: () => unknown): SqlError {
  try {
    run();
  } catch (error) {
    if (error instanceof SqlError) return error;
    throw error;
  }
  assert.fail('expected a SqlError');
}

describe('engine: Azure SQL', () => {
  let lab: Lab;
  let tokens: ManagedIdentityTokens;
  let admin: SqlSession;
  const token = async (vmName: string, resource = 'https://database.windows.net/') => {
    const result = await tokens.acquire(
      lab.arm.resources.find(r => r.name === vmName)!,
      resource,
      undefined,
      { bypassCache: true },
    );
    assert.ok(result.ok);
    return result.token.accessToken;
  };
  const session = async (vmName: string, database = 'appdb'): Promise<SqlSession> => {
    const login = await loginWithAccessToken(lab, await token(vmName), { server: 'sql-lab.database.windows.net', database });
    if (!login.ok) throw login.error;
    return login.session;
  };

  before(async () => {
    lab = await createLab();
    tokens = new ManagedIdentityTokens(lab);
    const server = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqlserver', name: 'sql-lab' });
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqldb', name: 'sql-lab/appdb' });
    createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: SAMPLE.resourceGroup,
      type: 'vm',
      name: 'vm-dba',
      identity: { systemAssigned: true },
    });
    createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: SAMPLE.resourceGroup,
      type: 'vm',
      name: 'vm-app',
      identity: { systemAssigned: true },
    });
    // An application admin's SID is its client id (az sql server create --external-admin-sid's help).
    const dba = lab.arm.resources.find(r => r.name === 'vm-dba')!;
    setSqlEntraAdmin(lab, LAB_CALLER, server.id, dba.identity!.systemAssigned!.clientId, { login: 'vm-dba' });
    admin = await session('vm-dba');
  });
  after(() => tokens.dispose());

  it('splits tedious’s first batch — fifteen SET statements, one per line, no semicolons — and runs it as SET options', () => {
    assert.equal(splitBatch(TEDIOUS_SET_BATCH).length, 15);
    assert.deepEqual(
      runBatch(admin, TEDIOUS_SET_BATCH).map(r => r.command),
      Array(15).fill('set'),
    );
  });

  it('keeps strings, [names] and comments whole when splitting: a ; or a new line inside them starts nothing', () => {
    assert.deepEqual(splitBatch("SELECT 'a;b\nselect c' -- a comment; SELECT 2\n; /* SELECT 3; */ SELECT [x;y]"), [
      "SELECT 'a;b\nselect c'",
      'SELECT [x;y]',
    ]);
    assert.equal(sqlError(() => splitBatch("SELECT 'open")).number, 105);
    assert.equal(sqlError(() => splitBatch('SELECT 1 /* open')).number, 113);
    assert.deepEqual(runBatch(admin, '  -- nothing but a comment  '), [], 'an empty batch does nothing, and is no error');
  });

  it('SELECT without FROM: literals and who-am-I functions, typed as SQL Server types them', () => {
    const [result] = runBatch(admin, "SELECT 1, 'text' AS word, SUSER_SNAME() who, DB_NAME(), CURRENT_USER");
    assert.deepEqual(result!.rows, [
      [
        1,
        'text',
        `${lab.arm.resources.find(r => r.name === 'vm-dba')!.identity!.systemAssigned!.clientId}@${lab.tenantId}`,
        'appdb',
        'dbo',
      ],
    ]);
    assert.deepEqual(
      result!.columns!.map(c => [c.name, c.type, c.nullable]),
      [
        ['', 'int', false],
        ['word', 'nvarchar', false],
        ['who', 'nvarchar', true],
        ['', 'nvarchar', true],
        ['', 'nvarchar', false],
      ],
    );
    assert.equal(sqlError(() => runBatch(admin, 'SELECT NOPE()')).number, 195);
    assert.equal(sqlError(() => runBatch(admin, 'SELECT nope')).number, 207);
  });

  it('every database starts with dbo.Products; SELECT reads it with a column list, *, TOP, WHERE and COUNT(*)', () => {
    assert.deepEqual(runBatch(admin, 'SELECT * FROM dbo.Products')[0]!.rows!.length, 3);
    assert.deepEqual(runBatch(admin, 'SELECT TOP 1 Name FROM [Products]')[0]!.rows, [['Coffee']]);
    assert.deepEqual(runBatch(admin, "SELECT ProductID FROM Products WHERE Name = 'Tea'")[0]!.rows, [[2]]);
    assert.deepEqual(runBatch(admin, 'SELECT COUNT(*) AS n FROM Products')[0]!.rows, [[3]]);
    assert.equal(sqlError(() => runBatch(admin, 'SELECT Price FROM Products')).message, "Invalid column name 'Price'.");
  });

  it('CREATE TABLE keeps column types; INSERT converts values as SQL Server does, or fails with its error', () => {
    runBatch(admin, 'CREATE TABLE orders (id int NOT NULL, item nvarchar(5), paid bit)');
    const inserted = runBatch(admin, "INSERT INTO orders (id, item, paid) VALUES (1, 'tea', 1), ('2', 'cocoa', 'false')");
    assert.equal(inserted[0]!.rowCount, 2);
    assert.deepEqual(runBatch(admin, 'SELECT * FROM orders')[0]!.rows, [
      [1, 'tea', 1],
      [2, 'cocoa', 0],
    ]);
    const cases: Array<[string, number, RegExp]> = [
      [
        "INSERT INTO orders (id, item) VALUES ('x', 'a')",
        245,
        /^Conversion failed when converting the varchar value 'x' to data type int\.$/,
      ],
      [
        "INSERT INTO orders (item) VALUES ('a')",
        515,
        /^Cannot insert the value NULL into column 'id', table 'appdb\.dbo\.orders'; column does not allow nulls\. INSERT fails\.$/,
      ],
      [
        "INSERT INTO orders (id, item) VALUES (3, 'coffee')",
        2628,
        /^String or binary data would be truncated in table 'appdb\.dbo\.orders', column 'item'\. Truncated value: 'coffe'\.$/,
      ],
      ['INSERT INTO orders VALUES (3)', 213, /^Column name or number of supplied values does not match table definition\.$/],
      ['CREATE TABLE orders (id int)', 2714, /^There is already an object named 'orders' in the database\.$/],
      ['CREATE TABLE t (d datetime2)', 50000, /not datetime2/],
      ['CREATE TABLE t (d frob)', 2715, /^Column, parameter, or variable #1: Cannot find data type frob\.$/],
    ];
    for (const [text, number, message] of cases) {
      const error = sqlError(() => runBatch(admin, text));
      assert.equal(error.number, number, text);
      assert.match(error.message, message, text);
    }
    const saved = parseLabState(JSON.parse(JSON.stringify(lab.toState())));
    assert.ok(saved.ok, 'typed tables are saved in a state the lab loads again');
    const tables = Object.values(saved.state.dataPlane).flatMap(d => d.sqlTables ?? []);
    assert.deepEqual(
      tables.find(t => t.name === 'orders')!.columns!.map(c => c.type),
      ['int', 'nvarchar', 'bit'],
    );
  });

  it('WAITFOR DELAY asks the door to wait; USE and T-SQL the lab does not run get Azure’s 40508 and the lab’s 50000', () => {
    assert.equal(runBatch(admin, "WAITFOR DELAY '00:00:01.5'")[0]!.delayMs, 1500);
    assert.equal(sqlError(() => runBatch(admin, "WAITFOR DELAY '01:00:00'")).number, 50000);
    assert.equal(sqlError(() => runBatch(admin, 'USE master')).number, 40508);
    assert.equal(sqlError(() => runBatch(admin, 'UPDATE Products SET Name = 1')).number, 50000);
    assert.equal(sqlError(() => runBatch(admin, 'FROB')).number, 102);
  });

  it('a token logs in as the admin (by client id), as a contained user with its roles, or not at all — master has no contained users', async () => {
    const refused = await loginWithAccessToken(lab, await token('vm-app'), { server: 'sql-lab.database.windows.net', database: 'appdb' });
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.number, 18456);
    runBatch(admin, 'CREATE USER [vm-app] FROM EXTERNAL PROVIDER');
    const app = await session('vm-app');
    assert.equal(app.userName, 'vm-app');
    assert.equal(sqlError(() => runBatch(app, 'SELECT * FROM Products')).number, 229);
    runBatch(admin, 'ALTER ROLE db_datareader ADD MEMBER [vm-app]');
    assert.equal(runBatch(app, 'SELECT * FROM Products')[0]!.rowCount, 3, 'a role added takes effect in an open session');
    const master = await loginWithAccessToken(lab, await token('vm-app'), { server: 'sql-lab.database.windows.net', database: '' });
    assert.equal(!master.ok && master.error.number, 18456, 'no database named: master, where the contained user is not');
    assert.equal((await session('vm-dba', '')).databaseName, 'master', 'the admin may log in to master');
    const missing = await loginWithAccessToken(lab, await token('vm-dba'), { server: 'sql-lab.database.windows.net', database: 'nope' });
    assert.equal(!missing.ok && missing.error.number, 4060);
    const unknown = await loginWithAccessToken(lab, await token('vm-dba'), { server: 'other.database.windows.net', database: 'appdb' });
    assert.equal(!unknown.ok && unknown.error.number, 40532);
    const vault = await loginWithAccessToken(lab, await token('vm-dba', 'https://vault.azure.net'), {
      server: 'sql-lab',
      database: 'appdb',
    });
    assert.equal(!vault.ok && vault.error.message, "Login failed for user '<token-identified principal>'. Incorrect or invalid token.");
  });
});
