// What the two managed-identity endpoints (IMDS and App Service's) share: the trace of the
// flow, and the token request itself. Traces are recorded for every request, but built
// lazily (headers, redacted bodies) so the token hot path stays close to a bare server.
import type { ServerResponse } from 'node:http';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { EndpointKind, IdentitySelector, TokenResult } from '../../engine/services/managedIdentity/acquire';
import { TraceBuilder } from '../../engine/trace/builder';
import type { Refusal } from '../../engine/trace/model';
import { CACHE_HIT_LABEL } from '../../engine/trace/model';
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import type { OpenFlow } from '../flows';
import { headersForTrace, redactToken, sendText, single } from '../http';
import { momentOf, type Moment } from '../../engine/base/clock';
import { cachedTokenNotes } from '../../engine/services/tokenLifetimes';

export interface FlowTrace {
  builder: TraceBuilder;
  app: string;
  endpoint: string;
  req: ParsedRequest;
  /** Set when this token request continues a service's challenge (see flows.ts). */
  joined?: OpenFlow;
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

/** What a reply adds to the trace: the error code, notes, and for a refusal its facts. */
export interface ReplyExtra {
  errorCode?: string;
  notes?: string[];
  refusal?: Refusal;
}

/** A managed-identity endpoint's refusal, with what the request said about itself. */
export function endpointRefusal(
  flow: FlowTrace,
  host: ReadonlyResource,
  by: 'imds' | 'identityEndpoint',
  rule: Refusal['rule'],
  errorCode: string,
  more: Partial<Refusal> = {},
): Refusal {
  const resource = single(flow.req, 'resource');
  return {
    rule,
    by,
    errorCode,
    hostResourceId: host.id,
    ...(resource ? { audience: resource.slice(0, 300) } : {}),
    ...more,
  };
}

export function startFlow(
  ctx: EndpointContext,
  host: ReadonlyResource,
  req: ParsedRequest,
  endpoint: EndpointKind,
  path: string,
  startedAt: Moment = momentOf(ctx.lab.clock),
): FlowTrace {
  const resource = single(req, 'resource');
  const joined = resource ? ctx.flows.claimForToken(host.id, resource) : undefined;
  if (joined) return joinFlow(joined, host, req, endpoint, path, resource!, startedAt);
  const builder = new TraceBuilder(
    ctx.lab.clock,
    resource
      ? `Token for ${resource.slice(0, 200)} as ${host.name}`
      : `${endpoint === 'imds' ? 'IMDS' : 'Identity endpoint'} request as ${host.name}`,
    startedAt,
  );
  builder.runsAs(host.id);
  const app = builder.participant('app', `App on ${host.name}`, '', host.id);
  const endpointId =
    endpoint === 'imds'
      ? builder.participant('imds', 'IMDS (169.254.169.254)')
      : builder.participant('identityEndpoint', `Identity endpoint of ${host.name}`);
  builder.add({
    from: app,
    to: endpointId,
    kind: 'request',
    label: `${req.method.slice(0, 20)} ${path}`,
    notes: resource ? [`resource=${resource.slice(0, 200)}`] : [],
    at: startedAt,
  });
  return { builder, app, endpoint: endpointId, req };
}

/** The token request continues a service's flow: same diagram, the app now known by its host. */
function joinFlow(
  joined: OpenFlow,
  host: ReadonlyResource,
  req: ParsedRequest,
  endpoint: EndpointKind,
  path: string,
  resource: string,
  startedAt: Moment,
): FlowTrace {
  const { builder } = joined;
  builder.relabel(joined.app, `App on ${host.name}`, host.id);
  builder.runsAs(host.id);
  const endpointId =
    endpoint === 'imds'
      ? builder.participant('imds', 'IMDS (169.254.169.254)')
      : builder.participant('identityEndpoint', `Identity endpoint of ${host.name}`);
  builder.add({
    from: joined.app,
    to: endpointId,
    kind: 'request',
    label: `${req.method.slice(0, 20)} ${path}`,
    notes: [`resource=${resource.slice(0, 200)}`],
    at: startedAt,
  });
  return { builder, app: joined.app, endpoint: endpointId, req, joined };
}

/** Answers the client with JSON text and files the trace (built later, with token values redacted). */
export function replyText(
  ctx: EndpointContext,
  res: ServerResponse,
  flow: FlowTrace,
  status: number,
  text: string,
  label: string,
  extra: ReplyExtra = {},
): void {
  sendText(res, status, text, JSON_HEADERS);
  const endedAt = momentOf(ctx.lab.clock);
  if (flow.joined) {
    finishMessages(flow, status, text, label, extra, endedAt);
    // A failed token request ends the flow: the app will not retry the service.
    if (status >= 400) ctx.flows.flush(flow.joined);
    return;
  }
  ctx.lab.traces.addLazy(() => finishFlow(flow, status, text, label, extra, endedAt));
}

/** The flow's last message (the answer), the HTTP details of both ends, and the finished trace. */
export function finishFlow(flow: FlowTrace, status: number, text: string, label: string, extra: ReplyExtra, endedAt: Moment) {
  finishMessages(flow, status, text, label, extra, endedAt);
  return flow.builder.finish(endedAt);
}

function finishMessages(flow: FlowTrace, status: number, text: string, label: string, extra: ReplyExtra, endedAt: Moment): void {
  const { builder, req } = flow;
  if (extra.refusal) builder.refuse(extra.refusal);
  const request = { method: req.method.slice(0, 20), url: req.rawUrl.slice(0, 2000), requestHeaders: headersForTrace(req.headers) };
  const opening = builder.lastRequestTo(flow.endpoint);
  if (opening) opening.http = request;
  builder.add({
    from: flow.endpoint,
    to: flow.app,
    kind: 'response',
    status,
    label: label.slice(0, 300),
    ...(extra.errorCode ? { errorCode: extra.errorCode } : {}),
    ...(extra.notes ? { notes: extra.notes } : {}),
    at: endedAt,
    http: { ...request, status, responseBody: redactBody(text).slice(0, 4000) },
  });
}

/** Sends a ready JSON body: the hot path's answer, with no per-request serialization. */
export function sendBuffer(res: ServerResponse, status: number, body: Buffer): void {
  if (res.headersSent || res.destroyed) return;
  // Token requests change nothing (no save to wait for): the hot path writes directly.
  res.writeHead(status, ['Content-Type', JSON_HEADERS['Content-Type'], 'Content-Length', String(body.length)]);
  res.end(body);
}

export function reply(
  ctx: EndpointContext,
  res: ServerResponse,
  flow: FlowTrace,
  status: number,
  body: Record<string, unknown>,
  label: string,
  extra: ReplyExtra = {},
): void {
  replyText(ctx, res, flow, status, JSON.stringify(body), label, extra);
}

function redactBody(text: string): string {
  if (!text.includes('"access_token"')) return text;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify({ ...body, access_token: redactToken(String(body['access_token'])) });
  } catch {
    return '[redacted]';
  }
}

export const delay = (ms: number) => (ms > 0 ? new Promise(resolve => setTimeout(resolve, ms)) : Promise.resolve());

export async function acquire(
  ctx: EndpointContext,
  host: ReadonlyResource,
  flow: FlowTrace,
  resource: string,
  selector: IdentitySelector | undefined,
  endpoint: EndpointKind,
  bypassCache = false,
): Promise<TokenResult> {
  const result = await ctx.managedIdentityTokens.acquire(host, resource, selector, {
    bypassCache,
    endpoint,
    trace: { builder: flow.builder, endpoint: flow.endpoint },
  });
  if (result.ok && result.fromCache) {
    flow.builder.add({
      from: flow.endpoint,
      to: flow.endpoint,
      kind: 'internal',
      label: CACHE_HIT_LABEL,
      notes: cachedTokenNotes(result.token.claims),
    });
  }
  return result;
}

/** The one selector given (client id, object id or resource id), or an error when several are. */
export function selectorFrom(
  req: ParsedRequest,
  names: ReadonlyArray<[string, IdentitySelector['by']]>,
): { selector?: IdentitySelector; conflict?: string[] } {
  if (req.query.size === 0) return NO_SELECTOR;
  const given = names.filter(([name]) => req.query.has(name));
  if (given.length > 1) return { conflict: given.map(([n]) => n) };
  const chosen = given[0];
  return chosen ? { selector: { by: chosen[1], value: single(req, chosen[0]) ?? '' } } : NO_SELECTOR;
}

const NO_SELECTOR = {};
