// The lab's state on disk: one JSON file, written atomically (write a temporary file, fsync it,
// rename it over the old one, fsync the folder) so a crash leaves either the old state or the
// new one, never half of either; a failed write never leaves its temporary file behind. A
// `lab.json` that is a symbolic link is followed (the target is read and replaced); a link
// to nothing is refused rather than silently replaced by a fresh lab.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export const STATE_FILE = 'lab.json';

export type StateFileRead = { kind: 'missing' } | { kind: 'ok'; json: unknown } | { kind: 'unreadable'; message: string };

const BOM = '\uFEFF';

/** A symbolic link whose target does not exist. */
export class DanglingStateLinkError extends Error {
  constructor(
    readonly link: string,
    readonly target: string,
  ) {
    super(
      `${link} is a symbolic link to ${target}, which does not exist. ` +
        'Restore the target (or remove the link to start a new lab there); the lab does not replace a link with a new file.',
    );
    this.name = 'DanglingStateLinkError';
  }
}

/** The file the state really lives in: `dir/lab.json`, or the target it links to. */
export async function stateFilePath(dir: string): Promise<string> {
  const file = path.join(dir, STATE_FILE);
  let link: string;
  try {
    if (!(await fs.lstat(file)).isSymbolicLink()) return file;
    link = await fs.readlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return file;
    throw error;
  }
  try {
    return await fs.realpath(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DanglingStateLinkError(file, path.resolve(dir, link));
    throw error;
  }
}

export async function readStateFile(dir: string): Promise<StateFileRead> {
  let text: string;
  try {
    text = await fs.readFile(await stateFilePath(dir), 'utf8');
  } catch (error) {
    if (error instanceof DanglingStateLinkError) return { kind: 'unreadable', message: error.message };
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', message: (error as Error).message };
  }
  // Editors on Windows save UTF-8 with a byte order mark; JSON.parse would refuse it.
  if (text.startsWith(BOM)) text = text.slice(BOM.length);
  try {
    return { kind: 'ok', json: JSON.parse(text) };
  } catch (error) {
    return { kind: 'unreadable', message: `${STATE_FILE} is not valid JSON: ${(error as Error).message}` };
  }
}

/** The state as the file holds it, serialized now (a snapshot: later changes are not in it). */
export const serializeState = (state: unknown): string => JSON.stringify(state, null, 2) + '\n';

/**
 * Replaces `file` with `data` atomically and durably: a temporary file beside it, written and
 * fsynced, renamed over it, and the folder fsynced. On any failure the temporary file is
 * removed and `file` is exactly what it was.
 */
export async function writeFileAtomically(file: string, data: string, mode: number): Promise<void> {
  const dir = path.dirname(file);
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temporary, 'wx', mode);
  try {
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

export async function writeStateFile(dir: string, state: unknown): Promise<void> {
  await writeStateText(dir, serializeState(state));
}

/** Writes already serialized state (see serializeState). */
export async function writeStateText(dir: string, text: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomically(await stateFilePath(dir), text, 0o600);
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable. Not possible on every platform (Windows); harmless to skip there.
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    /* best effort */
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Moves a state file the lab cannot use out of the way, keeping it for the user to recover. */
export async function setAsideStateFile(dir: string, now = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const kept = path.join(dir, `${STATE_FILE}.unusable-${stamp}`);
  try {
    await fs.copyFile(await stateFilePath(dir), kept);
  } catch (error) {
    // A link to nothing: the link itself is what is kept, and a regular file takes its place.
    if (!(error instanceof DanglingStateLinkError)) throw error;
    await fs.rename(error.link, kept);
  }
  return kept;
}
