// Control requests from other processes on this machine (`milab az`, `milab sql`, `milab scenario`
// while the lab runs): `POST /_milab/{command}` with `x-milab-control: <token from server.json>` and
// `{"argv": [...]}`, answered `{exitCode, stdout, stderr}`. The token is compared in constant time;
// without it (or with a wrong one) the answer is a 401, and nothing runs.
import type { ServerResponse } from 'node:http';
import type { EndpointContext } from './context';
import { BodyTooLarge, header, readBody, sameSecret, sendJson, type ParsedRequest } from './http';
import { runAz } from '../az';
import { isJsonObject } from '../engine/base/json';
import { CONTROL_AZ_PATH, CONTROL_HEADER, CONTROL_PREFIX, type ControlAzRequest, type ControlCommand } from './controlProtocol';

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
