// The lab's own settings, changed by name: how long managed-identity tokens live, whether
// hosts without fault settings of their own are throttled as IMDS throttles, and how soon role
// assignment changes reach decisions. Saved with the lab; VS Code's settings and scenarios
// apply them through these.
import type { Lab } from '../lab/lab';
import { mutable } from '../lab/mutable';
import { LabError } from '../base/errors';
import { tokenLifetimeProblem } from '../state/limits';
import type { RbacPropagationSettings } from '../state/labState';
import { PROPAGATION_MODES, propagationDelayProblem } from '../state/propagation';

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

/**
 * Instant (the lab's default) or realistic RBAC propagation, and the realistic delay (Azure: up
 * to 10 minutes). Applies to changes made from now on; switching to instant makes pending ones
 * take effect at once. Returns whether anything changed.
 */
export function setRbacPropagation(lab: Lab, mode: RbacPropagationSettings['mode'], delaySeconds?: number): boolean {
  if (!PROPAGATION_MODES.includes(mode)) {
    throw new LabError(
      'InvalidArgument',
      `RBAC propagation is one of ${PROPAGATION_MODES.join(', ')}, not '${String(mode).slice(0, 40)}'.`,
      400,
      'mode',
    );
  }
  const settings = mutable(lab).settings;
  const delay = delaySeconds ?? settings.rbacPropagation.delaySeconds;
  const problem = propagationDelayProblem(delay);
  if (problem) throw new LabError('InvalidArgument', `A propagation delay ${problem}.`, 400, 'delaySeconds');
  if (settings.rbacPropagation.mode === mode && settings.rbacPropagation.delaySeconds === delay) return false;
  settings.rbacPropagation = { mode, delaySeconds: delay };
  lab.notify('settings');
  return true;
}
