// Runs one lab in a Node process: loads (or creates) its state, serves its endpoints on
// loopback and saves every change. The VS Code extension and `milab serve` both use it.
import type { Lab } from '../engine/lab';
import { Lab as LabClass } from '../engine/lab';
import { createLab } from '../engine/sample';
import type { LabState } from '../engine/model/state';
import type { RunningLabServer } from '../server/labServer';
import { startLabServer } from '../server/labServer';
import { readStateFile, writeStateFile } from './stateFile';

export interface LabHostOptions {
  stateDir: string;
  port?: number;
  /** Milliseconds to wait after a change before saving (changes often come in bursts). */
  saveDelayMs?: number;
}

export class LabStateError extends Error {
  constructor(
    message: string,
    readonly stateDir: string,
  ) {
    super(message);
    this.name = 'LabStateError';
  }
}

export async function loadOrCreateLab(stateDir: string): Promise<{ lab: Lab; created: boolean }> {
  const read = await readStateFile(stateDir);
  if (read.kind === 'missing') {
    const lab = await createLab();
    await writeStateFile(stateDir, lab.toState());
    return { lab, created: true };
  }
  if (read.kind === 'unreadable') throw new LabStateError(read.message, stateDir);
  return { lab: new LabClass(read.json as LabState), created: false };
}

export class LabHost {
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private readonly subscription: { dispose(): void };

  private constructor(
    readonly lab: Lab,
    readonly server: RunningLabServer,
    private readonly options: LabHostOptions,
  ) {
    this.subscription = lab.onDidChange(() => this.scheduleSave());
  }

  static async start(options: LabHostOptions): Promise<LabHost> {
    const { lab } = await loadOrCreateLab(options.stateDir);
    const server = await startLabServer(lab, options.port === undefined ? {} : { port: options.port });
    return new LabHost(lab, server, options);
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save(), this.options.saveDelayMs ?? 100);
  }

  /** Saves now; saves never overlap, and the last one wins. */
  save(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saving = this.saving.then(() => writeStateFile(this.options.stateDir, this.lab.toState()));
    return this.saving;
  }

  async close(): Promise<void> {
    this.subscription.dispose();
    await this.save();
    await this.server.close();
  }
}
