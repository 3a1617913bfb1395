// Raw epoch seconds (`expires_on 1796197501`, a token's exp/iat/nbf) as people read them: the
// time in UTC and how far it is from when the request happened ("in 24 h", "3 min ago").

/** `2026-12-02 13:10 UTC, in 24 h` for `seconds` seen at `nowMs` (the request's time). */
export function epochWords(seconds: number, nowMs: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC, ${relative(seconds * 1000 - nowMs)}`;
}

function relative(deltaMs: number): string {
  const minutes = Math.round(Math.abs(deltaMs) / 60_000);
  const span = minutes < 1 ? 'under a minute' : minutes < 90 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
  if (minutes < 1) return 'now';
  return deltaMs >= 0 ? `in ${span}` : `${span} ago`;
}

/** A note's `expires_on 1796197501` (or exp/iat/nbf, or `expires <ISO time>`) gets how far it is beside it; 10-digit epochs only. */
export function annotateEpochs(text: string, nowMs: number): string {
  return text
    .replace(/\b(expires_on|exp|iat|nbf)([ =:]+)(\d{10})\b/g, (_m, name: string, sep: string, value: string) => {
      return `${name}${sep}${value} (${epochWords(Number(value), nowMs)})`;
    })
    .replace(/\bexpires (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)/g, (_m, iso: string) => {
      return `expires ${epochWords(Date.parse(iso) / 1000, nowMs)}`;
    });
}
