// How other processes find the lab running over a state directory: `server.json` beside
// the state file, readable by its owner only, holding where the endpoints listen and a
// per-run secret that authorizes control requests (such as `milab az` against a running
// lab). Removed when the lab stops; ignored when its process is gone.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export const DISCOVERY_FILE = 'server.json';

export interface Discovery {
  pid: number;
  /** Base URL of the lab's HTTP endpoints. */
  url: string;
  port: number;
  /** Azure SQL's TDS port (absent in files written before the lab served TDS). */
  sqlPort?: number;
  /** Secret for control requests (header `x-milab-control`). */
  controlToken: string;
  startedAt: string;
  /** Unix socket `milab run` forwarders connect to (Linux); a run forwards {server}.database.windows.net:1433 to `sqlPort` through it. */
  runSocket?: string;
}

export const newControlToken = (): string => randomBytes(32).toString('base64url');

export async function writeDiscovery(stateDir: string, discovery: Discovery): Promise<void> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, DISCOVERY_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, JSON.stringify(discovery, null, 2) + '\n', { mode: 0o600 });
  await fs.rename(temporary, file);
}

export async function removeDiscovery(stateDir: string, pid = process.pid): Promise<void> {
  const current = await readDiscovery(stateDir, { checkAlive: false });
  if (current?.pid === pid) await fs.rm(path.join(stateDir, DISCOVERY_FILE), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running lab for this state directory, if there is one. */
export async function readDiscovery(stateDir: string, options: { checkAlive?: boolean } = {}): Promise<Discovery | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(path.join(stateDir, DISCOVERY_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const d = parsed as Partial<Discovery>;
  if (typeof d.pid !== 'number' || typeof d.url !== 'string' || typeof d.port !== 'number' || typeof d.controlToken !== 'string') {
    return undefined;
  }
  if (d.sqlPort !== undefined && typeof d.sqlPort !== 'number') return undefined;
  if (options.checkAlive !== false && !isAlive(d.pid)) return undefined;
  return d as Discovery;
}
