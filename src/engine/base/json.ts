/** Whether a parsed JSON value is an object (not null, not an array): the shape request bodies, claims and properties must have. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
