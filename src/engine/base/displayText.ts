// Text from the lab's data (names, tags, URLs) shown to a person: bidirectional controls such
// as U+202E RIGHT-TO-LEFT OVERRIDE would make it read in another order than it is ("Trojan
// Source", CVE-2021-42574), so they are shown as what they are, `[U+202E]`, never obeyed.
// Sources: Unicode UAX #9 (the explicit directional formatting characters, §2).

/** The explicit bidi formatting characters: ALM, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** The same, plus control characters and line/paragraph separators (for one-line displays such as script comments). */
const INVISIBLE_OR_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\p{Cc}\p{Zl}\p{Zp}]/gu;

const codePoint = (char: string): string => `[U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`;

/** Bidi controls made visible (`[U+202E]`); everything else unchanged. */
export const neutralizeBidi = (text: string): string => text.replace(BIDI_CONTROLS, codePoint);

/** Bidi controls, control characters (newlines included) and line separators made visible: the text stays on one line, in its own order. */
export const neutralizeForDisplay = (text: string): string => text.replace(INVISIBLE_OR_CONTROL, codePoint);
