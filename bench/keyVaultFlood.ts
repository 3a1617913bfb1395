// A Key Vault challenge flood against a concurrent IMDS probe: 50 connections send Key Vault
// requests without a token (each one a 401 challenge that opens a flow, see server/flows.ts) for
// a bounded time, while a patient client (its own process) asks IMDS for a cached token every
// 10 ms. Printed: the probe's p50/p99 alone and under the flood, as a ratio, for a token of the
// flooded resource (each probe joins a flow) and of another one (the cached fast path), with the
// lab's RSS after the flood. Measures, never asserts.
import * as fs from 'node:fs';
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { percentile, fmt, table } from './stats';
import { runChild, startChild } from './children';

const FLOOD_S = Number(process.env['BENCH_DURATION'] ?? 10);
const FLOOD_CONNECTIONS = 50;

interface Probe {
  latencies: number[];
  failures: number;
}

const rssMb = (pid: string): number => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
};

function summary(probe: Probe): { p50: number; p99: number; count: number; failures: number } {
  const sorted = [...probe.latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), count: sorted.length, failures: probe.failures };
}

export async function benchKeyVaultFlood(): Promise<string> {
  const children: ChildProcess[] = [];
  try {
    const lab = await startChild('labServer.js');
    children.push(lab.child);
    const { tokenUrl, storageTokenUrl, httpsUrl, vaultHost, pid } = lab.info as Record<string, string>;
    const probe = (url: string, ms: number) => runChild<Probe>('probe.js', [url, String(ms), '10']);
    // Warm both tokens into the cache, then the probe alone.
    await probe(tokenUrl!, 1_000);
    await probe(storageTokenUrl!, 1_000);
    const idleVault = summary(await probe(tokenUrl!, 3_000));
    const idleStorage = summary(await probe(storageTokenUrl!, 3_000));
    const rssBefore = rssMb(pid!);

    const flood = (probeUrl: string) =>
      Promise.all([
        autocannon({
          url: `${httpsUrl}/secrets/db-password?api-version=7.5`,
          headers: { host: vaultHost! },
          connections: FLOOD_CONNECTIONS,
          duration: FLOOD_S,
        }),
        probe(probeUrl, FLOOD_S * 1000 - 500),
      ]);
    const [floodVault, busyVault] = await flood(tokenUrl!);
    const [floodStorage, busyStorage] = await flood(storageTokenUrl!);
    const rssAfter = rssMb(pid!);
    const vault = summary(busyVault);
    const storage = summary(busyStorage);
    const row = (name: string, s: ReturnType<typeof summary>, idle: ReturnType<typeof summary>, floodRate: number) => ({
      probe: name,
      requests: String(s.count),
      'p50 ms': fmt(s.p50, 2),
      'p99 ms': fmt(s.p99, 2),
      'idle p99 ms': fmt(idle.p99, 2),
      'flood req/s': floodRate ? fmt(floodRate, 0) : '—',
      ratio: s.failures > 0 ? `INVALID: ${s.failures} probes failed` : `${fmt(s.p99 / idle.p99, 1)}× idle p99`,
    });
    return [
      `Key Vault challenge flood: ${FLOOD_CONNECTIONS} connections × ${FLOOD_S} s of unauthenticated requests (every answer a 401 challenge ` +
        `that opens a flow), with an IMDS probe every 10 ms in its own process; ` +
        `lab RSS ${fmt(rssBefore, 0)} MB before, ${fmt(rssAfter, 0)} MB after both floods`,
      table([
        row('IMDS, token for the flooded resource (joins a flow)', vault, idleVault, floodVault.requests.average),
        row('IMDS, token for another resource (fast path)', storage, idleStorage, floodStorage.requests.average),
      ]),
    ].join('\n');
  } finally {
    for (const child of children) child.kill();
  }
}
