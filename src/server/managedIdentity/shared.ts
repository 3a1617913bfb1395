// What the two managed-identity endpoints (IMDS and App Service's) share: the trace of the
// flow, the faults a lesson switched on, and the token request itself.
import type { ServerResponse } from 'node:http';
import type { ResourceState } from '../../engine/model/state';
import type { EndpointKind, IdentitySelector, TokenResult } from '../../engine/managedIdentity/acquire';
import { TraceBuilder } from '../../engine/trace/builder';
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import { headersForTrace, redactToken, sendJson, single } from '../http';

export interface FlowTrace {
  builder: TraceBuilder;
  app: string;
  endpoint: string;
  http: { method: string; url: string; requestHeaders: Record<string, string> };
}

export function startFlow(ctx: EndpointContext, host: ResourceState, req: ParsedRequest, endpoint: EndpointKind, path: string): FlowTrace {
  const resource = single(req, 'resource');
  const builder = new TraceBuilder(ctx.lab.clock, resource ? `Token for ${resource.slice(0, 200)} as ${host.name}` : `${endpoint === 'imds' ? 'IMDS' : 'Identity endpoint'} request as ${host.name}`);
  builder.runsAs(host.id);
  const app = builder.participant('app', `App on ${host.name}`, host.id, host.id);
  const endpointId = endpoint === 'imds' ? builder.participant('imds', 'IMDS (169.254.169.254)') : builder.participant('identityEndpoint', `Identity endpoint of ${host.name}`);
  const http = { method: req.method.slice(0, 20), url: req.rawUrl.slice(0, 2000), requestHeaders: headersForTrace(req.headers) };
  builder.add({ from: app, to: endpointId, kind: 'request', label: `${http.method} ${path}`, notes: resource ? [`resource=${resource.slice(0, 200)}`] : [], http });
  return { builder, app, endpoint: endpointId, http };
}

/** Answers the client and files the finished trace. Token values in the body are redacted in the trace. */
export function reply(ctx: EndpointContext, res: ServerResponse, flow: FlowTrace, status: number, body: Record<string, unknown>, label: string, extra: { errorCode?: string; notes?: string[] } = {}): void {
  const text = sendJson(res, status, body);
  const shown = typeof body['access_token'] === 'string' ? JSON.stringify({ ...body, access_token: redactToken(body['access_token']) }) : text;
  flow.builder.add({ from: flow.endpoint, to: flow.app, kind: 'response', status, label: label.slice(0, 300), ...extra, http: { ...flow.http, status, responseBody: shown.slice(0, 4000) } });
  ctx.lab.traces.add(flow.builder.finish());
}

export const delay = (ms: number) => (ms > 0 ? new Promise(resolve => setTimeout(resolve, ms)) : Promise.resolve());

export async function acquire(ctx: EndpointContext, host: ResourceState, flow: FlowTrace, resource: string, selector: IdentitySelector | undefined, endpoint: EndpointKind, bypassCache = false): Promise<TokenResult> {
  return ctx.managedIdentityTokens.acquire(host, resource, selector, { bypassCache, endpoint, trace: { builder: flow.builder, endpoint: flow.endpoint } });
}

/** The one selector given (client id, object id or resource id), or an error when several are. */
export function selectorFrom(req: ParsedRequest, names: ReadonlyArray<[string, IdentitySelector['by']]>): { selector?: IdentitySelector; conflict?: string[] } {
  const given = names.filter(([name]) => req.query.has(name));
  if (given.length > 1) return { conflict: given.map(([n]) => n) };
  const chosen = given[0];
  return chosen ? { selector: { by: chosen[1], value: single(req, chosen[0]) ?? '' } } : {};
}

export { sendJson };
