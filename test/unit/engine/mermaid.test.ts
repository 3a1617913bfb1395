import * as assert from 'node:assert/strict';
import { escapeMermaidText, traceToMermaid, wrapText } from '../../../src/engine/readModels/traceDiagram/mermaid';
import type { Trace } from '../../../src/engine/trace/model';

describe('engine: trace → Mermaid', () => {
  it('encodes every character that could end a statement, open a comment or inject markup', () => {
    for (const hostile of [
      'a;b',
      'end',
      '-->>',
      '%%{init}%%',
      '#35;',
      '<img src=x onerror=alert(1)>',
      'x\ny',
      'a:b',
      '"quoted"',
      '[x]{y}|z`',
      '$$x^2$$',
    ]) {
      const encoded = escapeMermaidText(hostile);
      assert.doesNotMatch(
        encoded.replace(/#\d+;/g, '').replace(/<br\/>/g, ''),
        /[;#%<>:"\n[\]{}|`$-]/,
        `escaped form of ${JSON.stringify(hostile)} still has syntax: ${encoded}`,
      );
    }
    assert.equal(escapeMermaidText('a;b'), 'a#59;b');
  });

  it('wraps labels itself, never inside an entity: lines fit, and joined again they are the text', () => {
    const samples = [
      'resource=<img src=x onerror=alert(1)>$$x^2$$',
      'client_id 90a1bbca-1eb2-4bf2-8c34-027bf801567a',
      'https://mystorageaccountwithalongname.blob.core.windows.net/container/blob',
      'short',
      '',
    ];
    for (const text of samples) {
      const lines = wrapText(text, 20).split('\n');
      for (const line of lines) assert.ok([...line].length <= 20, `${JSON.stringify(line)} is longer than 20`);
      assert.equal(lines.join('').replace(/ /g, ''), text.replace(/ /g, ''), 'nothing lost or added');
      // Line breaks become <br/> and each line is encoded whole, so no entity is ever cut.
      assert.doesNotMatch(
        escapeMermaidText(lines.join('\n'))
          .replace(/#\d+;/g, '')
          .replace(/<br\/>/g, ''),
        /[#;]/,
      );
    }
    assert.deepEqual(wrapText('resource=https://vault.azure.net/ and more', 20).split('\n'), [
      'resource=https://',
      'vault.azure.net/ and',
      'more',
    ]);
  });

  it('balances activations and draws a failed reply as a failure', () => {
    const trace: Trace = {
      id: 't1',
      title: 'x',
      startedAt: 0,
      durationMs: 1,
      outcome: 'failure',
      participants: [
        { id: 'app1', kind: 'app', label: 'App on end' },
        { id: 'imds', kind: 'imds', label: 'IMDS' },
      ],
      messages: [
        { from: 'app1', to: 'imds', kind: 'request', label: 'GET /token', failed: false, at: 0, labTime: 0 },
        {
          from: 'imds',
          to: 'app1',
          kind: 'response',
          status: 400,
          errorCode: 'bad_request_102',
          label: 'Required metadata header not specified',
          failed: true,
          at: 1,
          labTime: 1,
        },
      ],
    };
    const text = traceToMermaid(trace);
    assert.match(text, /app1->>\+imds: GET \/token/);
    assert.match(text, /imds--x-app1: 400 bad_request_102 Required<br\/>metadata header not specified/);
    assert.match(text, /rect rgba/);
    assert.match(text, /participant app1 as App on end/);
  });
});
