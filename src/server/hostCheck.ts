// DNS rebinding: a web page whose own name the attacker points at 127.0.0.1 can make a browser
// send requests to the lab, but they carry the page's name in `Host`. So every request must name
// the lab itself — its loopback names or a service name it serves (engine/azure/serviceDomains.ts,
// LAB_HOST_NAMES), on the lab's port — or it is refused before any endpoint sees it.
import type { ServerResponse } from 'node:http';
import { isGlobalHostName, isLabHostName } from '../engine/azure/serviceDomains';
import { neutralizeForDisplay } from '../engine/base/displayText';
import { TraceBuilder } from '../engine/trace/builder';
import type { EndpointContext } from './context';
import { headersForTrace, sendJson, type ParsedRequest } from './http';

/** `Host` split into a lower-case name (IPv6 without brackets, no trailing dot) and its port, if it is well formed. */
export function parseHostHeader(host: string): { name: string; port?: number } | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^\s:[\]/@]+))(?::(\d{1,5}))?$/i.exec(host);
  if (!match) return undefined;
  const name = (match[1] ?? match[2]!).toLowerCase().replace(/\.$/, '');
  return match[3] === undefined ? { name } : { name, port: Number(match[3]) };
}

/** Accepted `Host` values by port and scheme, remembered (a client sends the same one every time): the check stays off the hot path. */
const accepted = new Map<number, Set<string>>();
let acceptedCount = 0;

/**
 * Whether `host` names the lab on `port` (a port left out means the scheme's default, 80 or 443).
 * Azure's global names may also come on the scheme's default port: that is how they arrive when
 * a client reaches the lab by them (a hosts file, `milab serve --port 443`); no page can carry
 * them, since a browser sends its page's own name.
 */
export function isLabHost(host: string | undefined, port: number, tls: boolean): boolean {
  if (!host) return false;
  const key = port * 2 + (tls ? 1 : 0);
  if (accepted.get(key)?.has(host)) return true;
  const parsed = parseHostHeader(host);
  const sentPort = parsed?.port ?? (tls ? 443 : 80);
  const ok =
    parsed !== undefined &&
    isLabHostName(parsed.name) &&
    (sentPort === port || (sentPort === (tls ? 443 : 80) && isGlobalHostName(parsed.name)));
  if (ok) {
    if (acceptedCount >= 256) {
      accepted.clear();
      acceptedCount = 0;
    }
    let hosts = accepted.get(key);
    if (!hosts) accepted.set(key, (hosts = new Set()));
    hosts.add(host);
    acceptedCount++;
  }
  return ok;
}

/** IMDS and the App Service endpoint answer in their own `{error, error_description}`; everything else as ARM and the services do. */
const MANAGED_IDENTITY_PATH = /\/(metadata|msi)\//i;

/** Refuses a request for someone else's name: a 400, and a trace saying what it probably was. */
export function refuseHost(ctx: EndpointContext, req: ParsedRequest, path: string, res: ServerResponse, host: string | undefined): void {
  const shown = neutralizeForDisplay((host ?? '(none)').slice(0, 200));
  const description = host ? `The request's Host header '${shown}' is not a name this lab serves.` : 'The request has no Host header.';
  const body = MANAGED_IDENTITY_PATH.test(path)
    ? { error: 'bad_request', error_description: host ? `Invalid Host header: ${shown}` : description }
    : { error: { code: 'InvalidHostName', message: `HTTP Error 400. The request hostname is invalid. ${description}` } };
  const text = sendJson(res, 400, body, { Connection: 'close' });
  const builder = new TraceBuilder(ctx.lab.clock, `Refused: Host ${shown}`);
  const client = builder.participant('app', 'Client (a web page?)');
  const lab = builder.participant('lab', 'Lab endpoints');
  const http = { method: req.method.slice(0, 20), url: req.rawUrl.slice(0, 2000), requestHeaders: headersForTrace(req.headers) };
  builder.add({ from: client, to: lab, kind: 'request', label: `${req.method.slice(0, 10)} ${path.slice(0, 120)}`, http });
  builder.add({
    from: lab,
    to: client,
    kind: 'response',
    status: 400,
    errorCode: 'InvalidHostName',
    label: 'refused: not a name of this lab',
    notes: [
      description,
      'The lab answers only to 127.0.0.1, localhost, [::1] and the service names it serves, on its own port. ' +
        'A browser page whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name here, and is refused.',
    ],
    http: { ...http, status: 400, responseBody: text.slice(0, 4000) },
  });
  ctx.lab.traces.add(builder.finish());
}
