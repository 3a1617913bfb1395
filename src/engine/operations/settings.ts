// The lab's own settings, changed by name: how long managed-identity tokens live, and whether
// hosts without fault settings of their own are throttled as IMDS throttles. Saved with the
// lab; VS Code's settings apply them through these.
import type { Lab } from '../lab/lab';
import { mutable } from '../lab/mutable';
import { LabError } from '../base/errors';
import { tokenLifetimeProblem } from '../state/limits';

export { TOKEN_LIFETIME_SECONDS } from '../state/limits';

/** Sets the lifetime of managed-identity tokens issued from now on; returns whether it changed. */
export function setTokenLifetime(lab: Lab, seconds: number): boolean {
  const problem = tokenLifetimeProblem(seconds);
  if (problem) throw new LabError('InvalidArgument', `A token lifetime ${problem}.`, 400, 'tokenLifetimeSeconds');
  const settings = mutable(lab).settings;
  if (settings.tokenLifetimeSeconds === seconds) return false;
  settings.tokenLifetimeSeconds = seconds;
  lab.notify('settings');
  return true;
}

/** Turns IMDS throttling on or off for hosts without fault settings of their own; returns whether it changed. */
export function setDefaultThrottling(lab: Lab, enabled: boolean): boolean {
  const settings = mutable(lab).settings;
  if ((settings.imdsThrottlingByDefault ?? true) === enabled) return false;
  if (enabled) delete settings.imdsThrottlingByDefault;
  else settings.imdsThrottlingByDefault = false;
  lab.notify('settings');
  return true;
}
