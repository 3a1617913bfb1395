// Runs one lab in a Node process: loads (or creates) its state, serves its endpoints on
// loopback and saves every change. The VS Code extension and `milab serve` both use it.
//
// A state file the lab cannot use (corrupt JSON, a bad field, a newer schema) is never
// overwritten: loading fails with a LabStateError that names the problem and the file, and
// only an explicit reset moves the file aside (kept, with a timestamp) and starts afresh.
// One process writes a state directory at a time (stateLock.ts); a change is acknowledged
// only once it is on disk (durableSaves.ts); starting is all-or-nothing.
import { Lab } from '../engine/lab/lab';
import { createLab } from '../engine/operations/sampleLab';
import { describeProblems, parseLabState } from '../engine/state/schema';
import type { RunningLabServer } from '../server/labServer';
import { startLabServer } from '../server/labServer';
import { readStateFile, serializeState, setAsideStateFile, STATE_FILE, writeFileAtomically, writeStateText } from './stateFile';
import * as path from 'node:path';
import * as os from 'node:os';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { newControlToken, readDiscovery, removeDiscovery, writeDiscovery } from './discovery';
import { acquireLock, StateLockedError, type StateLock } from './stateLock';
import { DurableSaves } from './durableSaves';
import { checkTlsMaterial } from './tlsCheck';
import { ScenarioService, type Shell } from './scenarios';
import { runScenarioCommand } from './scenarioCommand';

/** The lab CA's certificate, for NODE_EXTRA_CA_CERTS. */
export const CA_FILE = 'ca.pem';
/** The system's CA bundle plus the lab's CA: for runtimes that take one bundle (SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE). */
export const CA_BUNDLE_FILE = 'ca-bundle.pem';
/** Where distributions keep the system CA bundle (Debian/Ubuntu, Fedora/RHEL, Alpine/macOS). */
export const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/** The run socket (`milab run`): in the state directory, unless that path is too long for a unix socket (108 bytes). */
export function runSocketPath(stateDir: string): string {
  const inState = path.join(stateDir, 'run.sock');
  if (Buffer.byteLength(inState) <= 100) return inState;
  const digest = createHash('sha256').update(path.resolve(stateDir)).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `milab-${digest}.sock`);
}

/** The lab CA, then the system's bundle when there is one. */
async function caBundle(caPem: string): Promise<string> {
  for (const file of SYSTEM_CA_BUNDLES) {
    try {
      return `${caPem.trimEnd()}\n${await readFile(file, 'utf8')}`;
    } catch {
      // try the next place
    }
  }
  return caPem;
}

export interface LabHostOptions {
  stateDir: string;
  port?: number;
  /** Azure SQL's TDS port; 0 or absent picks a free one. */
  sqlPort?: number;
  /** Who runs the lab, for the sentence another process gets when it finds the directory in use ('milab serve', 'VS Code'). */
  owner?: string;
  /**
   * Called when a save fails. `delivered` is true when whoever made the change was told (an
   * HTTP or `milab az` client got an error, a VS Code command reported it); false for changes
   * nobody waited for, which only this callback can report. The lab keeps running; the next
   * change retries.
   */
  onSaveError?: (error: Error, delivered: boolean) => void;
  /** How the lab terminal's lines run (az and `sql`, from src/az): with it, the lab serves scenarios too. */
  shell?: Shell;
}

export class LabStateError extends Error {
  constructor(
    message: string,
    readonly stateFile: string,
  ) {
    super(message);
    this.name = 'LabStateError';
  }
}

/** The directory already has a running lab (or another writer that did not let go). */
export class LabBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabBusyError';
  }
}

const recovery = (file: string) =>
  'The file was left untouched. ' +
  `Fix it by hand, or reset the lab ("Managed Identity Lab: Reset Lab", or 'milab reset --state ${path.dirname(file)}'), ` +
  'which keeps a copy beside it and starts a new lab.';

/** The lab saved in `stateDir`, or undefined when there is none. Never writes. */
export async function loadSavedLab(stateDir: string): Promise<Lab | undefined> {
  return (await readLab(stateDir))?.lab;
}

async function readLab(stateDir: string): Promise<{ lab: Lab; migratedFrom?: number } | undefined> {
  const file = path.join(stateDir, STATE_FILE);
  const read = await readStateFile(stateDir);
  if (read.kind === 'missing') return undefined;
  if (read.kind === 'unreadable') {
    throw new LabStateError(`The lab's state file ${file} cannot be read: ${read.message}\n${recovery(file)}`, file);
  }
  const parsed = parseLabState(read.json);
  if (!parsed.ok) {
    throw new LabStateError(`The lab's state file ${file} has errors:\n${describeProblems(parsed.problems)}\n${recovery(file)}`, file);
  }
  const lab = new Lab(parsed.state);
  return parsed.migratedFrom === undefined ? { lab } : { lab, migratedFrom: parsed.migratedFrom };
}

/**
 * Loads the lab in `stateDir`, creating a new one when there is none. The caller holds the
 * directory's lock (see withStateLock) whenever it may write.
 */
export async function loadOrCreateLab(stateDir: string): Promise<{ lab: Lab; created: boolean; migratedFrom?: number }> {
  const read = await readLab(stateDir);
  if (read) return read.migratedFrom === undefined ? { lab: read.lab, created: false } : { ...read, created: false };
  const lab = await createLab();
  await writeStateText(stateDir, serializeState(lab.toState()));
  return { lab, created: true };
}

/** The lab in `stateDir` for a command that only reads it: the saved one, or a new sample lab written under the lock. */
export async function openLab(stateDir: string, purpose: string): Promise<Lab> {
  return (await loadSavedLab(stateDir)) ?? withStateLock(stateDir, purpose, async () => (await loadOrCreateLab(stateDir)).lab);
}

/** Moves an unusable state file aside (keeping it) and writes a new lab in its place. The caller holds the lock. */
export async function resetLabState(stateDir: string): Promise<{ kept?: string; lab: Lab }> {
  const read = await readStateFile(stateDir);
  const kept = read.kind === 'missing' ? undefined : await setAsideStateFile(stateDir);
  const lab = await createLab();
  await writeStateText(stateDir, serializeState(lab.toState()));
  return kept ? { kept, lab } : { lab };
}

/** How long an offline command waits for another one (a short `milab az`) to let go of the directory. */
export const LOCK_WAIT_MS = 10_000;

/** The sentence for a directory held by someone else: who, and where its lab listens. */
export async function describeBusy(stateDir: string, error: StateLockedError): Promise<string> {
  const running = await readDiscovery(stateDir);
  const owner = error.owner;
  if (running) {
    return (
      `A lab is already running for ${stateDir}: process ${running.pid}${owner.pid === running.pid ? ` (${owner.purpose})` : ''}, ` +
      `listening on port ${running.port} (${running.url}). Stop it first, or use it: 'milab az', 'milab env' and 'milab export' ` +
      `with --state ${stateDir} go to it.`
    );
  }
  return owner.pid
    ? `The lab in ${stateDir} is in use by process ${owner.pid} (${owner.purpose}, since ${owner.since}), which has not let go of it. ` +
        'Wait for it to finish, or stop it.'
    : `The lab in ${stateDir} is in use by another process that has not let go of it. Wait for it to finish, or stop it.`;
}

/** Runs `task` holding the directory's lock, waiting briefly for another writer; LabBusyError when it stays busy. */
export async function withStateLock<T>(stateDir: string, purpose: string, task: () => Promise<T>): Promise<T> {
  let lock: StateLock | undefined;
  try {
    lock = await acquireLock(stateDir, purpose, { waitMs: LOCK_WAIT_MS });
  } catch (error) {
    if (error instanceof StateLockedError) throw new LabBusyError(await describeBusy(stateDir, error));
    throw error;
  }
  try {
    return await task();
  } finally {
    await lock?.release();
  }
}

/** What a save failure says, to whoever made the change. */
export function saveFailureMessage(stateFile: string, error: Error): string {
  return (
    `The change was made in the running lab but could not be saved to ${stateFile}: ${error.message}. ` +
    'It is not acknowledged; the lab keeps it and saves it with the next change that succeeds (free space or fix the folder, then retry).'
  );
}

export class LabHost {
  private readonly subscription: { dispose(): void };
  private readonly saves: DurableSaves;
  /** Scenarios over this lab (when the host was given a shell): `milab scenario` reaches them through the control endpoint. */
  readonly scenarios: ScenarioService | undefined;

  private constructor(
    readonly lab: Lab,
    readonly server: RunningLabServer,
    private readonly options: LabHostOptions,
    /** Authorizes control requests from other processes (see discovery.ts). */
    readonly controlToken: string,
    private readonly lock: StateLock,
    saves: DurableSaves,
  ) {
    this.saves = saves;
    this.subscription = lab.onDidChange(() => saves.changed());
    if (options.shell) {
      const scenarios = new ScenarioService({ lab, server: async () => server, shell: options.shell });
      this.scenarios = scenarios;
      server.context.commands.set('scenario', argv => runScenarioCommand(scenarios, argv));
    }
  }

  static async start(options: LabHostOptions): Promise<LabHost> {
    const stateDir = options.stateDir;
    const running = await readDiscovery(stateDir);
    if (running) {
      throw new LabBusyError(
        await describeBusy(
          stateDir,
          new StateLockedError(stateDir, { pid: running.pid, purpose: 'a running lab', since: running.startedAt, nonce: '' }),
        ),
      );
    }
    let lock: StateLock;
    try {
      // A running lab would be found at once; a short offline command is waited for.
      lock = (await acquireLock(stateDir, options.owner ?? 'a lab', {
        waitMs: LOCK_WAIT_MS,
        giveUp: async () => (await readDiscovery(stateDir)) !== undefined,
      }))!;
      if (!lock) throw new StateLockedError(stateDir, { pid: 0, purpose: 'a running lab', since: '?', nonce: '' });
    } catch (error) {
      if (error instanceof StateLockedError) throw new LabBusyError(await describeBusy(stateDir, error));
      throw error;
    }
    let server: RunningLabServer | undefined;
    try {
      const { lab } = await loadOrCreateLab(stateDir);
      const stateFile = path.join(stateDir, STATE_FILE);
      const tls = await lab.tlsMaterial();
      const problem = checkTlsMaterial(tls);
      if (problem) throw new LabStateError(`The lab's state file ${stateFile} has errors:\n${problem}\n${recovery(stateFile)}`, stateFile);
      const saves = new DurableSaves({
        write: () => writeStateText(stateDir, serializeState(lab.toState())),
        onError: (error, delivered) => {
          if (options.onSaveError) options.onSaveError(error, delivered);
          else if (!delivered) process.emitWarning(saveFailureMessage(stateFile, error));
        },
      });
      const controlToken = newControlToken();
      // Runs (`milab run`) need network namespaces: Linux only.
      const runSocket = process.platform === 'linux' ? runSocketPath(stateDir) : undefined;
      server = await startLabServer(lab, {
        ...(options.port === undefined ? {} : { port: options.port }),
        ...(options.sqlPort === undefined ? {} : { sql: { port: options.sqlPort } }),
        controlToken,
        ...(runSocket ? { runSocketPath: runSocket } : {}),
        durability: {
          changeCount: () => saves.changeCount,
          persist: () => saves.persist(),
          failureMessage: e => saveFailureMessage(stateFile, e),
        },
      });
      const host = new LabHost(lab, server, options, controlToken, lock, saves);
      // Persist what starting created (TLS material, secret seed), so other processes reading the state agree.
      saves.changed();
      await saves.persist();
      await writeFileAtomically(path.join(stateDir, CA_FILE), server.caPem, 0o644);
      await writeFileAtomically(path.join(stateDir, CA_BUNDLE_FILE), await caBundle(server.caPem), 0o644);
      await writeDiscovery(stateDir, {
        pid: process.pid,
        url: server.url,
        port: server.port,
        sqlPort: server.sqlPort,
        controlToken,
        startedAt: new Date().toISOString(),
        ...(runSocket ? { runSocket } : {}),
        absentImdsPort: server.absentImdsPort,
      });
      return host;
    } catch (error) {
      // All or nothing: no listener keeps answering for a lab that did not start.
      await server?.close().catch(() => undefined);
      await removeDiscovery(stateDir).catch(() => undefined);
      await lock.release().catch(() => undefined);
      throw error;
    }
  }

  get stateFile(): string {
    return path.join(this.options.stateDir, STATE_FILE);
  }

  /** The lab CA's certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  get caFile(): string {
    return path.join(this.options.stateDir, CA_FILE);
  }

  /** The system's CA bundle with the lab's CA added, for the other runtimes' CA variables. */
  get caBundleFile(): string {
    return path.join(this.options.stateDir, CA_BUNDLE_FILE);
  }

  get stateDir(): string {
    return this.options.stateDir;
  }

  /** Resolves when every change made so far is on disk; rejects with the save's error otherwise. */
  persist(): Promise<void> {
    return this.saves.persist();
  }

  /** Saves now (same as persist()). */
  save(): Promise<void> {
    return this.saves.persist();
  }

  /** Stops the endpoints and saves. Rejects when the final save fails (the state on disk is then the last one that succeeded). */
  async close(): Promise<void> {
    this.subscription.dispose();
    this.saves.close();
    await this.server.close();
    try {
      await this.saves.persist();
    } finally {
      await removeDiscovery(this.options.stateDir).catch(() => undefined);
      await this.lock.release().catch(() => undefined);
    }
  }
}
