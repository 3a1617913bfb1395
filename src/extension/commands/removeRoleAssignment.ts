// "Remove Role Assignment": by its id or GUID, or from the Identities & Access view. Undoable.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import type { ReadonlyRoleAssignment } from '../../engine/state/labState';
import { deleteRoleAssignment, findRoleAssignment } from '../../engine/operations/roleAssignments';
import { assignmentOverview } from '../../engine/readModels/overview/identities';
import { deleteRoleAssignmentTwin } from '../../az/twin';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, requireText } from '../input/args';
import type { CommandContext } from './context';

export interface RemoveRoleAssignmentArgs {
  /** The assignment's full id (`…/providers/Microsoft.Authorization/roleAssignments/{guid}`) or GUID. */
  assignment: string;
}

async function pick(lab: Lab): Promise<string | undefined> {
  const items = lab.assignments.all.map(a => {
    const o = assignmentOverview(lab, a);
    const who = lab.directory.principal(a.principalId)?.displayName ?? 'Identity not found';
    return { label: `${o.roleName}`, description: `${who} at ${o.scope.text}`, detail: a.principalId, value: a.name };
  });
  if (!items.length) throw new ArgumentError('The lab has no role assignments.');
  return (
    await vscode.window.showQuickPick(items, {
      title: 'Remove Role Assignment',
      placeHolder: 'Which assignment?',
      matchOnDescription: true,
    })
  )?.value;
}

export async function removeRoleAssignment(
  ctx: CommandContext,
  input: unknown,
): Promise<CommandOutcome<ReadonlyRoleAssignment> | undefined> {
  const lab = await ctx.lab();
  let name: string | undefined;
  const parsed = classify<RemoveRoleAssignmentArgs>(input);
  if (parsed.from === 'args') name = requireText(parsed.args, 'assignment', 'the id or GUID of the role assignment');
  else if (parsed.from === 'node' && parsed.node.kind === 'assignment') name = parsed.node.assignmentName;
  else name = await pick(lab);
  if (!name) return undefined;
  if (!findRoleAssignment(lab, name)) throw new ArgumentError(`There is no role assignment '${name}' in the lab.`);
  const id = name;
  return ctx.act(() => {
    const found = findRoleAssignment(lab, id)!;
    const o = assignmentOverview(lab, found);
    const removed = deleteRoleAssignment(lab, lab.learner, id)!;
    return {
      value: removed,
      message: `Removed ${o.roleName} at ${o.scope.text}. Run "Undo" to restore it.`,
      az: deleteRoleAssignmentTwin(removed),
    };
  });
}
