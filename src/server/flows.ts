// Joins the separate HTTP requests of one client flow into one trace: an SDK calling Key Vault
// first sends its request without a token, gets the 401 challenge, asks the managed-identity
// endpoint for a token for the challenge's resource, and retries with it. The lab sees three
// unrelated requests; the learner should see one diagram of the whole dance.
//
// A challenge opens a flow; the next token request for that resource claims it (and names
// the host the app runs on); the next service request carrying a token from that host closes
// it. Flows nobody continues are recorded as they are after a few seconds. Every step is a
// map lookup (no scan), and at most MAX_OPEN_FLOWS wait at once: a flood of challenges costs
// the same per request as one, and the oldest are recorded early to make room.
import type { Lab } from '../engine/lab/lab';
import { TraceBuilder } from '../engine/trace/builder';
import { findResourceApp } from '../engine/azure/resourceApps';

/** Real time, not the lab clock's: it joins requests an SDK makes one after another, in real time. */
const FLOW_WINDOW_MS = 5_000;
/** More flows than this waiting at once is a flood, not SDKs: the oldest are recorded as they are. */
export const MAX_OPEN_FLOWS = 1_000;
const SWEEP_MS = 1_000;

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
}

interface Entry {
  flow: OpenFlow;
  /** Where it waits: under its resource (unclaimed) or its host and service (claimed). */
  key: string;
}

/** Token requests name resources in several spellings (`https://vault.azure.net/`): one key per resource application. */
const resourceKey = (resource: string): string => `r|${findResourceApp(resource)?.appId ?? resource.toLowerCase()}`;
const retryKey = (hostId: string, service: string): string => `h|${hostId.toLowerCase()}|${service}`;

export class FlowCorrelator {
  /** Every open flow, oldest first (a claimed flow moves to the end). */
  private readonly open = new Map<OpenFlow, Entry>();
  /** Flows by where they wait, oldest first within each. */
  private readonly waiting = new Map<string, Set<OpenFlow>>();
  private sweeper: NodeJS.Timeout | undefined;

  private readonly clockWatch: { dispose(): void };

  constructor(
    private readonly lab: Lab,
    private readonly now: () => number = Date.now,
  ) {
    // A flow spans a few real seconds of one SDK call; a request after the lab clock moved (or
    // the lab was replaced) is a new call, so nothing it makes may join a flow from before.
    this.clockWatch = lab.onDidChange(change => {
      if (change.kind === 'clock' || change.kind === 'all') this.recordAll();
    });
  }

  /** How many flows wait. */
  get size(): number {
    return this.open.size;
  }

  /** Whether a challenge for `resource` waits for its token request (the IMDS hot path asks before serving from its cache). */
  waitingFor(resource: string): boolean {
    return this.open.size > 0 && this.waiting.has(resourceKey(resource));
  }

  /** A service answered with a 401 challenge: start a flow that may continue. */
  opened(flow: Omit<OpenFlow, 'expires'>): void {
    const entry = flow as OpenFlow;
    entry.expires = this.now() + FLOW_WINDOW_MS;
    this.enqueue(entry, resourceKey(entry.resource));
    while (this.open.size > MAX_OPEN_FLOWS) this.flush(this.open.keys().next().value!);
    this.sweeper ??= setTimeout(() => this.sweep(), SWEEP_MS).unref();
  }

  /** A token request for `resource` by `hostId`: the oldest unclaimed challenge for that resource, if any. */
  claimForToken(hostId: string, resource: string): OpenFlow | undefined {
    if (this.open.size === 0) return undefined;
    const flow = this.oldest(resourceKey(resource));
    if (!flow) return undefined;
    this.dequeue(flow);
    flow.hostId = hostId;
    flow.expires = this.now() + FLOW_WINDOW_MS;
    this.enqueue(flow, retryKey(hostId, flow.service));
    return flow;
  }

  /** A service request with a token of `hostId`'s identity: the flow waiting for its retry, if any. */
  claimForRetry(hostId: string, service: string): OpenFlow | undefined {
    if (this.open.size === 0) return undefined;
    const flow = this.oldest(retryKey(hostId, service));
    if (flow) this.dequeue(flow);
    return flow;
  }

  /** Records a flow that ended (or that nobody continued). */
  flush(flow: OpenFlow): void {
    this.dequeue(flow);
    if (flow.record) flow.record();
    else this.lab.traces.add(flow.builder.finish());
  }

  /** Stops waiting for a flow, recording nothing (its owner records it). */
  close(flow: OpenFlow): void {
    this.dequeue(flow);
  }

  dispose(): void {
    this.clockWatch.dispose();
    this.recordAll();
  }

  /** Records every open flow as it is. */
  private recordAll(): void {
    clearTimeout(this.sweeper);
    this.sweeper = undefined;
    for (const flow of [...this.open.keys()]) this.flush(flow);
  }

  private oldest(key: string): OpenFlow | undefined {
    const queue = this.waiting.get(key);
    if (!queue) return undefined;
    for (const flow of queue) {
      if (flow.expires > this.now()) return flow;
      this.flush(flow);
    }
    return undefined;
  }

  private enqueue(flow: OpenFlow, key: string): void {
    this.open.set(flow, { flow, key });
    let queue = this.waiting.get(key);
    if (!queue) this.waiting.set(key, (queue = new Set()));
    queue.add(flow);
  }

  private dequeue(flow: OpenFlow): void {
    const entry = this.open.get(flow);
    if (!entry) return;
    this.open.delete(flow);
    const queue = this.waiting.get(entry.key);
    queue?.delete(flow);
    if (queue?.size === 0) this.waiting.delete(entry.key);
  }

  /** Records the flows whose window passed (oldest first, so the sweep stops at the first one still open). */
  private sweep(): void {
    this.sweeper = undefined;
    const now = this.now();
    for (const flow of this.open.keys()) {
      if (flow.expires > now) break;
      this.flush(flow);
    }
    if (this.open.size > 0) this.sweeper = setTimeout(() => this.sweep(), SWEEP_MS).unref();
  }
}
