// The default for hosts without fault settings of their own is IMDS's real throttling. The
// endpoints read DEFAULT_FAULTS for such hosts, so a preference ("simulate throttling by
// default": the VS Code setting) changes that object in place. It is a preference of whoever
// runs the lab, not lab state: it is never saved with the lab.
import { DEFAULT_FAULTS } from './faults';

export function setDefaultThrottling(enabled: boolean): void {
  DEFAULT_FAULTS.throttle = enabled;
}

export const defaultThrottling = (): boolean => DEFAULT_FAULTS.throttle;
