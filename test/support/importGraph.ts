// The import graph of src/, read from the source text: every relative `import … from`,
// `export … from` and `import('…')`, resolved to the file it names. The architecture tests
// hold it against the allowed arrows (test/unit/importDirection.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ImportEdge {
  /** Both paths relative to src/, with '/' separators. */
  from: string;
  to: string;
  line: number;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)(['"])(\.{1,2}\/[^'"]+)\1/gm;
const EXTENSIONS = ['.ts', '.d.ts', '/index.ts', '.json', ''];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function resolveImport(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const extension of EXTENSIONS) {
    const candidate = base + extension;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Every import between files under `srcDir`; `extra` adds planted edges (for the tests of the checks themselves). */
export function importGraph(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(srcDir)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(SPECIFIER)) {
      const target = resolveImport(file, match[2]!);
      if (!target || !target.startsWith(srcDir + path.sep)) continue;
      const line = text.slice(0, match.index).split('\n').length;
      edges.push({ from: toKey(srcDir, file), to: toKey(srcDir, target), line });
    }
  }
  return edges;
}

const toKey = (srcDir: string, file: string): string => path.relative(srcDir, file).split(path.sep).join('/');

/** The part a src/ path belongs to: its first folder (`engine`, `az`, …). */
export const partOf = (key: string): string => key.split('/')[0]!;

/** The folder a src/ path is in. */
export const folderOf = (key: string): string => key.split('/').slice(0, -1).join('/');
