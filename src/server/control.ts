// Control requests from other processes on this machine (`milab az`, `milab sql`, `milab scenario`,
// `milab export`, `milab clock` while the lab runs): `POST /_milab/{command}` (az, sql, scenario)
// with `x-milab-control: <token from server.json>` and `{"argv": [...]}`, answered `{exitCode,
// stdout, stderr}`; `POST /_milab/export`, answered `{script}`; `POST /_milab/clock`, answered with
// the clock; `POST /_milab/runs` and `DELETE /_milab/runs/{id}` for `milab run` (runProtocol.ts).
// The token is compared in constant time; without it (or with a wrong one) the answer is a 401, and
// nothing runs. A change is answered only once it is saved. `az account get-access-token` from the
// lab's az on PATH is AzureCliCredential's attempt on "your machine": it goes into that chain's trace.
import type { ServerResponse } from 'node:http';
import type { EndpointContext } from './context';
import { BodyTooLarge, header, readBody, sameSecret, sendJson, type ParsedRequest } from './http';
import { exportAzScript, runAz } from '../az';
import { isJsonObject } from '../engine/base/json';
import {
  CONTROL_AZ_PATH,
  CONTROL_CLOCK_PATH,
  CONTROL_EXPORT_PATH,
  CONTROL_HEADER,
  CONTROL_PREFIX,
  type ControlAzRequest,
  type ControlClockRequest,
  type ControlCommand,
  type ControlExportResponse,
} from './controlProtocol';
import { RUNS_PATH, type RunRegistration } from './runProtocol';
import { resolveComputeResource } from '../engine/lab/resolveComputeResource';
import { hasTokenEndpoint, resourceTypeOf } from '../engine/azure/resourceTypes';
import { changedSinceStart, settled } from './durability';
import { momentOf, type Moment } from '../engine/base/clock';
import { changeClock } from '../engine/operations/clock';
import { clockView } from '../engine/readModels/clock';
import { isLabError } from '../engine/base/errors';

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
  const { argv, columns, color, pathShim } = body;
  if (!Array.isArray(argv) || argv.length > MAX_ARGS || !argv.every(a => typeof a === 'string')) return undefined;
  const shim =
    isJsonObject(pathShim) && typeof pathShim['cwd'] === 'string' && typeof pathShim['startedAt'] === 'number'
      ? { cwd: pathShim['cwd'].slice(0, 1000), startedAt: pathShim['startedAt'] }
      : undefined;
  return {
    argv: argv as string[],
    ...(typeof columns === 'number' && Number.isFinite(columns) ? { columns } : {}),
    ...(typeof color === 'boolean' ? { color } : {}),
    ...(shim ? { pathShim: shim } : {}),
  };
}

const CLOCK_ACTIONS = new Set(['show', 'advance', 'pause', 'resume', 'real']);

function parseClockRequest(text: string): ControlClockRequest | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(body) || typeof body['action'] !== 'string' || !CLOCK_ACTIONS.has(body['action'])) return undefined;
  if (body['duration'] !== undefined && typeof body['duration'] !== 'string') return undefined;
  return {
    action: body['action'] as ControlClockRequest['action'],
    ...(typeof body['duration'] === 'string' ? { duration: body['duration'] } : {}),
  };
}

/** When the az process started, as it says; kept only if it is plausible (within the last minute). */
function shimStart(ctx: EndpointContext, startedAt: number): Moment {
  const now = momentOf(ctx.lab.clock);
  const real = Number.isFinite(startedAt) && startedAt <= now.real && now.real - startedAt < 60_000 ? startedAt : now.real;
  return { real, lab: now.lab - (now.real - real) };
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
  if (!command && path !== CONTROL_EXPORT_PATH && path !== CONTROL_CLOCK_PATH) {
    sendJson(res, 404, error('NotFound', `No control endpoint ${path.slice(0, 200)}.`));
    return;
  }
  if (parsed.method !== 'POST') {
    sendJson(res, 405, error('MethodNotAllowed', `${parsed.method.slice(0, 20)} is not allowed here: use POST.`), { Allow: 'POST' });
    return;
  }
  if (path === CONTROL_EXPORT_PATH) {
    const answer: ControlExportResponse = { script: exportAzScript(ctx.lab) };
    sendJson(res, 200, answer);
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
  if (path === CONTROL_CLOCK_PATH) return clock(ctx, text, res);
  const request = parseAzRequest(text);
  if (!request) {
    sendJson(
      res,
      400,
      error('InvalidRequestContent', 'The request body must be JSON: {"argv": ["group", "list", ...]} with string arguments.'),
    );
    return;
  }
  const started = request.pathShim && path === CONTROL_AZ_PATH ? shimStart(ctx, request.pathShim.startedAt) : undefined;
  const result = await command!(request.argv, {
    ...(request.columns !== undefined ? { columns: request.columns } : {}),
    ...(request.color !== undefined ? { color: request.color } : {}),
  });
  // The command's exit code is acknowledged only once its change is on disk; a failed save is az's error 1, in words.
  if (ctx.durability && changedSinceStart(res)) {
    try {
      await ctx.durability.persist();
    } catch (failure) {
      result.exitCode = 1;
      result.stderr += `ERROR: ${ctx.durability.failureMessage(failure as Error)}\n`;
    }
  }
  settled(res);
  sendJson(res, 200, result);
  if (started && request.argv[0] === 'account' && request.argv[1] === 'get-access-token') {
    ctx.localChains.cli({
      argv: request.argv,
      startedAt: started,
      endedAt: momentOf(ctx.lab.clock),
      cwd: request.pathShim!.cwd,
      ...result,
    });
  }
}

function clock(ctx: EndpointContext, text: string, res: ServerResponse): void {
  const request = parseClockRequest(text);
  if (!request) {
    sendJson(
      res,
      400,
      error(
        'InvalidRequestContent',
        'The request body must be JSON: {"action": "show"|"advance"|"pause"|"resume"|"real", "duration"?: "10m"}.',
      ),
    );
    return;
  }
  try {
    if (request.action !== 'show') changeClock(ctx.lab, request.action, request.duration);
  } catch (failure) {
    if (!isLabError(failure)) throw failure;
    sendJson(res, failure.status, error(failure.code, failure.message));
    return;
  }
  sendJson(res, 200, { clock: clockView(ctx.lab.clock) });
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
