// The lab terminal: a pseudoterminal where az commands run in-process against the extension's
// lab, as the signed-in learner. Changes show in the Resources tree at once (the engine's
// change events drive it). Output uses the 16 basic ANSI colours, so it follows the theme.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import { labShell } from '../../az/labShell';
import type { ScenarioService } from '../../host/scenarios';
import { runScenarioCommand } from '../../host/scenarioCommand';
import { LineEditor } from './lineEditor';
import { StrayOptionLines } from './strayOptions';
import { diagnoseText } from '../../engine/diagnosis/diagnose';
import { formatDiagnosis } from '../../az/diagnosisReport';
import { MAX_TEXT_CHARS } from '../../engine/diagnosis/normalize';
import { BUILTINS, CLOCK_ACTIONS, completeLine } from './completion';
import { changeClock, type ClockAction } from '../../engine/operations/clock';
import { clockView } from '../../engine/readModels/clock';
import { isLabError } from '../../engine/base/errors';

const GREEN = '\x1b[32m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
const PROMPT = `${GREEN}lab${RESET} $ `;
const CONTINUATION = '> ';
const PASTE = `${DIM}…${RESET} `;

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

export const TERMINAL_HELP = [
  `${BOLD}Managed Identity Lab terminal${RESET}`,
  '',
  'Type az commands as you would in a shell; they run against this lab, signed in as the learner:',
  `  az group list -o table              ${DIM}az --help lists the command groups${RESET}`,
  '  az vm identity assign -g rg-lab -n vm-web',
  '  PRINCIPAL=$(az vm identity show -g rg-lab -n vm-web --query principalId -o tsv)',
  '  az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal \\',
  '      --role "Key Vault Secrets User" --scope <vault id>',
  `  clock advance 10m                   ${DIM}the lab clock: show, advance 5m|1h|24h…, pause, resume, real${RESET}`,
  '',
  `${BOLD}scenario${RESET} list | start ID | check | hint | solve | stop: guided scenarios, checked by the lab (scenario help).`,
  '',
  `${BOLD}diagnose${RESET}: paste an error (a stack trace, a log, a JSON body), end with an empty line; the lab says why it failed and how to fix it.`,
  '',
  `Also: ${BUILTINS.filter(b => b !== 'az').join(', ')}. Keys: Tab completes, Up/Down browse history, Ctrl+A/E start/end,`,
  'Ctrl+U/K delete to start/end, Ctrl+W delete a word, Ctrl+C cancel the line, Ctrl+L clear the screen.',
  '',
].join('\n');

export class LabTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private readonly editor = new LineEditor(PROMPT);
  private readonly variables = new Map<string, string>();
  private pending = '';
  private continued = '';
  /** Lines of an error being pasted after `diagnose`, until an empty line. */
  private pasted: string[] | undefined;
  private pastedLength = 0;
  private readonly strayOptions = new StrayOptionLines();
  private busy: Promise<void> = Promise.resolve();
  /** Everything written since the terminal opened (tests and diagnostics read it). */
  transcript = '';

  constructor(
    private readonly lab: () => Promise<Lab>,
    /** Resolves once the lab's changes are on disk; a command's output is shown only after its change is saved. */
    private readonly saved: () => Promise<void> = async () => undefined,
    private readonly scenarios: () => Promise<ScenarioService | undefined> = async () => undefined,
  ) {}

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    if (dimensions) this.editor.columns = dimensions.columns;
    this.busy = this.busy.then(async () => {
      try {
        const lab = await this.lab();
        this.write(`${BOLD}Managed Identity Lab${RESET} — az against the lab, signed in as ${lab.directory.user.userPrincipalName}\r\n`);
        this.write(
          `Subscription ${lab.arm.subscriptions[0]?.displayName} (${lab.defaultSubscriptionId}). Type ${BOLD}help${RESET} to begin.\r\n\r\n`,
        );
      } catch (error) {
        this.write(`\x1b[91mThe lab could not start: ${(error as Error).message}\x1b[0m\r\n`);
      }
      this.write(this.editor.redrawFresh());
    });
  }

  close(): void {
    this.written.dispose();
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.editor.columns = dimensions.columns;
  }

  /** Input is handled strictly in order; a line runs before the keys typed after it are drawn. */
  handleInput(data: string): void {
    this.busy = this.busy.then(() => this.process(data));
  }

  /** Resolves once everything typed so far has been handled. */
  whenIdle(): Promise<void> {
    return this.busy;
  }

  private write(text: string): void {
    this.transcript += text;
    this.written.fire(text);
  }

  private async process(data: string): Promise<void> {
    this.pending += data;
    while (this.pending) {
      const end = this.pending.search(/[\r\n]/);
      const take = end === -1 ? this.pending.length : end + (this.pending.startsWith('\r\n', end) ? 2 : 1);
      const chunk = this.pending.slice(0, take);
      this.pending = this.pending.slice(take);
      const { output, events } = this.editor.handle(chunk);
      this.write(output);
      for (const event of events) await this.onEvent(event);
    }
  }

  private async onEvent(event: ReturnType<LineEditor['handle']>['events'][number]): Promise<void> {
    switch (event.kind) {
      case 'submit':
        return this.submit(event.line);
      case 'interrupt':
        this.continued = '';
        this.pasted = undefined;
        this.editor.prompt = PROMPT;
        this.write(this.editor.redrawFresh());
        return;
      case 'clearScreen':
        this.write(`\x1b[2J\x1b[3J\x1b[H${this.editor.redrawFresh()}`);
        return;
      case 'endOfInput':
        this.write('exit\r\n');
        this.closed.fire(0);
        return;
      case 'complete': {
        if (this.pasted) {
          // A tab in a pasted error is text, not a completion request.
          this.write(this.editor.replace(`${event.before}    ${event.after}`, event.before.length + 4));
          return;
        }
        const completion = completeLine(this.continued + event.before);
        if (completion.insert) {
          this.write(this.editor.replace(event.before + completion.insert + event.after, event.before.length + completion.insert.length));
        } else if (completion.candidates.length) {
          this.write(`\r\n${completion.candidates.join('  ')}\r\n${this.editor.redrawFresh()}`);
        }
        return;
      }
    }
  }

  private async submit(typed: string): Promise<void> {
    if (this.pasted) return this.collect(typed);
    if (/(^|[^\\])(\\\\)*\\$/.test(typed)) {
      this.continued += `${typed.slice(0, -1)} `;
      this.editor.prompt = CONTINUATION;
      this.write(this.editor.redrawFresh());
      return;
    }
    const line = (this.continued + typed).trim();
    this.continued = '';
    this.editor.prompt = PROMPT;
    const word = line.split(/\s+/)[0] ?? '';
    if (word === 'exit') {
      this.closed.fire(0);
      return;
    }
    if (word === 'clear') {
      this.write(`\x1b[2J\x1b[3J\x1b[H${this.editor.redrawFresh()}`);
      return;
    }
    if (word === 'diagnose') {
      this.pasted = [];
      this.pastedLength = 0;
      this.editor.prompt = PASTE;
      this.write(`Paste the error, then press Enter on an empty line (Ctrl+C cancels).\r\n${this.editor.redrawFresh()}`);
      return;
    }
    const stray = this.strayOptions.report(word);
    if (word === 'help') this.write(crlf(TERMINAL_HELP));
    else if (word === 'clock' || (word === 'milab' && line.split(/\s+/)[1] === 'clock')) await this.clock(line);
    else if (stray) {
      this.write(crlf(`${stray.notFound}\n${stray.hint ? `${DIM}${stray.hint}${RESET}\n` : ''}`));
    } else if (line) {
      try {
        const lab = await this.lab();
        const scenarios = await this.scenarios();
        const commands: Record<string, (words: string[]) => ReturnType<typeof runScenarioCommand>> = scenarios
          ? { scenario: words => runScenarioCommand(scenarios, words) }
          : {};
        const result = await labShell(lab, line, this.variables, commands, { columns: this.editor.columns, color: true });
        let saveFailure: string | undefined;
        await this.saved().catch((error: Error) => (saveFailure = error.message));
        this.write(crlf(result.stdout));
        if (result.stdout && !result.stdout.endsWith('\n')) this.write('\r\n');
        this.write(crlf(result.stderr));
        if (saveFailure) this.write(`\x1b[91mERROR: ${saveFailure}\x1b[0m\r\n`);
      } catch (error) {
        this.write(`\x1b[91mThe lab could not run that: ${(error as Error).message}\x1b[0m\r\n`);
      }
    }
    this.write(this.editor.redrawFresh());
  }

  /** One line of a pasted error; an empty line ends the paste and diagnoses it, as `milab diagnose` does. */
  private async collect(line: string): Promise<void> {
    const lines = this.pasted!;
    if (line.trim() !== '' && this.pastedLength < MAX_TEXT_CHARS) {
      lines.push(line);
      this.pastedLength += line.length + 1;
      this.write(this.editor.redrawFresh());
      return;
    }
    this.pasted = undefined;
    this.editor.prompt = PROMPT;
    if (lines.length === 0) {
      this.write(this.editor.redrawFresh());
      return;
    }
    try {
      const lab = await this.lab();
      const diagnosis = diagnoseText(lines.join('\n'), { lab });
      this.write(crlf(formatDiagnosis(diagnosis, lab, { bold: t => `${BOLD}${t}${RESET}`, dim: t => `${DIM}${t}${RESET}` })));
    } catch (error) {
      this.write(`\x1b[91mThe lab could not diagnose that: ${(error as Error).message}\x1b[0m\r\n`);
    }
    this.write(this.editor.redrawFresh());
  }

  /** `clock show|advance DURATION|pause|resume|real`, as `milab clock` takes it. */
  private async clock(line: string): Promise<void> {
    const words = line.split(/\s+/);
    const [action = 'show', duration, ...extra] = words.slice(words[0] === 'milab' ? 2 : 1);
    if (!CLOCK_ACTIONS.includes(action) || extra.length > 0 || (action !== 'advance' && duration !== undefined)) {
      this.write(crlf(`\x1b[91musage: clock show|advance DURATION|pause|resume|real (DURATION like 10m, 1h, 24h)\x1b[0m\n`));
      return;
    }
    try {
      const lab = await this.lab();
      if (action !== 'show') changeClock(lab, action as ClockAction, duration);
      this.write(crlf(`Lab time: ${clockView(lab.clock).summary}\n`));
    } catch (error) {
      if (!isLabError(error)) throw error;
      this.write(crlf(`\x1b[91m${error.message}\x1b[0m\n`));
    }
  }
}
