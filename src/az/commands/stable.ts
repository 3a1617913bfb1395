// Values Azure assigns once (a VM's MAC and IP addresses, a scale set's uniqueId) that the lab
// does not model: made up from the resource id, so they stay the same on every call.

/** Six small numbers (0-255) derived from a string (FNV-1a). */
export function stableNumbers(text: string): number[] {
  let hash = 0x811c9dc5;
  const out: number[] = [];
  for (let round = 0; out.length < 16; round++) {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
    hash = Math.imul(hash ^ round, 0x01000193) >>> 0;
    out.push(hash & 0xff, (hash >>> 8) & 0xff, (hash >>> 16) & 0xff, hash >>> 24);
  }
  return out;
}

export function stableGuid(text: string): string {
  const hex = stableNumbers(text)
    .map(n => n.toString(16).padStart(2, '0'))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
