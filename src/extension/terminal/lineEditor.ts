// The editable command line of the lab terminal, independent of VS Code: it turns the bytes a
// terminal sends (keys, escape sequences, pastes) into edits of one line, and gives back the
// bytes that redraw it — wrapped lines included. Bash-like keys: arrows, Home/End, Backspace,
// Delete, Ctrl+A/E/U/K/W, history with Up/Down.

export type EditorEvent =
  | { kind: 'submit'; line: string }
  | { kind: 'interrupt' }
  | { kind: 'clearScreen' }
  | { kind: 'complete'; before: string; after: string }
  | { kind: 'endOfInput' };

const ESCAPES: Record<string, string> = {
  '\x1b[A': 'up',
  '\x1b[B': 'down',
  '\x1b[C': 'right',
  '\x1b[D': 'left',
  '\x1b[H': 'home',
  '\x1b[F': 'end',
  '\x1bOH': 'home',
  '\x1bOF': 'end',
  '\x1b[1~': 'home',
  '\x1b[4~': 'end',
  '\x1b[3~': 'delete',
  '\x1bOA': 'up',
  '\x1bOB': 'down',
  '\x1bOC': 'right',
  '\x1bOD': 'left',
};

/** The width a string takes on screen (ANSI colour codes take none). */
export const visibleLength = (text: string): number => text.replace(/\x1b\[[0-9;]*m/g, '').length;

export class LineEditor {
  private buffer = '';
  private cursor = 0;
  private readonly history: string[] = [];
  private historyIndex = 0;
  /** The line being typed before browsing history, restored when coming back down. */
  private draft = '';
  /** The screen row (relative to the prompt's) the cursor is on. */
  private cursorRow = 0;
  columns = 80;

  constructor(public prompt: string) {}

  get line(): string {
    return this.buffer;
  }

  get position(): number {
    return this.cursor;
  }

  /** Feeds terminal input; returns the bytes to write and what happened. */
  handle(data: string): { output: string; events: EditorEvent[] } {
    const events: EditorEvent[] = [];
    let output = '';
    let i = 0;
    while (i < data.length) {
      const rest = data.slice(i);
      const escape = Object.keys(ESCAPES).find(e => rest.startsWith(e));
      if (escape) {
        output += this.key(ESCAPES[escape]!);
        i += escape.length;
        continue;
      }
      if (rest.startsWith('\x1b')) {
        // An escape sequence the editor does not use (function keys…): skip it whole.
        const unknown = /^\x1b(?:\[[0-9;?]*[ -/]*[@-~]|O.|.)?/.exec(rest)![0];
        i += Math.max(1, unknown.length);
        continue;
      }
      const c = data[i]!;
      i++;
      switch (c) {
        case '\r':
        case '\n': {
          if (c === '\n' && data[i - 2] === '\r') break;
          const line = this.buffer;
          output += this.moveToEnd() + '\r\n';
          this.remember(line);
          this.reset();
          events.push({ kind: 'submit', line });
          break;
        }
        case '\x7f':
        case '\b':
          if (this.cursor > 0) output += this.edit(this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor), this.cursor - 1);
          break;
        case '\x01':
          output += this.key('home');
          break;
        case '\x05':
          output += this.key('end');
          break;
        case '\x15':
          output += this.edit(this.buffer.slice(this.cursor), 0);
          break;
        case '\x0b':
          output += this.edit(this.buffer.slice(0, this.cursor), this.cursor);
          break;
        case '\x17': {
          const start = this.buffer.slice(0, this.cursor).replace(/\S+\s*$|\s+$/, '').length;
          output += this.edit(this.buffer.slice(0, start) + this.buffer.slice(this.cursor), start);
          break;
        }
        case '\x03':
          output += this.moveToEnd() + '^C\r\n';
          this.reset();
          events.push({ kind: 'interrupt' });
          break;
        case '\x0c':
          events.push({ kind: 'clearScreen' });
          break;
        case '\x04':
          if (this.buffer === '') events.push({ kind: 'endOfInput' });
          else output += this.key('delete');
          break;
        case '\t':
          events.push({ kind: 'complete', before: this.buffer.slice(0, this.cursor), after: this.buffer.slice(this.cursor) });
          break;
        default:
          if (c >= ' ') output += this.edit(this.buffer.slice(0, this.cursor) + c + this.buffer.slice(this.cursor), this.cursor + 1);
      }
    }
    return { output, events };
  }

  /** Replaces the line (completion, history) and returns the redraw. */
  replace(line: string, cursor = line.length): string {
    return this.edit(line, cursor);
  }

  /** The prompt and the current line drawn afresh on a new line (after output or a listing). */
  redrawFresh(): string {
    this.cursorRow = 0;
    return this.draw();
  }

  private key(name: string): string {
    switch (name) {
      case 'left':
        return this.cursor > 0 ? this.edit(this.buffer, this.cursor - 1) : '';
      case 'right':
        return this.cursor < this.buffer.length ? this.edit(this.buffer, this.cursor + 1) : '';
      case 'home':
        return this.edit(this.buffer, 0);
      case 'end':
        return this.edit(this.buffer, this.buffer.length);
      case 'delete':
        return this.cursor < this.buffer.length
          ? this.edit(this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1), this.cursor)
          : '';
      case 'up':
        if (this.historyIndex === 0) return '';
        if (this.historyIndex === this.history.length) this.draft = this.buffer;
        this.historyIndex--;
        return this.edit(this.history[this.historyIndex]!, this.history[this.historyIndex]!.length);
      case 'down': {
        if (this.historyIndex >= this.history.length) return '';
        this.historyIndex++;
        const line = this.historyIndex === this.history.length ? this.draft : this.history[this.historyIndex]!;
        return this.edit(line, line.length);
      }
      default:
        return '';
    }
  }

  private remember(line: string): void {
    if (line.trim() && this.history[this.history.length - 1] !== line) this.history.push(line);
    this.historyIndex = this.history.length;
    this.draft = '';
  }

  private reset(): void {
    this.buffer = '';
    this.cursor = 0;
    this.cursorRow = 0;
  }

  private edit(buffer: string, cursor: number): string {
    this.buffer = buffer;
    this.cursor = Math.max(0, Math.min(cursor, buffer.length));
    return this.draw();
  }

  /** Goes back to where the prompt starts, clears to the end of the screen, writes prompt + line, places the cursor. */
  private draw(): string {
    const cols = Math.max(1, this.columns);
    let out = (this.cursorRow > 0 ? `\x1b[${this.cursorRow}A` : '') + '\r\x1b[J' + this.prompt + this.buffer;
    const promptWidth = visibleLength(this.prompt);
    const end = promptWidth + this.buffer.length;
    let endRow = Math.floor(end / cols);
    // At an exact multiple of the width the terminal has not wrapped yet: make it.
    if (end > 0 && end % cols === 0) out += ' \r\x1b[K';
    else if (end === 0) endRow = 0;
    const target = promptWidth + this.cursor;
    const targetRow = Math.floor(target / cols);
    const targetCol = target % cols;
    if (endRow > targetRow) out += `\x1b[${endRow - targetRow}A`;
    out += '\r' + (targetCol > 0 ? `\x1b[${targetCol}C` : '');
    this.cursorRow = targetRow;
    return out;
  }

  private moveToEnd(): string {
    const cols = Math.max(1, this.columns);
    const end = visibleLength(this.prompt) + this.buffer.length;
    const endRow = Math.floor(end / cols);
    const down = endRow - this.cursorRow;
    return down > 0 ? `\x1b[${down}B` : '';
  }
}
