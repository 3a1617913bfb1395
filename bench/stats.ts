// Small measuring helpers shared by the benchmarks.
export function percentile(sortedNs: readonly bigint[] | readonly number[], p: number): number {
  if (sortedNs.length === 0) return NaN;
  const index = Math.min(sortedNs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedNs.length) - 1));
  return Number(sortedNs[index]);
}

export interface Timing {
  count: number;
  perSecond: number;
  p50us: number;
  p99us: number;
}

/** Times `fn` once per input, each call on its own (so percentiles are per decision). */
export function timeEach<T>(inputs: readonly T[], fn: (input: T) => unknown): Timing {
  const samples = new Float64Array(inputs.length);
  const started = process.hrtime.bigint();
  for (let i = 0; i < inputs.length; i++) {
    const t0 = process.hrtime.bigint();
    fn(inputs[i]!);
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  const elapsed = Number(process.hrtime.bigint() - started);
  samples.sort();
  return {
    count: inputs.length,
    perSecond: (inputs.length / elapsed) * 1e9,
    p50us: percentile(samples as unknown as number[], 50) / 1000,
    p99us: percentile(samples as unknown as number[], 99) / 1000,
  };
}

export const fmt = (n: number, digits = 1): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—';

export function table(rows: ReadonlyArray<Record<string, string>>): string {
  const headers = Object.keys(rows[0] ?? {});
  const widths = headers.map(h => Math.max(h.length, ...rows.map(r => (r[h] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), line(widths.map(w => '-'.repeat(w))), ...rows.map(r => line(headers.map(h => r[h] ?? '')))].join('\n');
}
