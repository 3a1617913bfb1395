// Durable acknowledgements: `milab az` changes through a running lab's control endpoint, each
// answered only once saved, from 16 clients at once — against the disk's own limit measured in
// the same run, one atomic, fsynced save after another (bench/processes/atomicWrites.ts). A ratio
// above 1 is group commit at work: concurrent changes share one save.
import * as fs from 'node:fs';
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { fmt, table } from './stats';
import { runChild, startChild } from './children';

const DURATION_S = Number(process.env['BENCH_DURATION'] ?? 10);
const CONNECTIONS = 16;

export async function benchDurableWrites(): Promise<string> {
  const children: ChildProcess[] = [];
  try {
    const lab = await startChild('labServer.js');
    children.push(lab.child);
    const { url, controlToken, stateFile } = lab.info as Record<string, string>;
    const body = JSON.stringify({ argv: ['group', 'create', '-n', 'rg-bench', '-l', 'westeurope', '--tags', 'bench=1', '-o', 'none'] });
    const changes = await autocannon({
      url: `${url}/_milab/az`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-milab-control': controlToken! },
      body,
      connections: CONNECTIONS,
      duration: DURATION_S,
    });
    const size = fs.statSync(stateFile!).size;
    const disk = await runChild<{ perSecond: number }>('atomicWrites.js', [String(size), String(DURATION_S)]);
    const failed = changes.non2xx + changes.errors;
    return [
      `Durable acknowledgements: az changes via the control endpoint, ${CONNECTIONS} clients × ${DURATION_S} s, each answered after its save; ` +
        `the disk's limit: one atomic fsynced save of the same ${fmt(size / 1024, 0)} KB after another, in its own process`,
      table([
        {
          writer: 'lab: acknowledged az changes (group commit)',
          'per second': fmt(changes.requests.average, 0),
          'p99 ms': fmt(changes.latency.p99, 1),
          ratio: failed ? `INVALID: ${failed} requests failed` : `${fmt(changes.requests.average / disk.perSecond, 2)}× the disk's saves`,
        },
        {
          writer: 'bare atomic write + fsync + rename',
          'per second': fmt(disk.perSecond, 0),
          'p99 ms': '—',
          ratio: '1.00× (the disk’s limit)',
        },
      ]),
    ].join('\n');
  } finally {
    for (const child of children) child.kill();
  }
}
