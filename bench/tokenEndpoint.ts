// The token endpoint under load, with one load tool (autocannon) in this process and each
// server in its own process, so every server gets the same CPU and the same client:
//  - the cached path (IMDS serving a cached token) against a bare node:http server returning
//    a body of the same size — the machine's own limit;
//  - fresh signing (bypass_cache=true: an RS256 signature per request) against
//    oauth2-mock-server's token endpoint, which also signs RS256 per request (the peer), and
//    against a bare node:http server signing the same claims with jose (the crypto limit).
// The lab runs as `milab serve` does (LabHost over a state directory, saving in place).
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { fmt, table } from './stats';
import { startChild } from './children';

const DURATION_S = Number(process.env['BENCH_DURATION'] ?? 10);
const CONNECTIONS = 16;

interface LoadResult {
  requestsPerSecond: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
  errors: number;
}

async function load(
  url: string,
  options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
): Promise<LoadResult> {
  const run = (duration: number) =>
    autocannon({
      url,
      connections: CONNECTIONS,
      duration,
      method: options.method ?? 'GET',
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.body ? { body: options.body } : {}),
    });
  await run(2); // warm-up: JIT, caches, keep-alive connections
  const result = await run(DURATION_S);
  return {
    requestsPerSecond: result.requests.average,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** A run with failed requests measures the wrong thing: say so instead of printing a ratio. */
const best = (a: LoadResult, b: LoadResult): LoadResult => (a.requestsPerSecond >= b.requestsPerSecond ? a : b);

const row = (name: string, r: LoadResult, ratio: string) => ({
  endpoint: name,
  'req/s': fmt(r.requestsPerSecond, 0),
  'p50 ms': fmt(r.p50ms, 1),
  'p99 ms': fmt(r.p99ms, 1),
  'non-2xx': String(r.non2xx + r.errors),
  ratio: r.non2xx + r.errors > 0 ? 'INVALID: requests failed' : ratio,
});

export async function benchTokenEndpoint(): Promise<string> {
  const children: ChildProcess[] = [];
  try {
    const lab = await startChild('labServer.js');
    children.push(lab.child);
    const tokenUrl = lab.info['tokenUrl']!;
    const sample = await fetch(tokenUrl, { headers: { Metadata: 'true' } });
    const body = Buffer.from(await sample.arrayBuffer());
    const bare = await startChild('bareServer.js', [body.toString('base64')]);
    children.push(bare.child);
    const peer = await startChild('oauth2Mock.js');
    children.push(peer.child);
    const signer = await startChild('joseSigner.js');
    children.push(signer.child);

    const metadata = { Metadata: 'true' };
    // Each pair runs alternately, twice, and each side keeps its better run: this machine's
    // background load then affects both sides alike instead of whichever ran at a bad moment.
    const pair = async (a: () => Promise<LoadResult>, b: () => Promise<LoadResult>) => {
      const [a1, b1, a2, b2] = [await a(), await b(), await a(), await b()];
      return [best(a1, a2), best(b1, b2)] as const;
    };
    const [cached, bareResult] = await pair(
      () => load(tokenUrl, { headers: metadata }),
      () => load(bare.info['url']!),
    );
    const freshLab = () => load(`${tokenUrl}&bypass_cache=true`, { headers: metadata });
    const [fresh, mock] = await pair(freshLab, () =>
      load(peer.info['url']!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=https%3A%2F%2Fvault.azure.net%2F.default',
      }),
    );
    const [freshAgain, jose] = await pair(freshLab, () => load(signer.info['url']!));

    return [
      `Token endpoint under load: autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per run after a 2 s warm-up, ` +
        `each pair run alternately twice (better run kept); every server in its own process (response body ${body.length} bytes)`,
      table([
        row('lab IMDS, cached token', cached, `${fmt(cached.requestsPerSecond / bareResult.requestsPerSecond, 2)}× bare node:http`),
        row('bare node:http, same body', bareResult, '1.00× (the machine’s limit)'),
        row('lab IMDS, fresh RS256 signature', fresh, `${fmt(fresh.requestsPerSecond / mock.requestsPerSecond, 2)}× oauth2-mock-server`),
        row('oauth2-mock-server /token', mock, '1.00× (the peer)'),
        row(
          'lab IMDS, fresh RS256 signature',
          freshAgain,
          `${fmt(freshAgain.requestsPerSecond / jose.requestsPerSecond, 2)}× bare jose signing`,
        ),
        row('bare node:http + jose RS256 sign', jose, '1.00× (the crypto limit)'),
      ]),
    ].join('\n');
  } finally {
    for (const child of children) child.kill();
  }
}
