// Bench child: the disk's limit for durable saves — one process writing a file of SIZE bytes
// exactly as the lab saves its state (temporary file, write, fsync, rename, fsync the folder),
// one after another, for SECONDS; prints how many it managed per second.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomically } from '../../src/host/stateFile';

async function main(): Promise<void> {
  const [size, seconds] = [Number(process.argv[2]), Number(process.argv[3])];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-bench-fsync-'));
  const data = 'x'.repeat(size);
  const end = Date.now() + seconds * 1000;
  let writes = 0;
  while (Date.now() < end) {
    await writeFileAtomically(path.join(dir, 'lab.json'), data, 0o600);
    writes++;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ perSecond: writes / seconds }) + '\n');
}
void main();
