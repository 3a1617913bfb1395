// Figures for the closing report (printed, never asserted): activation, the bundle's size and
// load time, and a Resources tree of 5,000 resources.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { activateLab, note, resetLab } from './helpers';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../../src/engine/operations/resources';
import { LAB_CALLER } from '../../src/engine/lab/authorization';

const ROOT = path.resolve(__dirname, '../../..');

describe('measurements (printed, not asserted)', () => {
  it('activation time, bundle size and load time', async () => {
    const api = await activateLab();
    const bundle = path.join(ROOT, 'dist', 'extension.js');
    const webview = path.join(ROOT, 'dist', 'webview', 'tokenFlow.js');
    // Loading the bundle is part of activating; measure it in a fresh Node with `vscode` stubbed and
    // Node's own modules loaded first (the extension host has them loaded already).
    const script = `for(const m of ['http','https','tls','net','crypto','stream','fs','fs/promises','os','path','child_process','url','zlib'])require(m);const stub=Object.fromEntries(['ThemeIcon','ThemeColor','EventEmitter','TreeItem','Disposable','MarkdownString','Uri'].map(n=>[n,class{}]));const Module=require('module');const load=Module._load;Module._load=function(r,...a){return r==='vscode'?stub:load.call(this,r,...a)};const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
    const loads = Array.from({ length: 5 }, () => {
      const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
      assert.equal(child.status, 0, child.stderr);
      return Number(child.stdout.trim());
    }).sort((a, b) => a - b);
    note(`activate(): ${api.activationMs.toFixed(1)} ms; loading dist/extension.js: median ${loads[2]!.toFixed(1)} ms (5 fresh processes)`);
    note(
      `bundle sizes: dist/extension.js ${(fs.statSync(bundle).size / 1024).toFixed(0)} KiB, dist/webview/tokenFlow.js ${(fs.statSync(webview).size / 1024).toFixed(0)} KiB (Mermaid, loaded only by the webview)`,
    );
    // What must hold for activation to stay light: Mermaid (and what it bundles) is in the webview's bundle only.
    const extension = fs.readFileSync(bundle, 'utf8');
    for (const marker of ['DOMPurify', 'katex', 'cytoscape']) {
      assert.ok(fs.readFileSync(webview, 'utf8').includes(marker), `the webview bundle has ${marker} (the marker is still meaningful)`);
      assert.ok(!extension.includes(marker), `dist/extension.js must not contain ${marker}: Mermaid loads only in the webview`);
    }
  });

  it('expands a Resources tree of 5,000 resources', async function () {
    this.timeout(120_000);
    const api = await activateLab();
    const lab = await api.ready();
    createOrUpdateResourceGroup(lab, LAB_CALLER, { name: 'rg-big', location: 'eastus' });
    for (let i = 0; i < 5000; i++) {
      createOrUpdateResource(lab, LAB_CALLER, {
        resourceGroup: 'rg-big',
        type: i % 2 ? 'vm' : 'storage',
        name: i % 2 ? `vm-${i}` : `st${i}`,
      });
    }
    api.resourcesTree.refresh();
    const tree = api.resourcesTree;
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      tree.refresh();
      const started = performance.now();
      const [subscription] = await tree.getChildren();
      const group = (await tree.getChildren(subscription)).find(g => tree.getTreeItem(g).label === 'rg-big')!;
      const children = await tree.getChildren(group);
      const items = children.map(c => tree.getTreeItem(c));
      times.push(performance.now() - started);
      assert.equal(items.length, 5000);
    }
    times.sort((a, b) => a - b);
    note(
      `Resources tree, a group of 5,000 resources: getChildren + getTreeItem for all of them: median ${times[2]!.toFixed(1)} ms, worst ${times[4]!.toFixed(1)} ms (5 rounds)`,
    );
    await resetLab();
  });
});
