// `milab clock show|advance DURATION|pause|resume|real [--state DIR] [--json]`: the lab's clock.
// With a lab running over the state directory the change goes to it (`POST /_milab/clock`);
// otherwise the saved state is changed and written back, holding the directory's lock.
import * as path from 'node:path';
import type { CliIo } from './cli';
import { parseOptions, UsageError } from './args';
import { readDiscovery } from '../host/discovery';
import { LabBusyError, loadOrCreateLab, LabStateError, openLab, withStateLock } from '../host/labHost';
import { writeStateFile } from '../host/stateFile';
import { CONTROL_CLOCK_PATH, CONTROL_HEADER, type ControlClockAction, type ControlClockRequest } from '../server/controlProtocol';
import { changeClock, type ClockAction } from '../engine/operations/clock';
import { clockView, type ClockView } from '../engine/readModels/clock';
import { isLabError } from '../engine/base/errors';

export const CLOCK_USAGE = `Usage: milab clock show|advance DURATION|pause|resume|real [--state DIR] [--json]

The lab's clock, which every token time, cache, RBAC propagation delay and federated
assertion follows. DURATION is like 90s, 5m, 1h, 24h or 1h30m.

  show      Print the lab time
  advance   Move the lab time forward by DURATION (tokens expire, propagation completes)
  pause     Stop the lab time
  resume    Let it run again, from where it stood
  real      Back to real time
`;

const ACTIONS: readonly ControlClockAction[] = ['show', 'advance', 'pause', 'resume', 'real'];

async function viaRunningLab(url: string, token: string, request: ControlClockRequest): Promise<ClockView> {
  const response = await fetch(`${url}${CONTROL_CLOCK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CONTROL_HEADER]: token },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { clock?: ClockView; error?: { message?: string } };
  if (!response.ok || !body.clock) throw new UsageError(body.error?.message ?? `HTTP ${response.status}`);
  return body.clock;
}

export async function clock(argv: string[], io: CliIo): Promise<number> {
  let options: Map<string, string | true>;
  let positional: string[];
  try {
    ({ options, positional } = parseOptions(argv, [
      { name: 'state', value: true },
      { name: 'json', value: false },
      { name: 'help', short: 'h', value: false },
    ]));
    if (options.has('help')) {
      io.stdout.write(CLOCK_USAGE);
      return 0;
    }
    const [action, duration, ...extra] = positional;
    if (!action || !ACTIONS.includes(action as ControlClockAction)) {
      throw new UsageError(`argument ACTION: invalid choice: '${action ?? ''}' (choose from ${ACTIONS.map(a => `'${a}'`).join(', ')})`);
    }
    if (action === 'advance' ? duration === undefined || extra.length > 0 : duration !== undefined) {
      throw new UsageError(
        action === 'advance' ? 'advance takes one DURATION, e.g. 10m' : `unrecognized arguments: ${positional.slice(1).join(' ')}`,
      );
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`milab clock: error: ${error.message}\n${CLOCK_USAGE}`);
    return 2;
  }
  const request: ControlClockRequest = {
    action: positional[0] as ControlClockAction,
    ...(positional[1] ? { duration: positional[1] } : {}),
  };
  const stateDir = path.resolve(String(options.get('state') ?? '.milab'));
  let view: ClockView;
  try {
    const running = await readDiscovery(stateDir);
    if (running) view = await viaRunningLab(running.url, running.controlToken, request);
    else if (request.action === 'show') view = clockView((await openLab(stateDir, 'milab clock')).clock);
    else {
      // One writer per directory: the change is made and written holding its lock, as milab az does.
      view = await withStateLock(stateDir, 'milab clock', async () => {
        const { lab } = await loadOrCreateLab(stateDir);
        changeClock(lab, request.action as ClockAction, request.duration);
        await writeStateFile(stateDir, lab.toState());
        return clockView(lab.clock);
      });
    }
  } catch (error) {
    const expected = error instanceof UsageError || error instanceof LabStateError || error instanceof LabBusyError || isLabError(error);
    if (!expected) throw error;
    io.stderr.write(`milab clock: ${(error as Error).message}\n`);
    return 1;
  }
  io.stdout.write(options.has('json') ? `${JSON.stringify(view, null, 2)}\n` : `Lab time: ${view.summary}\n`);
  return 0;
}
