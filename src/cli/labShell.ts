// The lab terminal's language (src/az/labShell.ts) for the host's scenario service, and the
// way `milab` reaches a lab running for a state directory (its control endpoint) when one runs.
import { labShell as azLabShell } from '../az/labShell';
import type { Shell } from '../host/scenarios';
import { CONTROL_HEADER, controlPath, type ControlAzRequest, type ControlResult } from '../server/controlProtocol';

export const labShell: Shell = (lab, line, variables, commands) => azLabShell(lab, line, variables, commands);

/** Runs a control command (`az`, `sql`, `scenario`) in the lab running at `url`. Throws when it does not answer. */
export async function viaRunningLab(
  url: string,
  token: string,
  command: 'az' | 'sql' | 'scenario',
  argv: string[],
  options: { columns?: number; color?: boolean; pathShim?: ControlAzRequest['pathShim'] } = {},
): Promise<ControlResult> {
  const response = await fetch(`${url}${controlPath(command)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CONTROL_HEADER]: token },
    body: JSON.stringify({ argv, ...options }),
    // A check runs the workload again; a burst with backoff takes seconds, never minutes.
    signal: AbortSignal.timeout(120_000),
  });
  const body = (await response.json()) as Partial<ControlResult> & { error?: { message?: string } };
  if (!response.ok || typeof body.exitCode !== 'number') throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return { exitCode: body.exitCode, stdout: String(body.stdout ?? ''), stderr: String(body.stderr ?? '') };
}

/** Takes `--state DIR` / `--state=DIR` out of the arguments; the rest are the command's. */
export function splitState(argv: readonly string[]): { stateDir: string; rest: string[] } | { error: string } {
  const rest: string[] = [];
  let stateDir = '.milab';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--state') {
      const value = argv[++i];
      if (value === undefined) return { error: 'argument --state: expected one argument' };
      stateDir = value;
    } else if (arg.startsWith('--state=')) stateDir = arg.slice('--state='.length);
    else rest.push(arg);
  }
  return { stateDir, rest };
}
