// The rules a value must keep to be stored, each written once: the operation that sets it
// (engine/operations) refuses a value that breaks one, and the schema refuses a state file that
// holds one — so a file can never load what the lab itself would not set.

/** Added IMDS latency: up to two minutes (longer than any SDK waits for IMDS). */
export const LATENCY_MS = { min: 0, max: 120_000 } as const;

/** Six minutes to a day: Azure issues managed-identity tokens for about 24 hours; shorter lives let a lesson show expiry. */
export const TOKEN_LIFETIME_SECONDS = { min: 360, max: 24 * 3600 } as const;

const wholeNumberIn = (value: unknown, range: { min: number; max: number }): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max;

/** What is wrong with a latency, or undefined. */
export const latencyProblem = (value: unknown): string | undefined =>
  wholeNumberIn(value, LATENCY_MS) ? undefined : `must be a whole number of milliseconds from ${LATENCY_MS.min} to ${LATENCY_MS.max}`;

/** What is wrong with a token lifetime, or undefined. */
export const tokenLifetimeProblem = (value: unknown): string | undefined =>
  wholeNumberIn(value, TOKEN_LIFETIME_SECONDS)
    ? undefined
    : `must be a whole number of seconds from ${TOKEN_LIFETIME_SECONDS.min} to ${TOKEN_LIFETIME_SECONDS.max}`;
