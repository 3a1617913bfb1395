// "Assign Role…": principal → role → scope. Roles show their descriptions; the least-privileged
// role that would grant what this principal was last denied comes first, and the scope it was
// denied at heads the scopes — the fix for the 403 the learner just saw. In learning mode the
// role is not marked until the learner picks Show Hint (engine/scenarios/learning.ts).
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import type { ReadonlyRoleAssignment } from '../../engine/state/labState';
import { createRoleAssignment, requireRole, type PrincipalType } from '../../engine/operations/roleAssignments';
import { lastDenial, roleChoices, type Recommendation } from '../../engine/readModels/overview/denials';
import { roleFit } from '../../engine/readModels/overview/roleFit';
import { courseNoteForRole } from '../../engine/readModels/courseDifferences';
import { describeScope } from '../../engine/readModels/overview/scopes';
import { createRoleAssignmentTwin } from '../../az/twin';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, optionalChoice, requireText } from '../input/args';
import { runFlow } from '../input/flow';
import { principalItems, roleItems, scopeItems, type PrincipalChoice, type ValueItem } from '../input/items';
import type { RoleDefinition } from '../../engine/state/roleDefinitions';
import { SHOW_HINT, WITHHELD } from '../../engine/scenarios/learning';
import { withholding } from '../diagnosis/learning';

/** The role picker's Show Hint item. */
const HINT = 'hint' as const;
import { twin, type CommandContext } from './context';
import { principalOf, scopeOf } from './resolve';

export interface AssignRoleArgs {
  /** Object id of the identity (or user, or application). */
  principalId: string;
  /** Role name (e.g. "Key Vault Secrets User"), GUID or role definition id. */
  role: string;
  /** ARM id of the subscription, resource group or resource. */
  scope: string;
  /** Only needed for a principal the directory does not know (yet). */
  principalType?: PrincipalType;
}

const TITLE = 'Assign Role';

async function ask(lab: Lab, known: Partial<AssignRoleArgs>): Promise<AssignRoleArgs | undefined> {
  const answers = { ...known };
  let recommendation: Recommendation | undefined;
  const done = await runFlow([
    {
      applies: () => !known.principalId,
      ask: async (input, at) => {
        const chosen = await input.showQuickPick({
          title: TITLE,
          ...at,
          items: principalItems(lab),
          placeholder: 'Who gets the role?',
          matchOnDetail: true,
        });
        answers.principalId = (chosen.value as PrincipalChoice).principalId;
      },
    },
    {
      ask: async (input, at) => {
        const choices = roleChoices(lab, answers.principalId);
        recommendation = choices.recommendation;
        // Learning mode: roles by name, none marked, until the learner picks Show Hint (then the picker is shown again, marked).
        let withheld = recommendation !== undefined && withholding(lab);
        for (let round = 0; round < 2; round++) {
          const items: Array<ValueItem<RoleDefinition | typeof HINT>> = withheld
            ? [
                { label: `$(lightbulb) ${SHOW_HINT}`, description: 'the least-privileged role for what was denied', value: HINT },
                ...roleItems(roleChoices(lab).roles, undefined),
              ]
            : roleItems(choices.roles, recommendation);
          const placeholder = withheld
            ? `Which role? Learning mode: find the one that grants what it was denied and nothing more, or pick ${SHOW_HINT}`
            : recommendation
              ? `Which role? ${recommendation.role.roleName} is the least-privileged one that grants what it was denied`
              : 'Which role?';
          const picked = (await input.showQuickPick({ title: TITLE, ...at, items, placeholder, matchOnDetail: true })).value;
          if (picked !== HINT) {
            answers.role = picked.roleName;
            return;
          }
          withheld = false;
        }
      },
    },
    {
      applies: () => !known.scope,
      ask: async (input, at) => {
        const recommended = recommendation?.scope;
        answers.scope = (
          await input.showQuickPick({
            title: TITLE,
            ...at,
            items: scopeItems(lab, recommended),
            placeholder: 'Where (scope)? Everything below the scope inherits the role',
            matchOnDetail: true,
          })
        ).value;
      },
    },
  ]);
  if (!done) return undefined;
  return warnIfUnfit(lab, answers as AssignRoleArgs, recommendation);
}

/** Before a role that cannot do what was denied is made: say which plane it covers, and offer the one that can. */
async function warnIfUnfit(
  lab: Lab,
  args: AssignRoleArgs,
  recommendation: Recommendation | undefined,
): Promise<AssignRoleArgs | undefined> {
  const fit = unfitWarning(lab, args.role, args.principalId);
  if (!fit || !recommendation) return args;
  const instead = `Assign ${recommendation.role.roleName} Instead`;
  const anyway = `Assign ${args.role} Anyway`;
  const denied = `It was denied ${recommendation.denial.action} at ${describeScope(lab, recommendation.denial.scope).text}.`;
  // Learning mode names no role here either: Show Hint asks again, with the answer.
  if (withholding(lab)) {
    const first = await vscode.window.showWarningMessage(fit, { modal: true, detail: `${denied} ${WITHHELD}` }, SHOW_HINT, anyway);
    if (first !== SHOW_HINT) return first === anyway ? args : undefined;
  }
  const choice = await vscode.window.showWarningMessage(
    fit,
    { modal: true, detail: `${denied} ${recommendation.role.roleName} is the least-privileged role that grants it.` },
    instead,
    anyway,
  );
  if (!choice) return undefined;
  return choice === instead ? { ...args, role: recommendation.role.roleName, scope: recommendation.scope } : args;
}

/** The warning for a role that would not grant what the principal was last denied (undefined when it would, or nothing was denied). */
function unfitWarning(lab: Lab, role: string, principalId: string): string | undefined {
  const denial = lastDenial(lab, principalId);
  const definition = lab.roles.named(role)[0] ?? lab.roles.get(role);
  if (!denial || !definition) return undefined;
  const fit = roleFit(definition, denial.action);
  return fit.warning && [fit.warning, fit.course].filter(Boolean).join(' ');
}

function readArgs(args: Partial<AssignRoleArgs>): AssignRoleArgs {
  const principalType = optionalChoice<PrincipalType>(args, 'principalType', [
    'User',
    'Group',
    'ServicePrincipal',
    'ForeignGroup',
    'Device',
  ]);
  return {
    principalId: requireText(args, 'principalId', 'the object id of who gets the role'),
    role: requireText(args, 'role', 'a role name such as "Key Vault Secrets User", or its id'),
    scope: requireText(args, 'scope', 'the ARM id of the subscription, resource group or resource'),
    ...(principalType ? { principalType } : {}),
  };
}

export async function assignRole(ctx: CommandContext, input: unknown): Promise<CommandOutcome<ReadonlyRoleAssignment> | undefined> {
  const lab = await ctx.lab();
  let args: AssignRoleArgs | undefined;
  const parsed = classify<AssignRoleArgs>(input);
  if (parsed.from === 'args') args = readArgs(parsed.args);
  else {
    const known: Partial<AssignRoleArgs> = {};
    if (parsed.from === 'node') {
      const scope = scopeOf(parsed.node);
      const principal = scope ? undefined : principalOf(lab, parsed.node);
      if (scope) known.scope = scope;
      if (principal) known.principalId = principal;
      if (!scope && !principal) throw new ArgumentError('That item is neither an identity nor a scope.');
    }
    args = await ask(lab, known);
  }
  if (!args) return undefined;
  const a = args;
  const unfit = unfitWarning(lab, a.role, a.principalId);
  return ctx.act(() => {
    const assignment = createRoleAssignment(lab, lab.learner, {
      principalId: a.principalId,
      role: a.role,
      scope: a.scope,
      ...(a.principalType ? { principalType: a.principalType } : {}),
    });
    const role = requireRole(lab, a.role);
    const who = lab.directory.principal(assignment.principalId)?.displayName ?? assignment.principalId;
    const scope = describeScope(lab, assignment.scope);
    return {
      value: assignment,
      // With no denial to measure it against, a role the course reads otherwise still gets Azure's reading.
      message: `Assigned ${role.roleName} to ${who} at ${scope.text}. ${unfit ?? courseNoteForRole(role.roleName) ?? ''}`.trimEnd(),
      severity: unfit ? 'warning' : 'info',
      az: twin(() =>
        createRoleAssignmentTwin({
          principalId: assignment.principalId,
          principalType: assignment.principalType,
          role: role.roleName,
          scope: assignment.scope,
        }),
      ),
    };
  });
}
