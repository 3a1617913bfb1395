// Azure SQL, as far as identities go: https://{server}.database.windows.net:PORT/databases/{db}/query
// takes `{"query": "…"}` with a bearer token for https://database.windows.net/. SQL speaks
// TDS, not HTTP; this small query endpoint is the lab's own, but its rules (who can log in,
// which roles allow what) and its error numbers and messages are SQL's.
import type { ServerResponse } from 'node:http';
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import { BodyTooLarge, headersForTrace, readBody, sendJson } from '../http';
import { hostOfToken, verifyBearer } from './bearer';
import { findResourceApp } from '../../engine/azure/resourceApps';
import { callerFromClaims } from '../../engine/services/dataCaller';
import { login, runBatch, SqlError } from '../../engine/services/sql';
import { SQL_TOKEN_EXPIRED, SQL_TOKEN_LOGIN_FAILED } from '../../engine/services/messages';
import { TraceBuilder } from '../../engine/trace/builder';
import { momentOf } from '../../engine/base/clock';
import type { AuthorizationNote } from '../../engine/trace/model';

const SQL = findResourceApp('https://database.windows.net/')!;
const ROUTE = /^\/databases\/([^/]+)\/query\/?$/i;
const BODY_LIMIT = 64 * 1024;

const sqlError = (error: SqlError, state = 1) => ({
  error: { number: error.number, class: error.severity, state, message: error.message },
});

export async function handleSql(
  ctx: EndpointContext,
  req: ParsedRequest,
  serverName: string,
  path: string,
  res: ServerResponse,
): Promise<void> {
  const started = momentOf(ctx.lab.clock);
  const match = ROUTE.exec(path);
  const verified = await verifyBearer(ctx.lab, req, [...SQL.identifierUris, SQL.appId]);
  const hostId = verified.ok ? hostOfToken(ctx.lab, verified.claims) : undefined;
  const host = hostId ? ctx.lab.arm.resource(hostId) : undefined;
  const builder = new TraceBuilder(ctx.lab.clock, `SQL ${serverName}/${match?.[1] ?? '?'}: query`, started);
  if (host) builder.runsAs(host.id);
  const app = builder.participant('app', host ? `App on ${host.name}` : 'App', '', host?.id);
  const sql = builder.participant('sql', `SQL ${serverName}${match ? `/${match[1]}` : ''}`);
  const http = { method: req.method.slice(0, 20), url: req.rawUrl.slice(0, 2000), requestHeaders: headersForTrace(req.headers) };
  const respond = (status: number, body: unknown, label: string, extra: { errorCode?: string; authorization?: AuthorizationNote } = {}) => {
    const text = sendJson(res, status, body);
    builder.add({
      from: sql,
      to: app,
      kind: 'response',
      status,
      label,
      errorCode: extra.errorCode,
      authorization: extra.authorization,
      notes: extra.authorization?.reasons,
      http: { ...http, status, responseBody: text.slice(0, 4000) },
    });
    ctx.lab.traces.add(builder.finish());
  };

  let query = '';
  let tooLarge = false;
  if (match && req.method === 'POST') {
    try {
      const body = JSON.parse((await readBody(req, BODY_LIMIT)).toString('utf8') || '{}') as { query?: unknown };
      query = typeof body.query === 'string' ? body.query : '';
    } catch (error) {
      if (error instanceof BodyTooLarge) tooLarge = true;
      else if (!(error instanceof SyntaxError)) throw error;
    }
  }
  builder.add({
    from: app,
    to: sql,
    kind: 'request',
    label: query ? query.slice(0, 120) : `${req.method.slice(0, 10)} ${path.slice(0, 100)}`,
    http: { ...http, requestBody: query.slice(0, 2000) },
  });
  if (!match || req.method !== 'POST') {
    return respond(
      404,
      { error: { number: 0, class: 16, state: 1, message: 'POST /databases/{database}/query with {"query": "…"}.' } },
      'not a query',
    );
  }
  if (tooLarge) {
    return respond(
      413,
      { error: { number: 0, class: 16, state: 1, message: `The request body is larger than ${BODY_LIMIT} bytes.` } },
      'too large',
      { errorCode: 'RequestEntityTooLarge' },
    );
  }
  if (!query) return respond(400, sqlError(new SqlError(102, 15, "Incorrect syntax near ''.")), 'empty query', { errorCode: '102' });
  if (!verified.ok) {
    if (verified.reason === 'expired') {
      return respond(
        401,
        sqlError(new SqlError(18456, 14, SQL_TOKEN_EXPIRED.message), SQL_TOKEN_EXPIRED.state),
        'Login failed: token is expired (18456, state 233)',
        {
          errorCode: '18456',
        },
      );
    }
    const error = new SqlError(
      18456,
      14,
      `${SQL_TOKEN_LOGIN_FAILED}${verified.reason === 'audience' ? ' The token audience is not valid for this server (expected https://database.windows.net/).' : ''}`,
    );
    return respond(401, sqlError(error), 'Login failed (18456)', { errorCode: '18456' });
  }
  try {
    const { session, note } = login(ctx.lab, callerFromClaims(ctx.lab, verified.claims), serverName, match[1]!);
    const result = runBatch(session, query);
    respond(200, result, `${result.rowsAffected} row(s) as [${session.name}]`, { authorization: note });
  } catch (error) {
    if (!(error instanceof SqlError)) throw error;
    respond(
      error.number === 18456 || error.number === 4060
        ? 401
        : error.number === 229 || error.number === 262 || error.number === 15247
          ? 403
          : 400,
      sqlError(error),
      `Msg ${error.number}`,
      { errorCode: String(error.number), ...(error.authorization ? { authorization: error.authorization } : {}) },
    );
  }
}
