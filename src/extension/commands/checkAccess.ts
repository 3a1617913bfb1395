// "Check Access…": would this principal be allowed this action at this scope, and why — the
// assignments that grant it (and where they are inherited from), or what was missing and the
// least-privileged role that would grant it (kept back in learning mode until Show Hint).
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import type { Decision } from '../../engine/state/accessDecisions';
import { requireScope } from '../../engine/operations/roleAssignments';
import { lastDenial } from '../../engine/readModels/overview/denials';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, requireText } from '../input/args';
import { runFlow } from '../input/flow';
import { operationItems, principalItems, scopeItems, type PrincipalChoice } from '../input/items';
import type { CommandContext } from './context';
import { principalOf, scopeOf } from './resolve';
import { ASSIGN_ROLE, DIAGNOSE_ACCESS, SHOW_HINT } from '../commandIds';
import { SHOW_HINT as SHOW_HINT_TITLE, withholdFromText } from '../../engine/scenarios/learning';
import { withholding } from '../diagnosis/learning';

export interface CheckAccessArgs {
  principalId: string;
  /** e.g. Microsoft.KeyVault/vaults/secrets/getSecret/action */
  action: string;
  scope: string;
}

const TITLE = 'Check Access';
const EXPLAIN = 'Diagnose…';

async function ask(lab: Lab, known: Partial<CheckAccessArgs>): Promise<CheckAccessArgs | undefined> {
  const answers = { ...known };
  const done = await runFlow([
    {
      applies: () => !known.principalId,
      ask: async (input, at) => {
        answers.principalId = (
          (
            await input.showQuickPick({
              title: TITLE,
              ...at,
              items: principalItems(lab),
              placeholder: 'Whose access?',
              matchOnDetail: true,
            })
          ).value as PrincipalChoice
        ).principalId;
      },
    },
    {
      ask: async (input, at) => {
        const denied = lastDenial(lab, answers.principalId!);
        answers.action = (
          await input.showQuickPick({
            title: TITLE,
            ...at,
            items: operationItems(denied?.action),
            placeholder: 'To do what?',
            matchOnDetail: true,
          })
        ).value;
        if (!known.scope && denied && denied.action === answers.action) answers.scope = denied.scope;
      },
    },
    {
      applies: () => !known.scope,
      ask: async (input, at) => {
        answers.scope = (
          await input.showQuickPick({
            title: TITLE,
            ...at,
            items: scopeItems(lab, answers.scope),
            placeholder: 'On what (scope)?',
            matchOnDetail: true,
          })
        ).value;
      },
    },
  ]);
  return done ? (answers as CheckAccessArgs) : undefined;
}

export async function checkAccess(ctx: CommandContext, input: unknown): Promise<CommandOutcome<Decision> | undefined> {
  const lab = await ctx.lab();
  let args: CheckAccessArgs | undefined;
  const parsed = classify<CheckAccessArgs>(input);
  if (parsed.from === 'args') {
    args = {
      principalId: requireText(parsed.args, 'principalId', 'the object id whose access to check'),
      action: requireText(parsed.args, 'action', 'an action such as Microsoft.KeyVault/vaults/secrets/getSecret/action'),
      scope: requireText(parsed.args, 'scope', 'the ARM id to check access on'),
    };
  } else {
    const known: Partial<CheckAccessArgs> = {};
    if (parsed.from === 'node') {
      const scope = scopeOf(parsed.node);
      const principal = scope ? undefined : principalOf(lab, parsed.node);
      if (scope) known.scope = scope;
      if (principal) known.principalId = principal;
    }
    args = await ask(lab, known);
  }
  if (!args) return undefined;
  requireScope(lab, args.scope);
  if (!lab.directory.principal(args.principalId)) {
    throw new ArgumentError(
      `No principal with object id '${args.principalId}' exists in the directory (a deleted identity has no access at all).`,
    );
  }
  const a = args;
  const decision = lab.access.decide({
    principalId: a.principalId,
    action: a.action,
    scope: a.scope,
    groupIds: lab.directory.memberOf(a.principalId),
  });
  const who = lab.directory.principal(a.principalId)!.displayName;
  ctx.feedback.log.info(`Check access for ${who}: ${decision.summary}`);
  for (const g of decision.grants) {
    ctx.feedback.log.info(`  granted by ${g.roleName} at ${g.scope}${g.inherited ? ' (inherited)' : ''} via ${g.grantedBy}`);
  }
  for (const c of decision.considered) ctx.feedback.log.info(`  ${c.roleName} at ${c.scope}: ${c.reason}`);
  // Learning mode keeps the least-privileged role back until Show Hint.
  const withheld = !decision.allowed && decision.suggestion !== undefined && withholding(lab);
  const text = `${who}: ${withheld ? withholdFromText(decision.summary, [decision.suggestion!.roleName]) : decision.summary}`;
  // Kept where it can be read: the Diagnosis panel shows the decision, its reasons and its fixes (the toast goes away).
  void vscode.commands.executeCommand(DIAGNOSE_ACCESS, { principalId: a.principalId, action: a.action, scope: a.scope });
  const fix = withheld ? SHOW_HINT_TITLE : decision.suggestion ? `Assign ${decision.suggestion.roleName}` : undefined;
  ctx.feedback.shown.push(
    decision.allowed ? { severity: 'info', text } : { severity: 'warning', text, buttons: [...(fix ? [fix] : []), EXPLAIN] },
  );
  const shown = decision.allowed
    ? vscode.window.showInformationMessage(text)
    : vscode.window.showWarningMessage(text, ...(fix ? [fix] : []), EXPLAIN);
  void Promise.resolve(shown).then(choice => {
    // The same denial as a diagnosis: explanation, evidence, fixes with their az lines (and back to Check Access from there).
    if (choice === EXPLAIN) {
      void vscode.commands.executeCommand(DIAGNOSE_ACCESS, { principalId: a.principalId, action: a.action, scope: a.scope });
    }
    if (choice && choice === fix && withheld) {
      void vscode.commands.executeCommand(SHOW_HINT, { principalId: a.principalId, action: a.action, scope: a.scope });
    } else if (choice && choice === fix && decision.suggestion) {
      void vscode.commands.executeCommand(ASSIGN_ROLE, {
        principalId: a.principalId,
        role: decision.suggestion.roleName,
        scope: decision.suggestion.scope,
      });
    }
  });
  return { ok: true, value: decision, message: text };
}
