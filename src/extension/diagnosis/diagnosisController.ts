// The Diagnosis commands and what the panel's buttons do: diagnose a pasted error (from the
// palette, the editor's or a terminal's selection, or the clipboard when it holds one), "Why did
// this fail?" for a failed trace, least privilege for a principal, the Check Access decision as a
// diagnosis; run a fix (then the same request again, so Token Flow shows it succeed), reproduce
// a finding in the lab. Every change goes through the engine's operations, as the learner.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import type { Diagnosis, Finding } from '../../engine/diagnosis/model';
import { diagnoseDecision, diagnoseText, diagnoseTrace } from '../../engine/diagnosis/diagnose';
import { leastPrivilege } from '../../engine/diagnosis/leastPrivilege';
import { reproduce } from '../../engine/diagnosis/reproduce';
import { isCategory } from '../../engine/diagnosis/categories';
import { describeWorkload, runWorkload } from '../../host/workload';
import { requireScope } from '../../engine/operations/roleAssignments';
import type { FromDiagnosisWebview } from '../../webview/diagnosis/protocol';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, optionalText, requireText } from '../input/args';
import type { CommandContext } from '../commands/context';
import { principalOf } from '../commands/resolve';
import { ASSIGN_ROLE, CHECK_ACCESS, SHOW_TRACE } from '../commandIds';
import { hasAnswer, hintSentence, SHOW_HINT, withholdFromFinding } from '../../engine/scenarios/learning';
import { scopeWords } from '../../engine/diagnosis/fixes';
import { withholding } from './learning';
import { DiagnosisPanel } from './diagnosisPanel';
import { findingView, leastPrivilegeFinding } from './view';
import { runFindingFix } from './runFix';

export interface DiagnosisSummary {
  findings: Array<{ category: string; title: string; fixes: string[] }>;
}

const summary = (findings: readonly Finding[]): DiagnosisSummary => ({
  findings: findings.map(f => ({ category: f.category, title: f.title, fixes: f.fixes.map(x => x.title) })),
});

/** Long enough, and naming something the diagnosis recognises: what the clipboard must hold to be used unasked. */
export function holdsAnError(text: string): boolean {
  return text.trim().length >= 12 && diagnoseText(text.slice(0, 200_000)).findings[0]!.category !== 'unknown';
}

/** The clipboard's text, or '' when the browser (code-server) does not let the extension read it in time. */
async function readClipboard(): Promise<string> {
  const timeout = new Promise<string>(resolve => setTimeout(() => resolve(''), 1500));
  return Promise.race([Promise.resolve(vscode.env.clipboard.readText()).catch(() => ''), timeout]);
}

/** The answer a hint gives: the role, where, for which action. */
export interface Hint {
  role: string;
  scope: string;
  action: string;
  text: string;
}

export class DiagnosisController {
  /** The findings as shown (learning mode may have kept the answer back): fix buttons index these. */
  private findings: Finding[] = [];
  /** The findings in full, and the panel's heading and text: what Show Hint reveals. */
  private shownAs: { heading: string; findings: Finding[]; text?: string } | undefined;

  constructor(
    private readonly ctx: CommandContext,
    readonly panel: DiagnosisPanel,
  ) {
    panel.onMessage = message => void this.onMessage(message).catch(error => this.failed('Diagnosis', error));
  }

  private async lab(): Promise<Lab> {
    return this.ctx.lab();
  }

  private show(lab: Lab, heading: string, diagnosis: Pick<Diagnosis, 'findings'>, text?: string, hintAsked = false): void {
    this.shownAs = { heading, findings: diagnosis.findings, ...(text !== undefined ? { text } : {}) };
    const withheld = withholding(lab, hintAsked) && hasAnswer(diagnosis.findings);
    this.findings = withheld ? diagnosis.findings.map(withholdFromFinding) : diagnosis.findings;
    this.panel.show({
      heading,
      ...(text !== undefined ? { text } : {}),
      findings: this.findings.map((f, i) => {
        const view = findingView(lab, f, i);
        if (!withheld || diagnosis.findings[i]!.fixes.length === f.fixes.length) return view;
        // "Least privilege for this principal" would give the answer too: the hint button stands in for it.
        const { leastPrivilegeFor: _answer, ...rest } = view;
        return { ...rest, hint: SHOW_HINT };
      }),
    });
  }

  /**
   * "Show Hint": the least-privileged role learning mode kept back — for a trace (`{ traceId }`), a
   * Check Access question (`{ principalId, action, scope }`), or, from the palette, the latest denial.
   * The Diagnosis panel, when open with an answer kept back, shows its findings in full (a closed one stays closed).
   */
  async showHint(input: unknown): Promise<CommandOutcome<Hint>> {
    const lab = await this.lab();
    try {
      const parsed = classify<{ traceId: string; principalId: string; action: string; scope: string }>(input);
      const hint =
        parsed.from === 'args' && parsed.args.principalId !== undefined ? this.accessHint(lab, parsed.args) : this.traceHint(lab, parsed);
      if (this.panel.isOpen && this.shownAs && this.shownAs.findings !== this.findings) {
        this.show(lab, this.shownAs.heading, this.shownAs, this.shownAs.text, true);
      }
      const assign = `Assign ${hint.role}`;
      void Promise.resolve(vscode.window.showInformationMessage(hint.text, assign)).then(choice => {
        if (choice === assign) {
          void vscode.commands.executeCommand(ASSIGN_ROLE, { principalId: hint.principalId, role: hint.role, scope: hint.scope });
        }
      });
      this.ctx.feedback.log.info(hint.text);
      this.ctx.feedback.shown.push({ severity: 'info', text: hint.text, buttons: [assign] });
      return { ok: true, value: { role: hint.role, scope: hint.scope, action: hint.action, text: hint.text }, message: hint.text };
    } catch (error) {
      return this.ctx.feedback.failed('Show hint', error);
    }
  }

  private accessHint(lab: Lab, args: Partial<{ principalId: string; action: string; scope: string }>): Hint & { principalId: string } {
    const principalId = requireText(args, 'principalId', 'the object id that was denied');
    const action = requireText(args, 'action', 'the action it was denied');
    const scope = requireText(args, 'scope', 'the scope it was denied at');
    requireScope(lab, scope);
    if (!lab.directory.principal(principalId)) {
      throw new ArgumentError(`No principal with object id '${principalId}' exists in the directory.`);
    }
    const decision = lab.access.decide({ principalId, action, scope, groupIds: lab.directory.memberOf(principalId) });
    if (decision.allowed) throw new ArgumentError(`There is nothing to hint at: ${decision.summary}`);
    if (!decision.suggestion) throw new ArgumentError(`No built-in role grants ${action}: a custom role would.`);
    const { roleName: role, scope: where } = decision.suggestion;
    return { principalId, role, scope: where, action, text: hintSentence(role, action, scopeWords(lab, where)) };
  }

  private traceHint(lab: Lab, parsed: ReturnType<typeof classify<{ traceId: string }>>): Hint & { principalId: string } {
    const traceId =
      parsed.from === 'args'
        ? requireText(parsed.args, 'traceId', 'the id of a failed request (or principalId, action and scope)')
        : parsed.from === 'node' && parsed.node.kind === 'trace'
          ? parsed.node.traceId
          : [...lab.traces.all].reverse().find(t => t.outcome === 'failure' && t.status === 403)?.id;
    if (!traceId) throw new ArgumentError('There is no denied request to give a hint for yet: run one that is refused with 403 first.');
    const trace = lab.traces.byId(traceId);
    if (!trace) throw new ArgumentError(`There is no trace '${traceId}' any more.`);
    for (const finding of diagnoseTrace(lab, trace).findings) {
      const fix = finding.fixes.find(f => f.action?.kind === 'createRoleAssignment');
      if (fix?.action?.kind !== 'createRoleAssignment') continue;
      const action = finding.evidence.find(e => e.label === 'action')?.value ?? 'what was denied';
      const { role, scope, principalId } = fix.action;
      return { principalId, role, scope, action, text: hintSentence(role, action, scopeWords(lab, scope)) };
    }
    throw new ArgumentError(`'${trace.title}' was not refused for a missing role: the hint is in its diagnosis (Why Did This Fail?).`);
  }

  private failed(action: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.panel.status(`${action}: ${message}`, 'error');
    this.ctx.feedback.failed(action, error);
  }

  /** "Diagnose Error…": the text given, else the editor's selection, else the clipboard when it holds an error, else an empty paste box. */
  async diagnoseError(input: unknown): Promise<CommandOutcome<DiagnosisSummary> | undefined> {
    const lab = await this.lab();
    let text: string | undefined;
    try {
      const parsed = classify<{ text: string }>(input instanceof vscode.Uri ? undefined : input);
      if (parsed.from === 'args') text = requireText(parsed.args, 'text', 'the error text to diagnose');
    } catch (error) {
      return this.ctx.feedback.failed('Diagnose error', error);
    }
    const editor = vscode.window.activeTextEditor;
    if (text === undefined && editor && !editor.selection.isEmpty) text = editor.document.getText(editor.selection);
    if (text === undefined) {
      const clipboard = await readClipboard();
      if (holdsAnError(clipboard)) text = clipboard;
    }
    if (text === undefined) {
      this.panel.show({ heading: 'Diagnose an error', findings: [] });
      return undefined;
    }
    return this.diagnose(lab, text);
  }

  /** The terminal's context menu: its selection, copied the way VS Code copies it. */
  async diagnoseTerminalSelection(): Promise<CommandOutcome<DiagnosisSummary> | undefined> {
    await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
    const text = await readClipboard();
    if (!text.trim()) return this.diagnoseError(undefined);
    return this.diagnose(await this.lab(), text);
  }

  private diagnose(lab: Lab, text: string): CommandOutcome<DiagnosisSummary> {
    const diagnosis = diagnoseText(text, { lab });
    this.show(lab, 'Diagnosis of the pasted error', diagnosis, text.length > 200_000 ? `${text.slice(0, 200_000)}…` : text);
    const best = diagnosis.findings[0]!;
    this.ctx.feedback.log.info(`Diagnosis: ${best.category} — ${best.title}`);
    return { ok: true, value: summary(diagnosis.findings), message: `${best.category}: ${best.title}` };
  }

  /** "Why did this fail?" for a trace (an Activity item, the diagram on screen, or `{ traceId }`). */
  async whyDidThisFail(input: unknown): Promise<CommandOutcome<DiagnosisSummary> | undefined> {
    const lab = await this.lab();
    try {
      const parsed = classify<{ traceId: string }>(typeof input === 'string' ? { traceId: input } : input);
      const traceId =
        parsed.from === 'args'
          ? requireText(parsed.args, 'traceId', 'the id of a trace')
          : parsed.from === 'node' && parsed.node.kind === 'trace'
            ? parsed.node.traceId
            : this.ctx.tokenFlow.currentTraceId;
      if (!traceId) throw new ArgumentError('There is no request to diagnose yet: run one, then ask why it failed.');
      const trace = lab.traces.byId(traceId);
      if (!trace) throw new ArgumentError(`There is no trace '${traceId}' any more.`);
      const diagnosis = diagnoseTrace(lab, trace);
      this.show(lab, `Why did this fail? — ${trace.title}`, diagnosis);
      const best = diagnosis.findings[0]!;
      return { ok: true, value: summary(diagnosis.findings), message: `${best.category}: ${best.title}` };
    } catch (error) {
      return this.ctx.feedback.failed('Why did this fail', error);
    }
  }

  /** Least privilege for a principal (an identity in the tree, or `{ principalId }`). */
  async suggestLeastPrivilege(input: unknown): Promise<CommandOutcome<DiagnosisSummary> | undefined> {
    const lab = await this.lab();
    try {
      const parsed = classify<{ principalId: string }>(input);
      const principalId =
        parsed.from === 'args'
          ? requireText(parsed.args, 'principalId', 'the object id of the identity')
          : parsed.from === 'node'
            ? principalOf(lab, parsed.node)
            : await this.pickPrincipal(lab);
      if (!principalId) return undefined;
      if (!lab.directory.principal(principalId)) {
        throw new ArgumentError(`No principal with object id '${principalId}' exists in the directory.`);
      }
      const finding = leastPrivilegeFinding(leastPrivilege(lab, principalId));
      this.show(lab, finding.title, { findings: [finding] });
      return { ok: true, value: summary([finding]), message: finding.explanation };
    } catch (error) {
      return this.ctx.feedback.failed('Least privilege', error);
    }
  }

  private async pickPrincipal(lab: Lab): Promise<string | undefined> {
    const items = lab.directory.servicePrincipals.map(sp => ({
      label: sp.displayName,
      description: sp.servicePrincipalType,
      detail: sp.objectId,
      id: sp.objectId,
    }));
    const chosen = await vscode.window.showQuickPick(items, {
      title: 'Least Privilege',
      placeHolder: 'Whose access, from what it did?',
      matchOnDetail: true,
    });
    return chosen?.id;
  }

  /** Check Access's denial, as a diagnosis (`{ principalId, action, scope }`). */
  async diagnoseAccess(input: unknown): Promise<CommandOutcome<DiagnosisSummary> | undefined> {
    const lab = await this.lab();
    try {
      const parsed = classify<{ principalId: string; action: string; scope: string }>(input);
      if (parsed.from !== 'args') throw new ArgumentError('Expected { principalId, action, scope }.');
      const args = {
        principalId: requireText(parsed.args, 'principalId', 'the object id whose access to diagnose'),
        action: requireText(parsed.args, 'action', 'the action'),
        scope: requireText(parsed.args, 'scope', 'the scope'),
        plane: optionalText(parsed.args, 'plane', "'data' or 'control'"),
      };
      requireScope(lab, args.scope);
      const decision = lab.access.decide({
        principalId: args.principalId,
        action: args.action,
        scope: args.scope,
        ...(args.plane === 'data' || args.plane === 'control' ? { plane: args.plane } : {}),
        groupIds: lab.directory.memberOf(args.principalId),
      });
      const diagnosis = diagnoseDecision(lab, decision);
      this.show(lab, `Diagnosis of Check Access: ${decision.action}`, diagnosis);
      return { ok: true, value: summary(diagnosis.findings), message: diagnosis.findings[0]!.title };
    } catch (error) {
      return this.ctx.feedback.failed('Diagnose access', error);
    }
  }

  private async onMessage(message: FromDiagnosisWebview): Promise<void> {
    const lab = await this.lab();
    switch (message.type) {
      case 'diagnose':
        if (!message.text.trim()) return this.panel.status('Paste an error first.', 'info');
        this.diagnose(lab, message.text);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        this.panel.status('Copied the az command.', 'info');
        return;
      case 'fix':
        await this.runFix(message.finding, message.fix);
        return;
      case 'reproduce':
        await this.reproduce(message.finding);
        return;
      case 'checkAccess': {
        const access = findingView(lab, this.finding(message.finding), message.finding).checkAccess;
        if (access) await vscode.commands.executeCommand(CHECK_ACCESS, access);
        return;
      }
      case 'leastPrivilege': {
        const principalId = findingView(lab, this.finding(message.finding), message.finding).leastPrivilegeFor;
        if (principalId) await this.suggestLeastPrivilege({ principalId });
        return;
      }
      case 'hint': {
        const shown = this.shownAs;
        if (shown) this.show(lab, shown.heading, shown, shown.text, true);
        return;
      }
      case 'showTrace': {
        const traceId = this.finding(message.finding).traceId;
        if (traceId) await vscode.commands.executeCommand(SHOW_TRACE, { traceId });
        return;
      }
    }
  }

  private finding(index: number): Finding {
    const finding = this.findings[index];
    if (!finding) throw new ArgumentError('That finding is no longer shown.');
    return finding;
  }

  /** Runs a fix; after a change to the lab, runs the finding's request again (its rerun fix), so Token Flow shows the result. */
  async runFix(findingIndex: number, fixIndex: number): Promise<CommandOutcome<string>> {
    try {
      const finding = this.finding(findingIndex);
      this.panel.busy(true);
      const run = await runFindingFix(this.ctx, finding, finding.fixes[fixIndex]);
      this.panel.status(run.message, run.ok ? 'success' : 'error');
      return this.ctx.feedback.succeeded(run.message, run.message, run.az, run.ok ? 'info' : 'warning');
    } catch (error) {
      this.panel.status(`Fix: ${error instanceof Error ? error.message : String(error)}`, 'error');
      return this.ctx.feedback.failed('Run fix', error);
    } finally {
      this.panel.busy(false);
    }
  }

  /** "Reproduce in the lab": build the situation, run the request (drawn in Token Flow), diagnose its trace. */
  async reproduce(findingIndex: number): Promise<CommandOutcome<DiagnosisSummary>> {
    const host = await this.ctx.host();
    const lab = host.lab;
    try {
      const category = this.finding(findingIndex).category;
      if (!isCategory(category)) throw new ArgumentError(`'${category}' is not a category.`);
      this.panel.busy(true);
      const reproduction = await reproduce(lab, category);
      this.ctx.tokenFlow.show();
      const result = await runWorkload(lab, host.server, reproduction.workload);
      const trace = result.traceId ? lab.traces.byId(result.traceId) : undefined;
      if (!trace) throw new ArgumentError('The reproduction ran, but its trace is not kept.');
      const diagnosis = diagnoseTrace(lab, trace, { workload: reproduction.workload });
      this.show(lab, `Reproduced in the lab — ${trace.title}`, diagnosis);
      this.panel.status(
        `Built: ${reproduction.built.join('; ')}. ${describeWorkload(lab, reproduction.workload)}: ${result.status} ` +
          `${result.errorCode ?? ''}. "Undo Last Destructive Action" takes it all back.`,
        'info',
      );
      return { ok: true, value: summary(diagnosis.findings), message: `Reproduced ${category}` };
    } catch (error) {
      this.failed('Reproduce', error);
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      this.panel.busy(false);
    }
  }
}
