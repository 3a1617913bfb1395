// What every command works with: the lab (as the signed-in learner), the feedback channel,
// and the Token Flow panel. `act` runs one engine operation and reports how it went.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import { saveFailureMessage, type LabHost } from '../../host/labHost';
import type { LabController } from '../labController';
import type { CommandOutcome, Feedback, FollowUp } from '../feedback/outcome';
import type { TokenFlowPanel } from '../tokenFlow/tokenFlowPanel';

/** A change was made but could not be saved (disk full, folder gone). */
export class SaveFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaveFailedError';
  }
}

export interface Done<T> {
  value: T;
  message: string;
  az?: string | undefined;
  severity?: 'info' | 'warning';
  followUps?: FollowUp[];
}

export class CommandContext {
  constructor(
    readonly controller: LabController,
    readonly feedback: Feedback,
    readonly tokenFlow: TokenFlowPanel,
  ) {}

  async host(): Promise<LabHost> {
    return this.controller.ready();
  }

  async lab(): Promise<Lab> {
    return (await this.controller.ready()).lab;
  }

  /**
   * Runs `operation` (validation included) and reports its success; a failure is reported where
   * commands are registered. A change counts as done only once it is saved: success is reported
   * after the save, and a failed save is the command's failure.
   */
  async act<T>(operation: () => Done<T> | Promise<Done<T>>): Promise<CommandOutcome<T>> {
    const done = await operation();
    await this.saved();
    return this.feedback.succeeded(done.value, done.message, done.az, done.severity, done.followUps);
  }

  /** Waits until every change so far is on disk; throws the save failure, in words, otherwise. */
  async saved(): Promise<void> {
    const host = this.controller.running;
    if (!host) return;
    try {
      await host.persist();
    } catch (error) {
      throw new SaveFailedError(saveFailureMessage(host.stateFile, error as Error));
    }
  }

  /** Shows progress on a view while `task` runs (no notification that could get stuck). */
  inView<T>(viewId: string, title: string, task: () => Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: { viewId }, title }, task));
  }
}

/** The `az` line for an action, or undefined when az has no command for that resource type. */
export function twin(make: () => string): string | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

export const VIEW_RESOURCES = 'managedIdentityLab.resources';
export const VIEW_IDENTITIES = 'managedIdentityLab.identities';
export const VIEW_ACTIVITY = 'managedIdentityLab.activity';
