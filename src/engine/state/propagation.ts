// RBAC propagation: how soon role assignment changes reach access decisions. Azure documents
// that "when you assign roles or remove role assignments, it can take up to 10 minutes for
// changes to take effect" (azure-docs articles/role-based-access-control/troubleshooting.md,
// "Symptom - Role assignment changes are not being detected"). The lab decides instantly by
// default; in realistic mode each change reaches decisions after a delay on the lab clock.
import type { RbacPropagationSettings, ReadonlyRoleAssignment } from './labState';

export const DEFAULT_RBAC_PROPAGATION: Readonly<RbacPropagationSettings> = { mode: 'instant', delaySeconds: 600 };

/** A delay from one second to a day: Azure says up to 10 minutes (several hours for group changes, through token caching). */
export const PROPAGATION_DELAY_SECONDS = { min: 1, max: 24 * 3600 } as const;

/** The one rule for a propagation delay: the schema and the settings operation both use it. */
export function propagationDelayProblem(seconds: unknown): string | undefined {
  return typeof seconds === 'number' &&
    Number.isInteger(seconds) &&
    seconds >= PROPAGATION_DELAY_SECONDS.min &&
    seconds <= PROPAGATION_DELAY_SECONDS.max
    ? undefined
    : `must be a whole number of seconds from ${PROPAGATION_DELAY_SECONDS.min} to ${PROPAGATION_DELAY_SECONDS.max}`;
}

export const PROPAGATION_MODES = ['instant', 'realistic'] as const;

/** What decisions need to know about propagation at the moment they are made. */
export interface PropagationClock {
  /** Lab time, ms. */
  now(): number;
  readonly realistic: boolean;
}

/** An assignment created under realistic propagation that decisions do not see yet. */
export const notYetInEffect = (assignment: ReadonlyRoleAssignment, clock: PropagationClock): boolean =>
  assignment.inEffectFrom !== undefined && clock.realistic && assignment.inEffectFrom > clock.now();
