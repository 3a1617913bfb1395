import type { Lab } from '../engine/lab/lab';
import type { ManagedIdentityTokens } from '../engine/services/managedIdentity/acquire';
import type { ThrottleTracker } from './managedIdentity/throttle';
import type { FlowCorrelator } from './flows';
import type { ControlCommand } from './controlProtocol';
import type { RunRegistry } from './runs';
import type { Durability } from './durability';
import type { LocalChains } from './localChain';

/** What every endpoint needs: the lab and the services built over it. */
export interface EndpointContext {
  lab: Lab;
  /** The port the lab listens on (requests must name it in `Host`). */
  port: number;
  managedIdentityTokens: ManagedIdentityTokens;
  throttle: ThrottleTracker;
  /** Joins a client's challenge, token request and retry into one trace. */
  flows: FlowCorrelator;
  /** The `milab run` runs: a request arriving through one is its host's (un-prefixed IMDS answers as it). */
  runs: RunRegistry;
  /** Joins what the lab sees of a DefaultAzureCredential chain on "your machine" into one trace. */
  localChains: LocalChains;
  /** Secret for control requests; absent means control requests are refused. */
  controlToken?: string;
  /** How changes reach the disk before they are acknowledged (absent: a lab nobody saves, as in tests and benchmarks). */
  durability?: Durability;
  /** Control commands beside az (`/_milab/{name}`): `sql`, and what the host registers (`scenario`). */
  commands: Map<string, ControlCommand>;
}
