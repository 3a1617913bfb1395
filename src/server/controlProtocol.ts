// The control protocol between `milab` and a running lab, with the per-run token from
// server.json in `x-milab-control`: `POST /_milab/{command}` (az, sql, scenario) with
// `{"argv": [...]}`, answered `{exitCode, stdout, stderr}`; `POST /_milab/export`, answered
// `{script}` (the lab as an az script); `POST /_milab/clock` with `{"action": "show"|"advance"|…}`,
// answered `{clock}`. Both ends read these names from here.

export const CONTROL_PREFIX = '/_milab/';
export const CONTROL_AZ_PATH = `${CONTROL_PREFIX}az`;
export const CONTROL_EXPORT_PATH = `${CONTROL_PREFIX}export`;
export const CONTROL_CLOCK_PATH = `${CONTROL_PREFIX}clock`;
export const CONTROL_HEADER = 'x-milab-control';
export const controlPath = (command: 'az' | 'sql' | 'scenario'): string => `${CONTROL_PREFIX}${command}`;

/** What a control command answers (an az command's result, and the others' alike). */
export interface ControlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A command the lab's host adds to the control endpoint (the scenario service lives beside the server, not in it). */
export type ControlCommand = (argv: string[], options: { columns?: number; color?: boolean }) => Promise<ControlResult>;

export interface ControlAzRequest {
  argv: string[];
  columns?: number;
  color?: boolean;
  /** Set by the lab's `az` on PATH (`milab env --as local`): where it ran and when its process started (ms since the epoch). */
  pathShim?: { cwd: string; startedAt: number };
}

export type ControlClockAction = 'show' | 'advance' | 'pause' | 'resume' | 'real';

export interface ControlClockRequest {
  action: ControlClockAction;
  /** For `advance`: `10m`, `1h`, `24h`… */
  duration?: string;
}

export interface ControlExportResponse {
  script: string;
}
