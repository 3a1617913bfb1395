// Wires the lab terminal into VS Code: the "Managed Identity Lab" terminal profile and the
// "Open Lab Terminal" command (which returns the terminal and its pseudoterminal to callers
// in the extension host, such as the integration tests). The command focuses the lab terminal it
// opened while that one is open, rather than opening another.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import type { ScenarioService } from '../../host/scenarios';
import { LabTerminal } from './labTerminal';

export const TERMINAL_PROFILE_ID = 'managedIdentityLab.terminal';
export const OPEN_TERMINAL_COMMAND = 'managedIdentityLab.openTerminal';
const TERMINAL_NAME = 'Managed Identity Lab';
const ICON = new vscode.ThemeIcon('key');

/** `saved` resolves once the lab's changes are on disk (and throws the save failure in words). */
export function registerLabTerminal(
  lab: () => Promise<Lab>,
  saved: () => Promise<void>,
  scenarios: () => Promise<ScenarioService | undefined>,
): vscode.Disposable {
  let opened: { terminal: vscode.Terminal; pty: LabTerminal } | undefined;
  return vscode.Disposable.from(
    vscode.window.onDidCloseTerminal(closed => {
      if (closed === opened?.terminal) opened = undefined;
    }),
    vscode.window.registerTerminalProfileProvider(TERMINAL_PROFILE_ID, {
      provideTerminalProfile: () =>
        new vscode.TerminalProfile({ name: TERMINAL_NAME, pty: new LabTerminal(lab, saved, scenarios), iconPath: ICON }),
    }),
    vscode.commands.registerCommand(OPEN_TERMINAL_COMMAND, () => {
      if (opened && vscode.window.terminals.includes(opened.terminal) && opened.terminal.exitStatus === undefined) {
        opened.terminal.show();
        return opened;
      }
      const pty = new LabTerminal(lab, saved, scenarios);
      const terminal = vscode.window.createTerminal({ name: TERMINAL_NAME, pty, iconPath: ICON });
      terminal.show();
      opened = { terminal, pty };
      return opened;
    }),
  );
}
