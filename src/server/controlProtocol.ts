// The control protocol between the `milab` commands and a running lab: `POST /_milab/az` with the
// per-run token from server.json in `x-milab-control`, a body `{"argv": [...]}`, and the answer
// `{exitCode, stdout, stderr}`; `POST /_milab/export` answers `{script}` (the lab as an az script).
// Both ends read these names from here.

export const CONTROL_PREFIX = '/_milab/';
export const CONTROL_AZ_PATH = `${CONTROL_PREFIX}az`;
export const CONTROL_EXPORT_PATH = `${CONTROL_PREFIX}export`;
export const CONTROL_HEADER = 'x-milab-control';

export interface ControlAzRequest {
  argv: string[];
  columns?: number;
  color?: boolean;
}

export interface ControlExportResponse {
  script: string;
}
