// Builds every bundle: the extension (Node, `vscode` external), the webview (browser;
// Mermaid is bundled here and only here), the `milab` CLI, and the tests and benchmarks.
// `--production` minifies; `--watch` rebuilds on change. Type checking is `npm run typecheck`.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the form VS Code's `$esbuild-watch` problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd(result => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

function filesUnder(dir, pattern) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile() && pattern.test(entry.name))
    .map(entry => path.join(entry.parentPath ?? entry.path, entry.name));
}

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'], metafile: true },
  { ...node, entryPoints: { preload: 'src/preload/index.ts' }, outdir: 'dist', metafile: true },
  {
    ...node,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    metafile: true,
  },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: { tokenFlow: 'src/webview/tokenFlow/main.ts', diagnosis: 'src/webview/diagnosis/main.ts' },
    outdir: 'dist/webview',
    minify: true,
    sourcemap: !production,
    logLevel: 'warning',
    metafile: true,
  },
  {
    ...node,
    sourcemap: true,
    minify: false,
    entryPoints: [...filesUnder('test', /\.ts$/), ...filesUnder('bench', /\.ts$/), ...filesUnder('tools', /\.ts$/)].filter(
      f => !f.endsWith('.d.ts'),
    ),
    outdir: 'out',
    outbase: '.',
    // Tests drive the real SDKs, the real VS Code and a real browser: never bundle those.
    external: [
      'vscode',
      'mocha',
      '@azure/*',
      'playwright-core',
      '@vscode/test-electron',
      'oauth2-mock-server',
      'autocannon',
      'tedious',
      'mssql',
    ],
  },
];

async function main() {
  // A production build starts clean, so no development source map or stale file is packaged.
  if (production) fs.rmSync('dist', { recursive: true, force: true });
  if (watch) {
    for (const options of builds) {
      const context = await esbuild.context({ ...options, plugins: [problemMatcher] });
      await context.watch();
    }
    return;
  }
  const results = await Promise.all(builds.map(options => esbuild.build(options)));
  const sizes = results
    .flatMap(result => Object.entries(result.metafile?.outputs ?? {}))
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, info]) => `${file} ${(info.bytes / 1024).toFixed(0)} KiB`);
  if (sizes.length) console.log(sizes.join('\n'));
}

main().catch(error => {
  console.error(error.message ?? error);
  process.exit(1);
});
