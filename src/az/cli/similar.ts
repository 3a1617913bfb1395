// Python's difflib.get_close_matches (SequenceMatcher ratio, Ratcliff/Obershelp), which
// azure-cli uses to suggest a command for a misspelled one (cutoff 0.7, best match first).

function matchingCharacters(a: string, b: string): number {
  if (!a.length || !b.length) return 0;
  let best = 0;
  let bestA = 0;
  let bestB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k > best) {
        best = k;
        bestA = i;
        bestB = j;
      }
    }
  }
  if (best === 0) return 0;
  return best + matchingCharacters(a.slice(0, bestA), b.slice(0, bestB)) + matchingCharacters(a.slice(bestA + best), b.slice(bestB + best));
}

export function similarity(a: string, b: string): number {
  const total = a.length + b.length;
  return total === 0 ? 1 : (2 * matchingCharacters(a, b)) / total;
}

export function closeMatches(word: string, candidates: Iterable<string>, cutoff = 0.7, limit = 3): string[] {
  return [...candidates]
    .map(c => ({ c, score: similarity(word, c) }))
    .filter(x => x.score >= cutoff)
    .sort((x, y) => y.score - x.score)
    .slice(0, limit)
    .map(x => x.c);
}
