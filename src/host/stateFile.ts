// The lab's state on disk: one JSON file, written atomically (write a temporary file,
// fsync it, rename it over the old one, fsync the folder) so a crash leaves either the
// old state or the new one, never half of either.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const STATE_FILE = 'lab.json';

export type StateFileRead = { kind: 'missing' } | { kind: 'ok'; json: unknown } | { kind: 'unreadable'; message: string };

export async function readStateFile(dir: string): Promise<StateFileRead> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', message: (error as Error).message };
  }
  try {
    return { kind: 'ok', json: JSON.parse(text) };
  } catch (error) {
    return { kind: 'unreadable', message: `${STATE_FILE} is not valid JSON: ${(error as Error).message}` };
  }
}

export async function writeStateFile(dir: string, state: unknown): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, STATE_FILE);
  const temporary = path.join(dir, `.${STATE_FILE}.${process.pid}.${Date.now()}.tmp`);
  const handle = await fs.open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(state, null, 2) + '\n', 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable. Not possible on every platform (Windows); harmless to skip there.
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

/** Moves a state file the lab cannot use out of the way, keeping it for the user to recover. */
export async function setAsideStateFile(dir: string, now = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const kept = path.join(dir, `${STATE_FILE}.unusable-${stamp}`);
  await fs.copyFile(path.join(dir, STATE_FILE), kept);
  return kept;
}
