// Runs one lab in a Node process: loads (or creates) its state, serves its endpoints on
// loopback and saves every change. The VS Code extension and `milab serve` both use it.
//
// A state file the lab cannot use (corrupt JSON, a bad field, a newer schema) is never
// overwritten: loading fails with a LabStateError that names the problem and the file, and
// only an explicit reset moves the file aside (kept, with a timestamp) and starts afresh.
import { Lab } from '../engine/lab/lab';
import { createLab } from '../engine/operations/sampleLab';
import { describeProblems, parseLabState } from '../engine/state/schema';
import type { RunningLabServer } from '../server/labServer';
import { startLabServer } from '../server/labServer';
import { readStateFile, setAsideStateFile, STATE_FILE, writeStateFile } from './stateFile';
import * as path from 'node:path';
import * as os from 'node:os';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { newControlToken, removeDiscovery, writeDiscovery } from './discovery';
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
  /** Milliseconds to wait after a change before saving (changes often come in bursts). */
  saveDelayMs?: number;
  /** Called when a save fails (the lab keeps running; the next change retries). */
  onSaveError?: (error: Error) => void;
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

const recovery = (file: string) =>
  'The file was left untouched. ' +
  `Fix it by hand, or reset the lab ("Managed Identity Lab: Reset Lab", or 'milab reset --state ${path.dirname(file)}'), ` +
  'which keeps a copy beside it and starts a new lab.';

/** Loads the lab in `stateDir`, creating a new one when there is none. */
export async function loadOrCreateLab(stateDir: string): Promise<{ lab: Lab; created: boolean; migratedFrom?: number }> {
  const file = path.join(stateDir, STATE_FILE);
  const read = await readStateFile(stateDir);
  if (read.kind === 'missing') {
    const lab = await createLab();
    await writeStateFile(stateDir, lab.toState());
    return { lab, created: true };
  }
  if (read.kind === 'unreadable') {
    throw new LabStateError(`The lab's state file ${file} cannot be read: ${read.message}\n${recovery(file)}`, file);
  }
  const parsed = parseLabState(read.json);
  if (!parsed.ok) {
    throw new LabStateError(`The lab's state file ${file} has errors:\n${describeProblems(parsed.problems)}\n${recovery(file)}`, file);
  }
  const lab = new Lab(parsed.state);
  return parsed.migratedFrom === undefined ? { lab, created: false } : { lab, created: false, migratedFrom: parsed.migratedFrom };
}

/** Moves an unusable state file aside (keeping it) and writes a new lab in its place. */
export async function resetLabState(stateDir: string): Promise<{ kept?: string; lab: Lab }> {
  const read = await readStateFile(stateDir);
  const kept = read.kind === 'missing' ? undefined : await setAsideStateFile(stateDir);
  const lab = await createLab();
  await writeStateFile(stateDir, lab.toState());
  return kept ? { kept, lab } : { lab };
}

export class LabHost {
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private readonly subscription: { dispose(): void };
  /** Scenarios over this lab (when the host was given a shell): `milab scenario` reaches them through the control endpoint. */
  readonly scenarios: ScenarioService | undefined;

  private constructor(
    readonly lab: Lab,
    readonly server: RunningLabServer,
    private readonly options: LabHostOptions,
    /** Authorizes control requests from other processes (see discovery.ts). */
    readonly controlToken: string,
  ) {
    this.subscription = lab.onDidChange(() => this.scheduleSave());
    if (options.shell) {
      const scenarios = new ScenarioService({ lab, server: async () => server, shell: options.shell });
      this.scenarios = scenarios;
      server.context.commands.set('scenario', argv => runScenarioCommand(scenarios, argv));
    }
  }

  static async start(options: LabHostOptions): Promise<LabHost> {
    const { lab } = await loadOrCreateLab(options.stateDir);
    const controlToken = newControlToken();
    // Runs (`milab run`) need network namespaces: Linux only.
    const runSocket = process.platform === 'linux' ? runSocketPath(options.stateDir) : undefined;
    const server = await startLabServer(lab, {
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.sqlPort === undefined ? {} : { sql: { port: options.sqlPort } }),
      controlToken,
      ...(runSocket ? { runSocketPath: runSocket } : {}),
    });
    const host = new LabHost(lab, server, options, controlToken);
    // Persist what starting created (TLS material, secret seed), so other processes reading the state agree.
    await host.save();
    await writeFile(path.join(options.stateDir, CA_FILE), server.caPem, { mode: 0o644 });
    await writeFile(path.join(options.stateDir, CA_BUNDLE_FILE), await caBundle(server.caPem), { mode: 0o644 });
    await writeDiscovery(options.stateDir, {
      pid: process.pid,
      url: server.url,
      port: server.port,
      sqlPort: server.sqlPort,
      controlToken,
      startedAt: new Date().toISOString(),
      ...(runSocket ? { runSocket } : {}),
    });
    return host;
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

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save(), this.options.saveDelayMs ?? 100);
  }

  /** Saves now. Saves never overlap; a failed save is reported and retried on the next change. */
  save(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saving = this.saving.then(() =>
      writeStateFile(this.options.stateDir, this.lab.toState()).catch((error: Error) => this.options.onSaveError?.(error)),
    );
    return this.saving;
  }

  async close(): Promise<void> {
    this.subscription.dispose();
    await this.save();
    await this.server.close();
    await removeDiscovery(this.options.stateDir);
  }
}
