// Azure SQL's second door, the lab's own: https://{server}.database.windows.net:PORT/databases/{db}/query
// takes `{"query": "…"}` with a bearer token for https://database.windows.net/, so `curl` can
// try a login and a batch without a SQL driver. Real drivers use the TDS endpoint
// (src/server/tds); both run the same engine code (engine/services/sql), so the answers —
// who may log in, which roles allow what, SQL's numbers and texts — are the same.
import type { ServerResponse } from 'node:http';
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import { BodyTooLarge, headersForTrace, readBody, sendJson } from '../http';
import { appHost, bearerToken, hostOfToken } from './bearer';
import { loginWithAccessToken } from '../../engine/services/sql/login';
import { executeBatch } from '../../engine/services/sql/batch';
import { SqlError } from '../../engine/services/sql/sqlError';
import type { StatementResult } from '../../engine/services/sql/types';
import { sqlRefusal } from '../../engine/services/sql/refusal';
import { TraceBuilder } from '../../engine/trace/builder';
import type { AuthorizationNote, Refusal } from '../../engine/trace/model';

const ROUTE = /^\/databases\/([^/]+)\/query\/?$/i;
const BODY_LIMIT = 64 * 1024;

const sqlError = (error: SqlError) => ({
  error: { number: error.number, class: error.severity, state: error.state, message: error.message },
});

/** What SSMS would print for a statement: the client-side messages the JSON answer carries. */
function messageOf(result: StatementResult): string | undefined {
  if (result.command === 'ddl') return 'Commands completed successfully.';
  if (result.rowCount === undefined) return undefined;
  return `(${result.rowCount} row${result.rowCount === 1 ? '' : 's'} affected)`;
}

/** HTTP's nearest status for a SQL error: a refused login is 401, a denied permission 403, the rest 400. */
const statusOf = (error: SqlError): number =>
  error.number === 18456 || error.number === 4060 || error.number === 40532
    ? 401
    : error.number === 229 || error.number === 262 || error.number === 15247
      ? 403
      : 400;

export async function handleSql(
  ctx: EndpointContext,
  req: ParsedRequest,
  serverName: string,
  path: string,
  res: ServerResponse,
): Promise<void> {
  const started = ctx.lab.clock.now();
  const match = ROUTE.exec(path);
  const builder = new TraceBuilder(ctx.lab.clock, `SQL ${serverName}/${match?.[1] ?? '?'}: query`, started);
  const app = builder.participant('app', 'App');
  const sql = builder.participant('sql', `SQL ${serverName}${match ? `/${match[1]}` : ''}`);
  const http = { method: req.method.slice(0, 20), url: req.rawUrl.slice(0, 2000), requestHeaders: headersForTrace(req.headers) };
  const respond = (
    status: number,
    body: unknown,
    label: string,
    extra: { errorCode?: string; authorization?: AuthorizationNote; refusal?: Refusal } = {},
  ) => {
    const text = sendJson(res, status, body);
    if (extra.refusal) builder.refuse(extra.refusal);
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
  if (!query.trim()) return respond(400, sqlError(new SqlError(102, 15, "Incorrect syntax near ''.")), 'empty query', { errorCode: '102' });

  const login = await loginWithAccessToken(ctx.lab, bearerToken(req) ?? '', { server: serverName, database: match[1]! });
  const host = appHost(ctx, req, login.claims ? hostOfToken(ctx.lab, login.claims) : undefined);
  if (host) {
    builder.runsAs(host.id);
    builder.relabel(app, `App on ${host.name}`, host.id);
  }
  if (!login.ok) {
    return respond(statusOf(login.error), sqlError(login.error), `Login failed (${login.error.number})`, {
      errorCode: String(login.error.number),
      ...(login.error.authorization ? { authorization: login.error.authorization } : {}),
      refusal: sqlRefusal(login.error, login.claims),
    });
  }
  const messages: string[] = [];
  let last: StatementResult | undefined;
  try {
    for (const result of executeBatch(login.session, query)) {
      if (result.delayMs) await new Promise(resolve => setTimeout(resolve, result.delayMs));
      const message = messageOf(result);
      if (message) messages.push(message);
      last = result;
    }
  } catch (error) {
    if (!(error instanceof SqlError)) throw error;
    return respond(statusOf(error), sqlError(error), `Msg ${error.number}`, {
      errorCode: String(error.number),
      authorization: login.note,
      refusal: sqlRefusal(error, login.claims),
    });
  }
  const body = {
    columns: (last?.columns ?? []).map(c => c.name),
    rows: last?.rows ?? [],
    rowsAffected: last?.rowCount ?? 0,
    messages,
  };
  respond(200, body, `${body.rowsAffected} row(s) as [${login.session.userName}]`, { authorization: login.note });
}
