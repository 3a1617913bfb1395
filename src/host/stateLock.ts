// One writer per state directory: `lab.lock`, created atomically with O_EXCL ('wx'), names
// its owner (pid, and on Linux the process's start time, so a reused pid is never taken for
// the owner). A lock whose owner is gone is stale: it never blocks anyone. It is broken under
// a second, momentary lock (`lab.lock.break`), so two processes never both break it and then
// both think they own the directory. Node has no flock(2); this works the same on every
// platform and needs no native module.
import { promises as fs, readFileSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export const LOCK_FILE = 'lab.lock';
const BREAKER_SUFFIX = '.break';
/** A lock file still empty this long after it was created belongs to a process that died while writing it. */
const UNWRITTEN_GRACE_MS = 2_000;
/** Breaking a stale lock takes microseconds; a breaker this old was left by a process that died in between. */
const STALE_BREAKER_MS = 10_000;
const RETRY_MS = 20;

export interface LockOwner {
  pid: number;
  /** Linux: the process's start time (/proc/PID/stat field 22), telling a reused pid from the owner. */
  processStart?: string;
  /** What holds it: 'milab serve', 'VS Code', 'milab az'… */
  purpose: string;
  since: string;
  nonce: string;
}

/** The directory is held by a live process. */
export class StateLockedError extends Error {
  constructor(
    readonly stateDir: string,
    readonly owner: LockOwner,
  ) {
    super(`The lab in ${stateDir} is in use by process ${owner.pid} (${owner.purpose}, since ${owner.since}).`);
    this.name = 'StateLockedError';
  }
}

function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function isOwnerAlive(owner: Pick<LockOwner, 'pid' | 'processStart'>): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.processStart === undefined) return true;
  const now = processStart(owner.pid);
  return now === undefined || now === owner.processStart;
}

async function readOwner(file: string): Promise<LockOwner | 'unwritten' | 'missing'> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.nonce === 'string') return owner as LockOwner;
  } catch {
    /* being written, or left half-written by a process that died */
  }
  return 'unwritten';
}

const ageMs = async (file: string): Promise<number> => {
  try {
    return Date.now() - (await fs.stat(file)).mtimeMs;
  } catch {
    return 0;
  }
};

/** A held lock; release it when done (it is also removed if the process exits normally). */
export class StateLock {
  private released = false;
  private readonly onExit = () => this.releaseSync();

  constructor(
    readonly file: string,
    readonly owner: LockOwner,
  ) {
    process.once('exit', this.onExit);
  }

  private async stillOurs(): Promise<boolean> {
    const current = await readOwner(this.file).catch(() => 'missing' as const);
    return typeof current === 'object' && current.nonce === this.owner.nonce;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    if (await this.stillOurs()) await fs.rm(this.file, { force: true });
  }

  private releaseSync(): void {
    if (this.released) return;
    this.released = true;
    try {
      const current = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<LockOwner>;
      if (current.nonce === this.owner.nonce) unlinkSync(this.file);
    } catch {
      /* already gone */
    }
  }
}

/** Removes a stale lock, if it is still the same stale one, under the breaker lock. Returns whether the caller may retry at once. */
async function breakStaleLock(file: string, stale: LockOwner | 'unwritten'): Promise<boolean> {
  const breaker = file + BREAKER_SUFFIX;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(breaker, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if ((await ageMs(breaker)) > STALE_BREAKER_MS) await fs.rm(breaker, { force: true });
    return false;
  }
  try {
    const current = await readOwner(file);
    const same =
      current === 'unwritten'
        ? stale === 'unwritten' && (await ageMs(file)) >= UNWRITTEN_GRACE_MS
        : typeof current === 'object' && typeof stale === 'object' && current.nonce === stale.nonce;
    if (same) await fs.rm(file, { force: true });
    return true;
  } finally {
    await handle.close();
    await fs.rm(breaker, { force: true });
  }
}

/** Takes the lock if nobody live holds it; otherwise says who does. */
export async function tryLock(stateDir: string, purpose: string): Promise<{ lock: StateLock } | { owner: LockOwner | undefined }> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    const started = processStart(process.pid);
    const owner: LockOwner = {
      pid: process.pid,
      ...(started !== undefined ? { processStart: started } : {}),
      purpose,
      since: new Date().toISOString(),
      nonce: randomBytes(12).toString('base64url'),
    };
    try {
      const handle = await fs.open(file, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(owner) + '\n', 'utf8');
      } finally {
        await handle.close();
      }
      return { lock: new StateLock(file, owner) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readOwner(file);
    if (current === 'missing') continue;
    if (current === 'unwritten') {
      if ((await ageMs(file)) < UNWRITTEN_GRACE_MS) return { owner: undefined };
    } else if (isOwnerAlive(current)) {
      return { owner: current };
    }
    if (!(await breakStaleLock(file, current))) return { owner: undefined };
  }
  return { owner: undefined };
}

export interface AcquireOptions {
  /** How long to wait for a live owner to let go. */
  waitMs: number;
  /** Asked between attempts: true stops waiting (e.g. a server came up that the caller can use instead). */
  giveUp?: (owner: LockOwner | undefined) => Promise<boolean> | boolean;
}

/** Takes the lock, waiting up to `waitMs` for a live owner to release it. Throws StateLockedError when it does not. */
export async function acquireLock(stateDir: string, purpose: string, options: AcquireOptions): Promise<StateLock | undefined> {
  const deadline = Date.now() + options.waitMs;
  let lastOwner: LockOwner | undefined;
  for (;;) {
    const attempt = await tryLock(stateDir, purpose);
    if ('lock' in attempt) return attempt.lock;
    lastOwner = attempt.owner ?? lastOwner;
    if (options.giveUp && (await options.giveUp(attempt.owner))) return undefined;
    if (Date.now() >= deadline) {
      throw new StateLockedError(stateDir, lastOwner ?? { pid: 0, purpose: 'unknown', since: '?', nonce: '' });
    }
    await new Promise(resolve => setTimeout(resolve, RETRY_MS + Math.random() * RETRY_MS));
  }
}
