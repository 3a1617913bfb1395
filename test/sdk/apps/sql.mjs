// An unmodified SQL app (one flow per process): the real tedious or mssql driver, configured
// the way Service Connector's settings say (AZURE_SQL_SERVER, AZURE_SQL_PORT,
// AZURE_SQL_DATABASE, from `milab env`). Arguments: a JSON object { driver: 'tedious' | 'mssql',
// auth: 'access-token' | 'msi-vm' | 'default' | 'password', token?, user?, password?, clientId?,
// encrypt?: true | false | 'strict', database?, requests: [{ text, kind?: 'batch' | 'rpc', timeoutMs? }] }.
// Prints { ok, login?: error, results: [{ rows, rowCount } | { error }], errorMessages, infoMessages } as JSON.
import tedious from 'tedious';
import mssql from 'mssql';

const options = JSON.parse(process.argv[2] ?? '{}');
const server = process.env.AZURE_SQL_SERVER;
const port = Number(process.env.AZURE_SQL_PORT);
const database = options.database ?? process.env.AZURE_SQL_DATABASE;
const encrypt = options.encrypt ?? true;

function authentication() {
  switch (options.auth) {
    case 'access-token':
      return { type: 'azure-active-directory-access-token', options: { token: options.token } };
    case 'msi-vm':
      return { type: 'azure-active-directory-msi-vm', options: options.clientId ? { clientId: options.clientId } : {} };
    case 'default':
      return { type: 'azure-active-directory-default', options: options.clientId ? { clientId: options.clientId } : {} };
    default:
      return { type: 'default', options: { userName: options.user, password: options.password } };
  }
}

const describe = error =>
  error && {
    name: error.name,
    code: error.code,
    number: error.number,
    state: error.state,
    class: error.class,
    message: error.message,
    ...(error.errors ? { errors: error.errors.map(e => e.message) } : {}),
  };

async function withTedious() {
  const errorMessages = [];
  const infoMessages = [];
  const connection = new tedious.Connection({
    server,
    authentication: authentication(),
    options: { port, database, encrypt, connectTimeout: 20_000, requestTimeout: 15_000 },
  });
  connection.on('errorMessage', m => errorMessages.push({ number: m.number, state: m.state, class: m.class, message: m.message }));
  connection.on('infoMessage', m => infoMessages.push({ number: m.number, message: m.message }));
  const login = await new Promise(resolve => {
    connection.connect(error => resolve(error));
  });
  if (login) return { ok: false, login: describe(login), errorMessages, infoMessages, results: [] };
  const results = [];
  for (const request of options.requests ?? []) {
    results.push(
      await new Promise(resolve => {
        const rows = [];
        const r = new tedious.Request(request.text, (error, rowCount) => resolve(error ? { error: describe(error) } : { rows, rowCount }));
        if (request.timeoutMs) r.setTimeout(request.timeoutMs);
        r.on('row', columns => rows.push(columns.map(c => c.value)));
        if (request.kind === 'rpc') connection.execSql(r);
        else connection.execSqlBatch(r);
      }),
    );
  }
  connection.close();
  return { ok: results.every(r => !r.error), results, errorMessages, infoMessages };
}

async function withMssql() {
  let pool;
  try {
    pool = await new mssql.ConnectionPool({
      server,
      port,
      database,
      authentication: authentication(),
      options: { encrypt },
      connectionTimeout: 20_000,
    }).connect();
  } catch (error) {
    return { ok: false, login: describe(error), results: [] };
  }
  const results = [];
  for (const request of options.requests ?? []) {
    try {
      const r = request.kind === 'batch' ? await pool.request().batch(request.text) : await pool.request().query(request.text);
      results.push({ rows: (r.recordset ?? []).map(row => Object.values(row)), rowCount: r.rowsAffected.reduce((a, b) => a + b, 0) });
    } catch (error) {
      results.push({ error: describe(error) });
    }
  }
  await pool.close();
  return { ok: results.every(r => !r.error), results };
}

try {
  console.log(JSON.stringify(options.driver === 'mssql' ? await withMssql() : await withTedious()));
} catch (error) {
  console.log(JSON.stringify({ ok: false, login: describe(error), results: [] }));
}
