// The picture of the code, held against its imports: which part may import which (by where
// the code runs), the engine's layers in order, and no two engine folders importing each
// other. The allowed arrows are data here; README's "How the code is organised" draws them.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ImportEdge } from '../support/importGraph';
import { folderOf, importGraph, partOf } from '../support/importGraph';

/** Which parts each part may import (besides itself). */
export const PART_ARROWS: Readonly<Record<string, readonly string[]>> = {
  engine: [],
  az: ['engine'],
  server: ['engine', 'az'],
  host: ['engine', 'server'],
  cli: ['engine', 'az', 'server', 'host'],
  extension: ['engine', 'az', 'host', 'webview'],
  webview: ['engine'],
  preload: ['engine'],
  guards: [],
};

/** The engine's layers, bottom first: a folder may import its own layer's folder and those below. */
export const ENGINE_LAYERS: readonly (readonly string[])[] = [
  ['base'],
  ['azure'],
  ['state', 'trace'],
  ['lab'],
  ['operations'],
  ['services'],
  ['readModels'],
  ['diagnosis'],
  ['scenarios'],
];

/** Engine files only some engine layers may import: the live stores are for operations and services alone. */
export const RESTRICTED_FILES: Readonly<Record<string, readonly string[]>> = {
  'engine/lab/mutable.ts': ['lab', 'operations', 'services'],
};

const describeEdge = (e: ImportEdge) => `src/${e.from}:${e.line} imports src/${e.to}`;

export function partViolations(edges: readonly ImportEdge[]): string[] {
  return edges
    .filter(e => {
      const from = partOf(e.from);
      const to = partOf(e.to);
      if (from === to) return false;
      const allowed = PART_ARROWS[from];
      return !allowed || !allowed.includes(to);
    })
    .map(e => `${describeEdge(e)}: ${partOf(e.from)} may import only ${(PART_ARROWS[partOf(e.from)] ?? []).join(', ') || 'itself'}`);
}

const layerOf = (engineKey: string): number => {
  const folder = engineKey.split('/')[1] ?? '';
  return ENGINE_LAYERS.findIndex(layer => layer.includes(folder));
};

export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const problems: string[] = [];
  for (const e of edges) {
    if (partOf(e.from) !== 'engine') continue;
    const from = layerOf(e.from);
    if (from < 0) {
      problems.push(`src/${e.from} is in no engine layer (put it in one of: ${ENGINE_LAYERS.flat().join(', ')})`);
      continue;
    }
    if (partOf(e.to) !== 'engine') continue;
    const to = layerOf(e.to);
    const sameFolder = e.from.split('/')[1] === e.to.split('/')[1];
    if (to > from || (to === from && !sameFolder)) {
      problems.push(`${describeEdge(e)}: layer '${e.from.split('/')[1]}' may not import '${e.to.split('/')[1]}' (above it or beside it)`);
    }
  }
  return [...new Set(problems)];
}

export function restrictedViolations(edges: readonly ImportEdge[]): string[] {
  return edges
    .filter(e => {
      const allowed = RESTRICTED_FILES[e.to];
      return allowed !== undefined && !(partOf(e.from) === 'engine' && allowed.includes(e.from.split('/')[1] ?? ''));
    })
    .map(e => `${describeEdge(e)}: only engine/${RESTRICTED_FILES[e.to]!.join(', engine/')} may import it`);
}

/** Engine folders (at any depth) that import each other, directly or round a longer circle. */
export function folderCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (partOf(e.from) !== 'engine' || partOf(e.to) !== 'engine') continue;
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)!.add(b);
  }
  // Tarjan's strongly connected components; any component of two or more folders is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('architecture: imports follow the picture', () => {
  const edges = importGraph(path.resolve(__dirname, '../../../src'));

  it('reads the real import graph (a check over no edges would pass for nothing)', () => {
    assert.ok(edges.length > 300, `only ${edges.length} imports found`);
    assert.ok(edges.some(e => e.from.startsWith('extension/') && e.to.startsWith('engine/')));
  });

  it('parts import only the parts they may', () => {
    assert.deepEqual(partViolations(edges), []);
  });

  it("engine folders import only their own layer's folder and the layers below", () => {
    assert.deepEqual(layerViolations(edges), []);
  });

  it("only the engine's operations and services reach a lab's live stores", () => {
    assert.deepEqual(restrictedViolations(edges), []);
  });

  it('no two engine folders import each other, directly or round a circle', () => {
    assert.deepEqual(folderCycles(edges), []);
  });

  describe('the checks catch a planted wrong import', () => {
    const plant = (from: string, to: string): ImportEdge[] => [...edges, { from, to, line: 1 }];

    it('extension → cli', () => {
      assert.match(partViolations(plant('extension/extension.ts', 'cli/cli.ts')).join('\n'), /extension may import only/);
    });
    it('engine → az', () => {
      assert.match(partViolations(plant('engine/lab/lab.ts', 'az/run.ts')).join('\n'), /engine may import only itself/);
    });
    it('a lower engine layer importing a higher one', () => {
      assert.match(
        layerViolations(plant('engine/state/schema.ts', 'engine/operations/resources.ts')).join('\n'),
        /'state' may not import 'operations'/,
      );
    });
    it('an adapter reaching for the live stores', () => {
      assert.match(
        restrictedViolations(plant('server/services/arm.ts', 'engine/lab/mutable.ts')).join('\n'),
        /only engine\/lab, engine\/operations/,
      );
    });
    it('two folders of one layer importing each other', () => {
      const planted = [
        ...edges,
        { from: 'engine/state/x.ts', to: 'engine/trace/y.ts', line: 1 },
        { from: 'engine/trace/y.ts', to: 'engine/state/x.ts', line: 1 },
      ];
      assert.deepEqual(folderCycles(planted), [['engine/state', 'engine/trace']]);
    });
  });
});
