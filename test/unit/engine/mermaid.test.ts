import * as assert from 'node:assert/strict';
import { escapeMermaidText, traceToMermaid, wrapText } from '../../../src/engine/readModels/traceDiagram/mermaid';
import type { Trace } from '../../../src/engine/trace/model';
import { traceToMarkdown } from '../../../src/engine/readModels/traceDiagram/markdown';
import { presentTrace, traceTitle } from '../../../src/engine/readModels/traceDiagram/present';

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

describe('engine: names with bidi controls are shown, never obeyed', () => {
  const RLO = '\u202e';
  const name = `vm-${RLO}gnp.exe`;
  const trace: Trace = {
    id: 't1',
    title: `Token for https://vault.azure.net as ${name}`,
    outcome: 'success',
    status: 200,
    startedAt: 0,
    durationMs: 1,
    participants: [
      { id: 'app', kind: 'app', label: `App on ${name}` },
      { id: 'imds', kind: 'imds', label: 'IMDS' },
    ],
    messages: [
      {
        from: 'app',
        to: 'imds',
        kind: 'request',
        label: `GET as ${name}`,
        at: 0,
        labTime: 0,
        failed: false,
        notes: [`host ${name}\u2066x\u2069`],
      },
      { from: 'imds', to: 'app', kind: 'response', status: 200, label: 'access_token', at: 1, labTime: 1, failed: false },
    ],
  } as unknown as Trace;
  const controls = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|#(1564|8206|8207|823[4-8]|829[4-7]);/;

  it('in the diagram, the markdown export, the details and the Activity view', () => {
    const mermaid = traceToMermaid(trace, { detail: 'full' });
    assert.doesNotMatch(mermaid, controls, 'the diagram still carries a bidi control (raw or as an entity Mermaid renders)');
    assert.match(mermaid, /#91;U\+202E#93;/, 'the override is shown as [U+202E]');
    const markdown = traceToMarkdown(trace);
    assert.doesNotMatch(markdown, controls);
    const view = presentTrace(trace);
    assert.doesNotMatch(JSON.stringify(view), controls);
    assert.equal(view.messages[0]!.from, 'App on vm-[U+202E]gnp.exe');
    assert.equal(traceTitle(trace), 'Token for https://vault.azure.net as vm-[U+202E]gnp.exe');
    assert.equal(traceTitle({ title: 'a\nb' }), 'a[U+000A]b', 'one line in a list');
  });
});
