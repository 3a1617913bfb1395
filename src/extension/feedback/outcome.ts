// How an action ends, for the person and for scripts: a result object the command returns,
// a line in the lab's log, and a notification — with a button that copies the `az` command
// that would do the same on real Azure. Engine errors become their message, never a stack.
import * as vscode from 'vscode';
import { isLabError } from '../../engine/base/errors';
import { UNDO } from '../commandIds';

export type CommandOutcome<T> = { ok: true; value: T; message: string; az?: string } | { ok: false; error: string; code?: string };

/** A bad argument from a script or a stale tree item: reported like an engine error. */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}

export interface ShownMessage {
  severity: 'info' | 'warning' | 'error';
  text: string;
  /** The notification's buttons, when it had any. */
  buttons?: string[];
}

export const COPY_AZ = 'Copy az Command';
export const UNDO_BUTTON = 'Undo';

/** A message that tells the person they can undo gets the button that does it. */
const mentionsUndo = (message: string): boolean => /\bundo\b/i.test(message);

/** A button on a notification that does the obvious next thing (e.g. assign the missing role). */
export interface FollowUp {
  title: string;
  run: () => void;
}

export class Feedback {
  /** What the person was last told (newest last, at most 100), for tests and diagnostics. */
  readonly shown: ShownMessage[] = [];

  constructor(readonly log: vscode.LogOutputChannel) {}

  private remember(severity: ShownMessage['severity'], text: string, buttons: string[] = []): void {
    this.shown.push(buttons.length ? { severity, text, buttons } : { severity, text });
    if (this.shown.length > 100) this.shown.splice(0, 50);
  }

  /** Reports success; the notification offers the `az` twin (and any fix). Never waits for the person to click. */
  succeeded<T>(
    value: T,
    message: string,
    az?: string,
    severity: 'info' | 'warning' = 'info',
    actions: readonly FollowUp[] = [],
  ): CommandOutcome<T> {
    (severity === 'warning' ? this.log.warn : this.log.info).call(this.log, message);
    if (az) this.log.info(`  az twin: ${az}`);
    const undo = mentionsUndo(message) && !actions.some(a => a.title === UNDO_BUTTON);
    const buttons = [...actions.map(a => a.title), ...(undo ? [UNDO_BUTTON] : []), ...(az ? [COPY_AZ] : [])];
    this.remember(severity, message, buttons);
    const shown =
      severity === 'warning'
        ? vscode.window.showWarningMessage(message, ...buttons)
        : vscode.window.showInformationMessage(message, ...buttons);
    void Promise.resolve(shown).then(choice => {
      if (choice === COPY_AZ && az) void vscode.env.clipboard.writeText(az);
      if (choice === UNDO_BUTTON && undo) void vscode.commands.executeCommand(UNDO);
      actions.find(a => a.title === choice)?.run();
    });
    return az ? { ok: true, value, message, az } : { ok: true, value, message };
  }

  /** Reports a failure as one clear sentence; unexpected errors keep their stack in the log only. */
  failed(action: string, error: unknown): CommandOutcome<never> {
    const known = isLabError(error) || error instanceof ArgumentError;
    const reason = error instanceof Error ? error.message : String(error);
    const text = `${action}: ${reason}`;
    if (known) this.log.warn(text);
    else {
      this.log.error(text);
      if (error instanceof Error && error.stack) this.log.debug(error.stack);
    }
    this.remember('error', text);
    void vscode.window.showErrorMessage(text);
    const code = isLabError(error) ? error.code : error instanceof ArgumentError ? 'InvalidArgument' : undefined;
    return code ? { ok: false, error: text, code } : { ok: false, error: text };
  }

  /** A plain note (nothing happened that needs an az twin). */
  inform(text: string): void {
    this.log.info(text);
    this.remember('info', text);
    void vscode.window.showInformationMessage(text);
  }

  /** A plain warning: something the person should act on, though nothing failed (a scenario not solved yet). */
  warn(text: string): void {
    this.log.warn(text);
    this.remember('warning', text);
    void vscode.window.showWarningMessage(text);
  }
}
