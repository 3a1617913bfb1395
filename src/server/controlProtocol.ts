// The control protocol between `milab` and a running lab: `POST /_milab/{command}` (az, sql,
// scenario) with the per-run token from server.json in `x-milab-control`, a body `{"argv": [...]}`,
// and the answer `{exitCode, stdout, stderr}`. Both ends read these names from here.

export const CONTROL_PREFIX = '/_milab/';
export const CONTROL_AZ_PATH = `${CONTROL_PREFIX}az`;
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
}
