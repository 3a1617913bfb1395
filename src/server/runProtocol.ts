// The protocol between `milab run` and a running lab. `milab run` registers a run with a control
// request (`POST /_milab/runs` {as, identity?} → {id, token, hostId}; `DELETE /_milab/runs/{id}`
// when the program ends). Inside the run's network namespace a forwarder accepts the program's
// connections (169.254.169.254:80, :443 for Azure's names, App Service's identity port, SQL's 1433)
// and carries each over the lab's unix socket (server.json `runSocket`), opening it with one line:
//   MILAB-RUN/1 <run token> <target>\n
// then the program's bytes, untouched. Target `lab` is the lab's HTTP/HTTPS port (it tells TLS
// from plain HTTP by the first byte); `tds` is the lab's SQL (TDS) listener, when it has one.
// Every request on such a connection is the run's host's: IMDS answers as that host, traces draw it.

export const RUNS_PATH = '/_milab/runs';
export const RUN_PREAMBLE = 'MILAB-RUN/1';
export const RUN_TARGETS = ['lab', 'tds'] as const;
export type RunTarget = (typeof RUN_TARGETS)[number];
/** The preamble line's most bytes: a longer first line is not a run connection. */
export const RUN_PREAMBLE_LIMIT = 256;

export interface RunRequest {
  /** The compute resource to run as: its name or ARM id. */
  as: string;
}

export interface RunRegistration {
  id: string;
  token: string;
  hostId: string;
  hostName: string;
}

export const runPreamble = (token: string, target: RunTarget): string => `${RUN_PREAMBLE} ${token} ${target}\n`;
