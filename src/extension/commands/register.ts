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
import { callService, callServiceWithAudience } from './callService';
import { exportAzScript, resetLab, setFaults, undo } from './labCommands';
import { copyPrincipalId, copyResourceId } from './copyIds';
import { copyEnvironment, showEndpoints } from './endpoints';
import { runAsResource } from './runAsResource';
import { exportDiagram } from '../tokenFlow/exportDiagram';
import { advanceClock, clockMenu, pauseClock, realTimeClock, resumeClock } from './clock';
import { showCredentialChain } from './credentialChain';
import type { DiagramDetail } from '../../engine/readModels/traceDiagram/mermaid';
import { ArgumentError } from '../feedback/outcome';
import { classify, requireText } from '../input/args';

type Handler = (ctx: CommandContext, input: unknown) => Promise<unknown>;

export interface ViewRefresh {
  refresh(): void;
}

export function registerCommands(ctx: CommandContext, views: readonly ViewRefresh[], detail: () => DiagramDetail): vscode.Disposable[] {
  // Each command with the action its failures are reported as ("Assign role: …").
  const commands: Record<string, [action: string, handler: Handler]> = {
    [ids.CREATE_RESOURCE]: ['Create resource', createResource],
    [ids.DELETE_RESOURCE]: ['Delete resource', deleteResource],
    [ids.ENABLE_SYSTEM_IDENTITY]: ['Enable system-assigned identity', enableSystemIdentity],
    [ids.DISABLE_SYSTEM_IDENTITY]: ['Disable system-assigned identity', disableSystemIdentity],
    [ids.CREATE_USER_IDENTITY]: ['Create user-assigned identity', createUserIdentity],
    [ids.DELETE_USER_IDENTITY]: ['Delete user-assigned identity', deleteUserIdentity],
    [ids.ATTACH_USER_IDENTITY]: ['Attach user-assigned identity', attachUserIdentity],
    [ids.DETACH_USER_IDENTITY]: ['Detach user-assigned identity', detachUserIdentity],
    [ids.ASSIGN_ROLE]: ['Assign role', assignRole],
    [ids.REMOVE_ROLE_ASSIGNMENT]: ['Remove role assignment', removeRoleAssignment],
    [ids.CHECK_ACCESS]: ['Check access', checkAccess],
    [ids.REQUEST_TOKEN]: ['Request token', requestToken],
    [ids.CALL_SERVICE]: ['Call service', (c, input) => callService(c, input)],
    [ids.CALL_SERVICE_WITH_AUDIENCE]: ['Call service', callServiceWithAudience],
    [ids.RESET_LAB]: ['Reset lab', resetLab],
    [ids.UNDO]: ['Undo', c => undo(c)],
    [ids.EXPORT_AZ_SCRIPT]: ['Export as az script', c => exportAzScript(c)],
    [ids.SET_FAULTS]: ['Set endpoint faults', setFaults],
    [ids.COPY_RESOURCE_ID]: ['Copy resource id', copyResourceId],
    [ids.COPY_PRINCIPAL_ID]: ['Copy principal id', copyPrincipalId],
    [ids.SHOW_ENDPOINTS]: ['Show lab endpoints', c => showEndpoints(c)],
    [ids.COPY_ENVIRONMENT]: ['Copy environment', copyEnvironment],
    [ids.RUN_AS_RESOURCE]: ['Run command as a lab resource', runAsResource],
    [ids.EXPORT_DIAGRAM]: ['Export token flow', (c, input) => exportDiagram(c, input, detail)],
    [ids.SHOW_TOKEN_FLOW]: ['Show token flow', async c => c.tokenFlow.show()],
    [ids.SHOW_TRACE]: ['Show token flow', showTrace],
    [ids.SHOW_LOG]: ['Show lab log', async c => c.feedback.log.show()],
    [ids.REFRESH]: ['Refresh', async () => views.forEach(v => v.refresh())],
    [ids.CLOCK_MENU]: ['Lab clock', c => clockMenu(c)],
    [ids.ADVANCE_CLOCK]: ['Advance lab clock', advanceClock],
    [ids.PAUSE_CLOCK]: ['Pause lab clock', c => pauseClock(c)],
    [ids.RESUME_CLOCK]: ['Resume lab clock', c => resumeClock(c)],
    [ids.REAL_TIME_CLOCK]: ['Return lab clock to real time', c => realTimeClock(c)],
    [ids.SHOW_CREDENTIAL_CHAIN]: ['Show credential chain', showCredentialChain],
  };
  // The one place a command's failure becomes its outcome (and its error notification), whether
  // the arguments were wrong, the engine refused, or the lab could not even start.
  return Object.entries(commands).map(([id, [action, handler]]) =>
    vscode.commands.registerCommand(id, (input: unknown) => handler(ctx, input).catch(error => ctx.feedback.failed(action, error))),
  );
}

async function showTrace(ctx: CommandContext, input: unknown): Promise<unknown> {
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
}
