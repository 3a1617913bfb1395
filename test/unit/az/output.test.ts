// The output formatters against the rules of knack's _TsvOutput/_TableOutput and tabulate's
// "simple" format, and PyYAML's safe_dump.
import * as assert from 'node:assert/strict';
import { formatResult } from '../../../src/az/output/format';
import { applyQuery } from '../../../src/az/output/query';

const plain = (value: unknown, format: 'tsv' | 'table' | 'yaml' | 'json' | 'none') => formatResult(value, { format, color: false });
const queried = (value: unknown, query: string, format: 'tsv' | 'table') =>
  formatResult(value, { format, color: false, query: applyQuery(value, query) });

describe('az output formats', () => {
  it('tsv: a row per list item, sorted keys, Python str() for scalars, lengths for lists, nothing for objects', () => {
    const rows = [
      { b: 'two', a: 1, c: null, d: true, e: [1, 2, 3], f: { x: 1 } },
      { b: 'four', a: 3, c: 'x', d: false, e: [], f: {} },
    ];
    assert.equal(plain(rows, 'tsv'), '1\ttwo\tNone\tTrue\t3\t\n3\tfour\tx\tFalse\t0\t\n');
    assert.equal(plain('just text', 'tsv'), 'just text\n');
    assert.equal(plain(true, 'tsv'), 'true\n', 'a bare boolean row is lower-case');
    assert.equal(
      plain(
        [
          ['a', 'b'],
          ['c', 'd'],
        ],
        'tsv',
      ),
      'a\tb\nc\td\n',
    );
    assert.equal(plain(null, 'tsv'), '', 'no result prints nothing');
  });

  it('tsv and table keep the column order of a --query projection', () => {
    const rows = [{ name: 'n1', id: 'i1', zeta: 'z1' }];
    assert.equal(queried(rows, '[].{Zeta:zeta, Name:name}', 'tsv'), 'z1\tn1\n');
    assert.equal(queried(rows, '[].{Zeta:zeta, Name:name}', 'table'), 'Zeta    Name\n------  ------\nz1      n1\n');
    assert.equal(queried(rows, '[0]', 'tsv'), 'i1\tn1\tz1\n', 'an object the query selected (not built) is still sorted');
  });

  it('table: scalar columns only, id/type/etag skipped, capitalized headers, two-space gaps, right-trimmed lines', () => {
    const rows = [
      { name: 'alpha', id: '/x', type: 't', etag: 'e', location: 'eastus', tags: {}, count: 7, enabled: true, missing: null },
      { name: 'b', id: '/y', location: 'westeurope', extra: 'only here' },
    ];
    assert.equal(
      plain(rows, 'table'),
      [
        'Count    Enabled    Location    Name    Extra',
        '-------  ---------  ----------  ------  ---------',
        '7        True       eastus      alpha',
        '                    westeurope  b       only here',
        '',
      ].join('\n'),
    );
    assert.equal(plain('one value', 'table'), 'Result\n---------\none value\n');
    assert.equal(plain([], 'table'), '\n');
  });

  it('yaml: sorted keys, block style, sequences not indented under their key, quoted strings that would read back as something else', () => {
    const value = {
      name: 'rg',
      tags: {},
      list: ['a', { k: 'v', j: 'w' }],
      when: '2025-05-17T22:55:51.177367+00:00',
      flag: 'true',
      empty: '',
      n: null,
      num: 3,
    };
    assert.equal(
      plain(value, 'yaml'),
      [
        "empty: ''",
        "flag: 'true'",
        'list:',
        '- a',
        '- j: w',
        '  k: v',
        'n: null',
        'name: rg',
        'num: 3',
        'tags: {}',
        "when: '2025-05-17T22:55:51.177367+00:00'",
        '',
      ].join('\n'),
    );
    assert.equal(plain('text', 'yaml'), 'text\n...\n');
    assert.equal(plain([], 'yaml'), '[]\n');
  });

  it("yaml: keys over 128 characters use PyYAML's explicit ? / : form; long strings fold at spaces past column 80", () => {
    const id = `/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${'x'.repeat(20)}`;
    assert.equal(plain({ ids: { [id]: { clientId: 'c' } } }, 'yaml'), `ids:\n  ? ${id}\n  : clientId: c\n`);
    const description = "Read secret contents. Only works for key vaults that use the 'Azure role-based access control' permission model.";
    assert.equal(
      plain([{ description }], 'yaml'),
      "- description: Read secret contents. Only works for key vaults that use the 'Azure\n    role-based access control' permission model.\n",
    );
    assert.equal(plain({ nl: 'a\nb' }, 'yaml'), "nl: 'a\n\n  b'\n", 'a line break inside a single-quoted string is a blank line');
  });

  it('table: a cell with line breaks makes its row several lines high', () => {
    assert.equal(plain([{ a: 'one\ntwo', b: 'x' }], 'table'), 'A    B\n---  ---\none  x\ntwo\n');
  });

  it('json sorts keys however the query built the object; none prints nothing', () => {
    assert.equal(
      formatResult({ b: 1, a: 2 }, { format: 'json', color: false, query: applyQuery({ b: 1, a: 2 }, '{b:b, a:a}') }),
      '{\n  "a": 2,\n  "b": 1\n}\n',
    );
    assert.equal(plain({ a: 1 }, 'none'), '');
  });
});
