// `npm run bench [-- name…]`: every benchmark prints ratios against a peer or the machine's
// own limit measured in the same run — never absolute numbers alone, never pass/fail.
import * as os from 'node:os';
import { benchRbac } from './rbac';
import { benchTokenEndpoint } from './tokenEndpoint';
import { benchSql } from './sql';
import { benchDiagnosis } from './diagnosis';
import { benchKeyVaultFlood } from './keyVaultFlood';
import { benchDurableWrites } from './durableWrites';
import { benchScenarios } from './scenarios';

const BENCHMARKS: Record<string, () => Promise<string>> = {
  rbac: benchRbac,
  token: benchTokenEndpoint,
  sql: benchSql,
  diagnosis: benchDiagnosis,
  flood: benchKeyVaultFlood,
  durable: benchDurableWrites,
  scenarios: benchScenarios,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter(a => !a.startsWith('-'));
  const unknown = wanted.filter(w => !(w in BENCHMARKS));
  if (unknown.length) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
  console.log(`Managed Identity Lab benchmarks — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}\n`);
  for (const name of wanted.length ? wanted : Object.keys(BENCHMARKS)) {
    console.log((await BENCHMARKS[name]!()) + '\n');
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
