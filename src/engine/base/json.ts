/** Whether a parsed JSON value is an object (not null, not an array): the shape request bodies, claims and properties must have. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The path (`resources[0].properties.a[0]…`) of the first value nested deeper than `maxDepth`
 * objects and arrays, or undefined. Walks without recursion, so a 100,000-deep value is
 * reported, not a stack overflow.
 */
export function tooDeepAt(value: unknown, maxDepth: number, root = ''): string | undefined {
  interface Frame {
    value: unknown;
    depth: number;
    parent?: Frame;
    step: string;
  }
  const stack: Frame[] = [{ value, depth: 0, step: root }];
  while (stack.length) {
    const frame = stack.pop()!;
    if (typeof frame.value !== 'object' || frame.value === null) continue;
    if (frame.depth >= maxDepth) return pathOf(frame);
    if (Array.isArray(frame.value)) {
      frame.value.forEach((item, i) => stack.push({ value: item, depth: frame.depth + 1, parent: frame, step: `[${i}]` }));
    } else {
      for (const [key, item] of Object.entries(frame.value)) {
        const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key.slice(0, 60))}]`;
        stack.push({ value: item, depth: frame.depth + 1, parent: frame, step });
      }
    }
  }
  return undefined;

  function pathOf(frame: Frame): string {
    const steps: string[] = [];
    for (let f: Frame | undefined = frame; f; f = f.parent) steps.push(f.step);
    steps.reverse();
    const shown = steps.length > 12 ? [...steps.slice(0, 10), '…'] : steps;
    return shown.join('').replace(/^\./, '');
  }
}

/** How deep the JSON the lab keeps may nest: Json.NET's default MaxDepth (64), deeper than any Azure resource, far from a stack overflow. */
export const MAX_JSON_DEPTH = 64;
