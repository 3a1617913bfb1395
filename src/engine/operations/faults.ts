// Faults for lessons, per compute host: IMDS's throttling (on by default, as on Azure),
// an endpoint that is updating or failing, and added latency.
import type { Lab } from '../lab/lab';
import type { HostFaults } from '../state/labState';
import { idKey } from '../azure/resourceId';
import { requireResource } from './resources';
import { LabError } from '../base/errors';
import { mutable } from '../lab/mutable';
import { latencyProblem } from '../state/limits';

/** IMDS's identity category allows 20 requests per second and 5 at once (IMDS docs, "Rate limiting"). */
export const IMDS_LIMITS = { requestsPerSecond: 20, concurrent: 5 } as const;

const THROTTLED: Readonly<HostFaults> = Object.freeze({ throttle: true, latencyMs: 0 });
const UNTHROTTLED: Readonly<HostFaults> = Object.freeze({ throttle: false, latencyMs: 0 });

/** What a host without settings of its own gets: IMDS's throttling unless the lab's settings turn it off. */
export const defaultFaults = (lab: Lab): Readonly<HostFaults> => (lab.settings.imdsThrottlingByDefault === false ? UNTHROTTLED : THROTTLED);

export function faultsFor(lab: Lab, hostId: string): Readonly<HostFaults> {
  return faultsForKey(lab, idKey(hostId));
}

/** faultsFor() by the host's idKey, for a caller (the IMDS hot path) that already has it. */
export function faultsForKey(lab: Lab, key: string): Readonly<HostFaults> {
  return lab.hostFaults[key] ?? defaultFaults(lab);
}

export interface FaultChange {
  throttle?: boolean;
  latencyMs?: number;
  /** 'none' clears a failure. */
  failure?: NonNullable<HostFaults['failure']> | 'none';
}

export function setHostFaults(lab: Lab, hostId: string, change: FaultChange): HostFaults {
  const host = requireResource(lab, hostId);
  const latency = change.latencyMs === undefined ? undefined : latencyProblem(change.latencyMs);
  if (latency) throw new LabError('InvalidArgument', `latencyMs ${latency}.`, 400, 'latencyMs');
  const current = faultsFor(lab, host.id);
  const next: HostFaults = { throttle: change.throttle ?? current.throttle, latencyMs: change.latencyMs ?? current.latencyMs };
  const failure = change.failure === undefined ? current.failure : change.failure === 'none' ? undefined : change.failure;
  if (failure) next.failure = failure;
  mutable(lab).faults[idKey(host.id)] = next;
  lab.notify('settings');
  return next;
}
