// Random values for property tests of shell quoting: any Unicode scalar value (astral planes
// included), weighted towards what breaks shells — quotes, `$`, backquotes, `!`, globs, braces,
// newlines, leading dashes — and planted commands that would create `marker` if ever run.
// Seeded, so a failure can be replayed (the seed is in the test's title).

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHELL_PIECES = [
  "'",
  '"',
  '\\',
  '$',
  '`',
  '!',
  '!!',
  '!-1',
  '^',
  '*',
  '?',
  '[a]',
  '[!x]',
  '{a,b}',
  '~',
  '~root',
  '#',
  ';',
  '&',
  '|',
  '>',
  '<',
  '(',
  ')',
  '\n',
  '\t',
  '\r',
  ' ',
  '  ',
  '-',
  '--',
  '-n',
  '=',
  '$HOME',
  '${HOME}',
  '$1',
  '$@',
  '$$',
  '$?',
  "$'\\n'",
  '\\n',
  '%s',
  '%%',
  '\u202e',
  '\u2066',
  '\u200f',
  '\u2028',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\ufeff',
  '\u0001',
  '\u001b[31m',
  '\u007f',
];

/** A random Unicode scalar value other than NUL (no bash word can hold NUL) and the surrogates. */
function anyScalar(random: () => number): string {
  for (;;) {
    const plane = random();
    const point =
      plane < 0.5
        ? 1 + Math.floor(random() * 0x7f)
        : plane < 0.85
          ? Math.floor(random() * 0x10000)
          : 0x10000 + Math.floor(random() * 0x100000);
    if (point === 0 || (point >= 0xd800 && point <= 0xdfff)) continue;
    return String.fromCodePoint(point);
  }
}

/** One random value; `payloads` are planted commands (each would `touch` the marker file). */
export function hostileValue(random: () => number, payloads: readonly string[]): string {
  const length = Math.floor(random() * 12);
  let value = random() < 0.15 ? '-' : '';
  for (let i = 0; i < length; i++) {
    const r = random();
    if (r < 0.35) value += SHELL_PIECES[Math.floor(random() * SHELL_PIECES.length)]!;
    else if (r < 0.45) value += payloads[Math.floor(random() * payloads.length)]!;
    else value += anyScalar(random);
  }
  return value;
}

/** Commands that create `marker` if anything runs them. */
export function plantedCommands(marker: string): string[] {
  return [
    `$(touch ${marker})`,
    `\`touch ${marker}\``,
    `;touch ${marker};`,
    `'; touch ${marker}; '`,
    `"; touch ${marker}; "`,
    `\n touch ${marker}\n`,
    `&& touch ${marker}`,
    `| touch ${marker}`,
  ];
}
