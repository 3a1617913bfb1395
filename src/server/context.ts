import type { Lab } from '../engine/lab/lab';
import type { ManagedIdentityTokens } from '../engine/services/managedIdentity/acquire';
import type { ThrottleTracker } from './managedIdentity/throttle';
import type { FlowCorrelator } from './flows';
import type { ControlCommand } from './controlProtocol';

/** What every endpoint needs: the lab and the services built over it. */
export interface EndpointContext {
  lab: Lab;
  managedIdentityTokens: ManagedIdentityTokens;
  throttle: ThrottleTracker;
  /** Joins a client's challenge, token request and retry into one trace. */
  flows: FlowCorrelator;
  /** ARM id of the compute resource that un-prefixed IMDS paths (`/metadata/…`) run as. */
  defaultHostId(): string | undefined;
  /** Secret for control requests; absent means control requests are refused. */
  controlToken?: string;
  /** Control commands beside az (`/_milab/{name}`): `sql`, and what the host registers (`scenario`). */
  commands: Map<string, ControlCommand>;
}
