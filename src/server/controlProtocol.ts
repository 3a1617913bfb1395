// The control protocol between `milab az` and a running lab: `POST /_milab/az` with the
// per-run token from server.json in `x-milab-control`, a body `{"argv": [...]}`, and the answer
// `{exitCode, stdout, stderr}`. Both ends read these names from here.

export const CONTROL_PREFIX = '/_milab/';
export const CONTROL_AZ_PATH = `${CONTROL_PREFIX}az`;
export const CONTROL_HEADER = 'x-milab-control';

export interface ControlAzRequest {
  argv: string[];
  columns?: number;
  color?: boolean;
}
