// The lab terminal's line editing and completion, with the editor's output drawn on a small
// screen model (the escape sequences it uses, with xterm's wrapping) to check what a learner sees.
import * as assert from 'node:assert/strict';
import { LineEditor } from '../../../src/extension/terminal/lineEditor';
import { completeLine } from '../../../src/extension/terminal/completion';

/** Enough of xterm for the editor: printable text with auto-wrap (deferred at the margin), CR, LF, CUU/CUD/CUF, ED, EL, SGR. */
class Screen {
  rows: string[][] = [[]];
  row = 0;
  col = 0;
  private pendingWrap = false;
  constructor(readonly cols: number) {}

  write(data: string): void {
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!;
      if (c === '\x1b') {
        const m = /^\x1b\[(\d*)([A-Za-z])/.exec(data.slice(i))!;
        const n = Number(m[1] || '1');
        if (m[2] === 'A') this.row = Math.max(0, this.row - n);
        if (m[2] === 'B') this.row += n;
        if (m[2] === 'C') this.col = Math.min(this.cols - 1, this.col + n);
        if (m[2] === 'J') this.rows = this.rows.slice(0, this.row + 1).map((r, k) => (k === this.row ? r.slice(0, this.col) : r));
        if (m[2] === 'K') this.line().splice(this.col);
        this.pendingWrap = false;
        i += m[0].length - 1;
      } else if (c === '\r') {
        this.col = 0;
        this.pendingWrap = false;
      } else if (c === '\n') {
        this.row++;
        this.pendingWrap = false;
      } else {
        if (this.pendingWrap) {
          this.row++;
          this.col = 0;
          this.pendingWrap = false;
        }
        this.line()[this.col] = c;
        if (this.col === this.cols - 1) this.pendingWrap = true;
        else this.col++;
      }
    }
  }

  private line(): string[] {
    while (this.rows.length <= this.row) this.rows.push([]);
    return this.rows[this.row]!;
  }

  /** The rows as text, without the empty rows below the last one written. */
  text(): string[] {
    const rows = this.rows.map(r =>
      Array.from(r, c => c ?? ' ')
        .join('')
        .trimEnd(),
    );
    while (rows.length > 1 && rows[rows.length - 1] === '') rows.pop();
    return rows;
  }
}

function session(cols = 20, prompt = '$ ') {
  const editor = new LineEditor(prompt);
  editor.columns = cols;
  const screen = new Screen(cols);
  screen.write(editor.redrawFresh());
  const type = (data: string) => {
    const { output, events } = editor.handle(data);
    screen.write(output);
    return events;
  };
  return { editor, screen, type };
}

describe('lab terminal: line editing', () => {
  it('edits like bash: arrows, Home/End, Backspace/Delete, Ctrl+A/E/U/K/W', () => {
    const { editor, type } = session(80);
    type('az grop list');
    type('\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D'); // six lefts: after "gro"
    type('u');
    assert.equal(editor.line, 'az group list');
    type('\x01'); // Ctrl+A
    assert.equal(editor.position, 0);
    type('\x1b[3~\x1b[3~\x1b[3~'); // three Deletes remove "az "
    assert.equal(editor.line, 'group list');
    type('\x05\x7f\x7f'); // Ctrl+E, two Backspaces
    assert.equal(editor.line, 'group li');
    type('\x17'); // Ctrl+W deletes the last word
    assert.equal(editor.line, 'group ');
    type('\x1b[H'); // Home
    type('\x0b'); // Ctrl+K kills to the end
    assert.equal(editor.line, '');
    type('one two');
    type('\x1b[D\x1b[D\x1b[D\x15'); // Ctrl+U kills to the start
    assert.equal(editor.line, 'two');
    assert.equal(editor.position, 0);
  });

  it('submits on Enter, keeps a history for Up/Down, and restores the line being typed', () => {
    const { editor, type } = session(80);
    assert.deepEqual(type('first\r'), [{ kind: 'submit', line: 'first' }]);
    type('second\r');
    type('draft');
    type('\x1b[A');
    assert.equal(editor.line, 'second');
    type('\x1b[A\x1b[A');
    assert.equal(editor.line, 'first', 'stops at the oldest');
    type('\x1b[B\x1b[B');
    assert.equal(editor.line, 'draft', 'back down to what was being typed');
    assert.deepEqual(type('\x03'), [{ kind: 'interrupt' }]);
    assert.equal(editor.line, '');
    assert.deepEqual(type('\x0c'), [{ kind: 'clearScreen' }]);
    assert.deepEqual(type('\x04'), [{ kind: 'endOfInput' }]);
    assert.deepEqual(type('ab\t'), [{ kind: 'complete', before: 'ab', after: '' }]);
  });

  it('draws long lines that wrap, and edits inside them, the way the screen shows them', () => {
    const { screen, type } = session(10);
    type('abcdefghijklmnopq'); // prompt (2) + 17 characters: three rows of 10
    assert.deepEqual(screen.text(), ['$ abcdefgh', 'ijklmnopq']);
    type('\x01X'); // insert at the start: everything shifts across the wrap
    assert.deepEqual(screen.text(), ['$ Xabcdefg', 'hijklmnopq']);
    assert.deepEqual([screen.row, screen.col], [0, 3]);
    type('\x05YZ'); // the line now ends exactly at a row's end, then goes on
    assert.deepEqual(screen.text(), ['$ Xabcdefg', 'hijklmnopq', 'YZ']);
    type('\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f'); // back up across the wrap
    assert.deepEqual(screen.text(), ['$ Xabcdefg']);
    assert.deepEqual(
      [screen.row, screen.col],
      [1, 0],
      'a line that fills the row exactly leaves the cursor at the start of the next, as readline does',
    );
  });
});

describe('lab terminal: tab completion', () => {
  it('completes builtins, groups, commands and options from the command table', () => {
    assert.deepEqual(completeLine('a'), { insert: 'z ', candidates: [] });
    assert.deepEqual(completeLine('az ro'), { insert: 'le ', candidates: [] });
    assert.deepEqual(completeLine('az role assignment c'), { insert: 'reate ', candidates: [] });
    assert.deepEqual(completeLine('az vm identity '), { insert: '', candidates: ['assign', 'remove', 'show'] });
    assert.deepEqual(completeLine('az role assignment create --assignee-p'), { insert: 'rincipal-type ', candidates: [] });
    const options = completeLine('az group create --');
    assert.ok(
      options.candidates.includes('--location') && options.candidates.includes('--output') && options.candidates.includes('--query'),
    );
    assert.deepEqual(completeLine('az nosuch '), { insert: '', candidates: [] });
  });
});
