// Bench child: a patient client. Asks URL (with Metadata: true) one request at a time, every
// INTERVAL ms, for DURATION ms (at most 5,000 requests), and prints each answer's latency in ms.
import * as http from 'node:http';

const [url, durationMs, intervalMs] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4] ?? 10)];

async function main(): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let failures = 0;
  const end = Date.now() + durationMs;
  while (Date.now() < end && latencies.length < 5_000) {
    const started = performance.now();
    const status = await new Promise<number>(resolve => {
      http
        .get(url, { agent, headers: { Metadata: 'true' } }, res => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', () => resolve(0));
    });
    latencies.push(performance.now() - started);
    if (status !== 200) failures++;
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
  agent.destroy();
  process.stdout.write(JSON.stringify({ latencies, failures }) + '\n');
}
void main();
