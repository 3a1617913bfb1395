// Registers the diagnosis commands: Diagnose Error… (palette, editor and terminal selections),
// Why Did This Fail? (Activity, Token Flow), Suggest Least Privilege…, Check Access's link,
// and Show Hint (what learning mode kept back).
import * as vscode from 'vscode';
import * as ids from '../commandIds';
import type { Feedback } from '../feedback/outcome';
import type { DiagnosisController } from './diagnosisController';

export function registerDiagnosis(controller: DiagnosisController, feedback: Feedback): vscode.Disposable[] {
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {
    [ids.DIAGNOSE_ERROR]: input => controller.diagnoseError(input),
    [ids.DIAGNOSE_TERMINAL_SELECTION]: () => controller.diagnoseTerminalSelection(),
    [ids.WHY_DID_THIS_FAIL]: input => controller.whyDidThisFail(input),
    [ids.SUGGEST_LEAST_PRIVILEGE]: input => controller.suggestLeastPrivilege(input),
    [ids.DIAGNOSE_ACCESS]: input => controller.diagnoseAccess(input),
    [ids.SHOW_HINT]: input => controller.showHint(input),
  };
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (input: unknown) => handler(input).catch(error => feedback.failed('Diagnosis', error))),
  );
}
