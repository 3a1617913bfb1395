// Control requests from other processes on this machine (`milab az`, `milab sql`, `milab scenario`
// while the lab runs): `POST /_milab/{command}` with `x-milab-control: <token from server.json>` and
// `{"argv": [...]}`, answered `{exitCode, stdout, stderr}`; `POST /_milab/runs` and
// `DELETE /_milab/runs/{id}` for `milab run` (runProtocol.ts). The token is compared in constant
// time; without it (or with a wrong one) the answer is a 401, and nothing runs.
import type { ServerResponse } from 'node:http';
import type { EndpointContext } from './context';
import { BodyTooLarge, header, readBody, sameSecret, sendJson, type ParsedRequest } from './http';
import { runAz } from '../az';
import { isJsonObject } from '../engine/base/json';
import { CONTROL_AZ_PATH, CONTROL_HEADER, CONTROL_PREFIX, type ControlAzRequest, type ControlCommand } from './controlProtocol';
import { RUNS_PATH, type RunRegistration } from './runProtocol';
import { resolveComputeResource } from '../engine/lab/resolveComputeResource';
import { hasTokenEndpoint, resourceTypeOf } from '../engine/azure/resourceTypes';

const MAX_BODY_BYTES = 256 * 1024;
const MAX_ARGS = 1000;

const error = (code: string, message: string) => ({ error: { code, message } });

function parseAzRequest(text: string): ControlAzRequest | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(body)) return undefined;
  const { argv, columns, color } = body;
  if (!Array.isArray(argv) || argv.length > MAX_ARGS || !argv.every(a => typeof a === 'string')) return undefined;
  return {
    argv: argv as string[],
    ...(typeof columns === 'number' && Number.isFinite(columns) ? { columns } : {}),
    ...(typeof color === 'boolean' ? { color } : {}),
  };
}

export async function handleControl(ctx: EndpointContext, parsed: ParsedRequest, path: string, res: ServerResponse): Promise<void> {
  if (!sameSecret(header(parsed, CONTROL_HEADER), ctx.controlToken)) {
    sendJson(
      res,
      401,
      error(
        'Unauthorized',
        `Control requests need the lab's control token in the ${CONTROL_HEADER} header (see server.json in the lab's state directory).`,
      ),
    );
    return;
  }
  if (path === RUNS_PATH || path.startsWith(`${RUNS_PATH}/`)) return handleRuns(ctx, parsed, path, res);
  const command: ControlCommand | undefined =
    path === CONTROL_AZ_PATH ? (argv, options) => runAz(ctx.lab, argv, options) : ctx.commands.get(path.slice(CONTROL_PREFIX.length));
  if (!command) {
    sendJson(res, 404, error('NotFound', `No control endpoint ${path.slice(0, 200)}.`));
    return;
  }
  if (parsed.method !== 'POST') {
    sendJson(res, 405, error('MethodNotAllowed', `${parsed.method.slice(0, 20)} is not allowed here: use POST.`), { Allow: 'POST' });
    return;
  }
  let text: string;
  try {
    text = (await readBody(parsed, MAX_BODY_BYTES)).toString('utf8');
  } catch (failure) {
    if (failure instanceof BodyTooLarge) {
      sendJson(res, 413, error('RequestEntityTooLarge', `The request body is larger than ${MAX_BODY_BYTES} bytes.`), {
        Connection: 'close',
      });
    } else sendJson(res, 400, error('InvalidRequest', 'The request body could not be read.'));
    return;
  }
  const request = parseAzRequest(text);
  if (!request) {
    sendJson(
      res,
      400,
      error('InvalidRequestContent', 'The request body must be JSON: {"argv": ["group", "list", ...]} with string arguments.'),
    );
    return;
  }
  const result = await command(request.argv, {
    ...(request.columns !== undefined ? { columns: request.columns } : {}),
    ...(request.color !== undefined ? { color: request.color } : {}),
  });
  sendJson(res, 200, result);
}

/** `POST /_milab/runs` {"as": name or id} registers a run as that host; `DELETE /_milab/runs/{id}` ends it. */
async function handleRuns(ctx: EndpointContext, parsed: ParsedRequest, path: string, res: ServerResponse): Promise<void> {
  if (parsed.method === 'DELETE' && path.length > RUNS_PATH.length + 1) {
    const ended = ctx.runs.end(path.slice(RUNS_PATH.length + 1));
    sendJson(res, ended ? 200 : 404, ended ? { ended: true } : error('NotFound', 'No such run.'));
    return;
  }
  if (parsed.method !== 'POST' || path !== RUNS_PATH) {
    sendJson(res, 405, error('MethodNotAllowed', `${parsed.method.slice(0, 20)} is not allowed here.`), { Allow: 'POST, DELETE' });
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse((await readBody(parsed, 16 * 1024)).toString('utf8'));
  } catch {
    body = undefined;
  }
  const as = isJsonObject(body) && typeof body['as'] === 'string' ? body['as'] : undefined;
  if (!as) {
    sendJson(res, 400, error('InvalidRequestContent', 'The request body must be JSON: {"as": "<compute resource name or id>"}.'));
    return;
  }
  const resolved = resolveComputeResource(ctx.lab, as);
  if (!resolved.ok) return void sendJson(res, 404, error('NotFound', resolved.message));
  const info = resourceTypeOf(resolved.host.type, resolved.host.kind);
  if (!hasTokenEndpoint(info)) {
    sendJson(
      res,
      400,
      error(
        'NoTokenEndpoint',
        `A ${info?.displayName ?? resolved.host.type} uses its identity inside the service; no code of yours runs on it.`,
      ),
    );
    return;
  }
  const registration: RunRegistration = ctx.runs.register(resolved.host.id, resolved.host.name);
  sendJson(res, 201, registration);
}
