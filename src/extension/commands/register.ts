// Registers every command: each is a function of the command context and its argument (a
// tree element, an object from a script, or nothing when run from the palette).
import * as vscode from 'vscode';
import * as ids from '../commandIds';
import type { CommandContext } from './context';
import { createResource } from './createResource';
import { deleteResource, deleteUserIdentity } from './deleteResource';
import { disableSystemIdentity, enableSystemIdentity } from './systemIdentity';
import { attachUserIdentity, createUserIdentity, detachUserIdentity } from './userIdentity';
import { assignRole } from './assignRole';
import { removeRoleAssignment } from './removeRoleAssignment';
import { checkAccess } from './checkAccess';
import { requestToken } from './requestToken';
import { callService } from './callService';
import { exportAzScript, resetLab, setFaults, undo } from './labCommands';
import { copyPrincipalId, copyResourceId } from './copyIds';
import { copyEnvironment, showEndpoints } from '../status/endpoints';
import { runAsResource } from './runAsResource';
import { exportDiagram } from '../tokenFlow/exportDiagram';
import type { DiagramDetail } from '../../engine/readModels/traceDiagram/mermaid';
import { ArgumentError } from '../feedback/outcome';
import { classify, requireText } from '../input/args';

type Handler = (ctx: CommandContext, input: unknown) => Promise<unknown>;

export interface ViewRefresh {
  refresh(): void;
}

export function registerCommands(ctx: CommandContext, views: readonly ViewRefresh[], detail: () => DiagramDetail): vscode.Disposable[] {
  const handlers: Record<string, Handler> = {
    [ids.CREATE_RESOURCE]: createResource,
    [ids.DELETE_RESOURCE]: deleteResource,
    [ids.ENABLE_SYSTEM_IDENTITY]: enableSystemIdentity,
    [ids.DISABLE_SYSTEM_IDENTITY]: disableSystemIdentity,
    [ids.CREATE_USER_IDENTITY]: createUserIdentity,
    [ids.DELETE_USER_IDENTITY]: deleteUserIdentity,
    [ids.ATTACH_USER_IDENTITY]: attachUserIdentity,
    [ids.DETACH_USER_IDENTITY]: detachUserIdentity,
    [ids.ASSIGN_ROLE]: assignRole,
    [ids.REMOVE_ROLE_ASSIGNMENT]: removeRoleAssignment,
    [ids.CHECK_ACCESS]: checkAccess,
    [ids.REQUEST_TOKEN]: requestToken,
    [ids.CALL_SERVICE]: callService,
    [ids.RESET_LAB]: resetLab,
    [ids.UNDO]: c => undo(c),
    [ids.EXPORT_AZ_SCRIPT]: c => exportAzScript(c),
    [ids.SET_FAULTS]: setFaults,
    [ids.COPY_RESOURCE_ID]: copyResourceId,
    [ids.COPY_PRINCIPAL_ID]: copyPrincipalId,
    [ids.SHOW_ENDPOINTS]: c => showEndpoints(c),
    [ids.COPY_ENVIRONMENT]: copyEnvironment,
    [ids.RUN_AS_RESOURCE]: runAsResource,
    [ids.EXPORT_DIAGRAM]: (c, input) => exportDiagram(c, input, detail),
    [ids.SHOW_TOKEN_FLOW]: async c => c.tokenFlow.show(),
    [ids.SHOW_TRACE]: showTrace,
    [ids.SHOW_LOG]: async c => c.feedback.log.show(),
    [ids.REFRESH]: async () => views.forEach(v => v.refresh()),
  };
  // A handler that could not even reach the lab (it failed to start) still answers with an outcome.
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (input: unknown) => handler(ctx, input).catch(error => ctx.feedback.failed(actionName(id), error))),
  );
}

/** "managedIdentityLab.assignRole" → "Assign role". */
function actionName(commandId: string): string {
  const words = commandId
    .slice(commandId.indexOf('.') + 1)
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

async function showTrace(ctx: CommandContext, input: unknown): Promise<unknown> {
  try {
    const parsed = classify<{ traceId: string }>(typeof input === 'string' ? { traceId: input } : input);
    const traceId =
      parsed.from === 'args'
        ? requireText(parsed.args, 'traceId', 'the id of a trace')
        : parsed.from === 'node' && parsed.node.kind === 'trace'
          ? parsed.node.traceId
          : undefined;
    if (!traceId) return ctx.tokenFlow.show();
    await ctx.lab();
    if (!ctx.tokenFlow.showTrace(traceId)) throw new ArgumentError(`There is no trace '${traceId}' any more.`);
    return { ok: true, value: traceId, message: `Showing ${traceId}` };
  } catch (error) {
    return ctx.feedback.failed('Show token flow', error);
  }
}
