// Joins the separate HTTP requests of one client flow into one trace: an SDK calling Key Vault
// first sends its request without a token, gets the 401 challenge, asks the managed-identity
// endpoint for a token for the challenge's resource, and retries with it. The lab sees three
// unrelated requests; the learner should see one diagram of the whole dance.
//
// A challenge opens a flow; the next token request for that resource claims it (and names
// the host the app runs on); the next service request carrying a token from that host closes
// it. Flows nobody continues are recorded as they are after a few seconds.
import type { Lab } from '../engine/lab/lab';
import { TraceBuilder } from '../engine/trace/builder';
import { sameAudience } from '../engine/services/verifyToken';

/** Real time, not the lab clock's: it joins requests an SDK makes one after another, in real time. */
const FLOW_WINDOW_MS = 5_000;

export interface OpenFlow {
  builder: TraceBuilder;
  /** Participant ids within the builder. */
  app: string;
  service: string;
  /** The audience the challenge asked for. */
  resource: string;
  /** The compute resource the app runs on, once a token request told us. */
  hostId?: string;
  /** Who records the trace when the flow ends (a TDS session keeps its own); by default the log gets it. */
  record?: () => void;
  expires: number;
  timer: NodeJS.Timeout;
}

export class FlowCorrelator {
  private readonly open: OpenFlow[] = [];

  constructor(private readonly lab: Lab) {}

  /** Whether any challenge waits for its token request (the token hot path checks this first). */
  get waiting(): boolean {
    return this.open.length > 0;
  }

  /** A service answered with a 401 challenge: start a flow that may continue. */
  opened(flow: Omit<OpenFlow, 'expires' | 'timer'>): void {
    const entry = flow as OpenFlow;
    entry.expires = Date.now() + FLOW_WINDOW_MS;
    entry.timer = setTimeout(() => this.flush(entry), FLOW_WINDOW_MS).unref();
    this.open.push(entry);
  }

  /** A token request for `resource` by `hostId`: the oldest unclaimed challenge for that resource, if any. */
  claimForToken(hostId: string, resource: string): OpenFlow | undefined {
    const flow = this.open.find(f => f.hostId === undefined && f.expires > Date.now() && sameAudience(f.resource, resource));
    if (!flow) return undefined;
    flow.hostId = hostId;
    flow.expires = Date.now() + FLOW_WINDOW_MS;
    return flow;
  }

  /** A service request with a token of `hostId`'s identity: the flow waiting for its retry, if any. */
  claimForRetry(hostId: string, service: string): OpenFlow | undefined {
    const index = this.open.findIndex(
      f => f.hostId?.toLowerCase() === hostId.toLowerCase() && f.service === service && f.expires > Date.now(),
    );
    if (index === -1) return undefined;
    const [flow] = this.open.splice(index, 1);
    clearTimeout(flow!.timer);
    return flow;
  }

  /** Records a flow that ended (or that nobody continued). */
  flush(flow: OpenFlow): void {
    this.close(flow);
    if (flow.record) flow.record();
    else this.lab.traces.add(flow.builder.finish());
  }

  /** Stops waiting for a flow, recording nothing (its owner records it). */
  close(flow: OpenFlow): void {
    const index = this.open.indexOf(flow);
    if (index !== -1) this.open.splice(index, 1);
    clearTimeout(flow.timer);
  }

  dispose(): void {
    for (const flow of [...this.open]) this.flush(flow);
  }
}
