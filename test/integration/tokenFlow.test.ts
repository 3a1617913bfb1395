// Token Flow: live redraws, failures drawn as failures, history, the detail setting, themes,
// exports (.mmd, .svg, Markdown), a hostile audience rendered as text, setFaults drawn as the
// endpoint's failure, the Activity view — and the time from a request to its redrawn diagram.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateLab, note, ok, resetLab, waitFor } from './helpers';
import type { HttpResult } from '../../src/host/appClient';
import type { LabExtensionApi } from '../../src/extension/api';
import type { RenderReport } from '../../src/extension/tokenFlow/tokenFlowPanel';

async function rendered(api: LabExtensionApi, traceId: string, after = -1): Promise<RenderReport> {
  return waitFor(
    () => {
      const r = api.tokenFlow.lastRender;
      return r && r.traceId === traceId && r.at > after ? r : undefined;
    },
    30_000,
    `trace ${traceId} to be drawn`,
  );
}

/** The words a diagram shows (Mermaid wraps long labels over several <tspan>s). */
const svgText = (svg: string): string =>
  svg
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);
}

describe('token flow: the webview and the Activity view', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-flow-'));
  before(resetLab);
  after(async () => {
    await setting('managedIdentityLab.diagram.detail', undefined);
    await setting('workbench.colorTheme', undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('lists requests newest first in Activity, failures marked with status and error code; selecting one draws it', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    await ok('requestToken', { hostId: vm.id, resource: 'https://vault.azure.net' });
    const good = lab.traces.latest!;
    await ok('requestToken', { hostId: vm.id, resource: 'https://nothing.example' });
    const bad = lab.traces.latest!;
    const [first, second] = api.activityTree.getChildren();
    assert.deepEqual(
      [first, second],
      [
        { kind: 'trace', traceId: bad.id },
        { kind: 'trace', traceId: good.id },
      ],
    );
    const newest = api.activityTree.getTreeItem(first!);
    assert.equal(newest.label, 'Token for https://nothing.example as vm-web');
    assert.match(String(newest.description), /^failed 400 invalid_resource · /);
    assert.equal((newest.iconPath as vscode.ThemeIcon).id, 'error');
    const older = api.activityTree.getTreeItem(second!);
    assert.equal(older.label, 'Token for https://vault.azure.net as vm-web');
    assert.match(String(older.description), /^200 · /);
    assert.equal(older.command?.command, 'managedIdentityLab.showTrace');

    const before = performance.now();
    await vscode.commands.executeCommand(older.command!.command, ...(older.command!.arguments ?? []));
    const report = await rendered(api, good.id, before);
    assert.equal(report.failures, 0);
    assert.equal(api.tokenFlow.currentTraceId, good.id);
  });

  it('draws a failure as a failure: the 410 of an endpoint fault, in a break block', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const faults = await ok<{ failure?: string }>('setFaults', { hostId: vm.id, failure: 'gone410' });
    assert.equal(faults.value.failure, 'gone410');
    try {
      const { value } = await ok<HttpResult>('requestToken', { hostId: vm.id, resource: 'https://vault.azure.net' });
      assert.equal(value.status, 410);
      const trace = lab.traces.latest!;
      assert.equal(trace.errorCode, 'service_unavailable');
      const report = await rendered(api, trace.id);
      assert.equal(report.failures, 1);
      const svg = await api.tokenFlow.svg();
      assert.match(svg, /410 service_unavailable/);
    } finally {
      await ok('setFaults', { hostId: vm.id, failure: 'none' });
    }
  });

  it('follows the detail setting: notes in full, none in compact', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    await ok('requestToken', { hostId: vm.id, resource: 'https://vault.azure.net' });
    const trace = lab.traces.latest!;
    await rendered(api, trace.id);
    const full = await api.tokenFlow.svg();
    assert.match(full, /class="noteText"/);
    assert.match(svgText(full), /SystemAssigned identity, oid/);
    const before = performance.now();
    await setting('managedIdentityLab.diagram.detail', 'compact');
    await rendered(api, trace.id, before);
    const compact = await api.tokenFlow.svg();
    assert.doesNotMatch(compact, /class="noteText"/);
    await setting('managedIdentityLab.diagram.detail', undefined);
  });

  it('follows the colour theme: redraws in light, dark and high contrast colours', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const trace = lab.traces.latest!;
    api.tokenFlow.showTrace(trace.id);
    const colours: Record<string, string> = {};
    for (const [theme, background] of [
      ['Default Light Modern', '#ffffff'],
      ['Default Dark Modern', '#1f1f1f'],
      ['Default High Contrast', '#000000'],
    ] as const) {
      await setting('workbench.colorTheme', theme);
      // The sequence numbers are drawn in the editor's background colour.
      colours[theme] = await waitFor(
        async () => {
          const svg = (await api.tokenFlow.svg()).toLowerCase();
          return svg.includes(`.sequencenumber{fill:${background};}`) ? svg : undefined;
        },
        20_000,
        `${theme}: the diagram redrawn with the editor background ${background}`,
      );
    }
  });

  it('exports the diagram as .mmd, .svg and Markdown', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const trace = lab.traces.latest!;
    const mmd = await ok<{ path: string }>('exportDiagram', { format: 'mmd', traceId: trace.id, path: path.join(scratch, 'flow.mmd') });
    assert.match(fs.readFileSync(mmd.value.path, 'utf8'), /^sequenceDiagram\n {2}autonumber\n {2}participant app as App on vm#45;web/);
    const md = await ok<{ path: string }>('exportDiagram', { format: 'md', traceId: trace.id, path: path.join(scratch, 'flow.md') });
    const markdown = fs.readFileSync(md.value.path, 'utf8');
    assert.match(markdown, /^# Token for https:\/\/vault.azure.net as vm-web\n/);
    assert.match(markdown, /```mermaid\nsequenceDiagram/);
    const svg = await ok<{ path: string }>('exportDiagram', { format: 'svg', traceId: trace.id, path: path.join(scratch, 'flow.svg') });
    const image = fs.readFileSync(svg.value.path, 'utf8');
    assert.match(image, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svgText(image), /App on vm-web/);
    assert.match(svgText(image), /200 access_token/);
  });

  it('renders a hostile audience literally: no markup gets in', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const hostile = '<img src=x onerror=alert(1)> end ;-->> %%';
    const { value } = await ok<HttpResult>('requestToken', { hostId: vm.id, resource: hostile });
    assert.equal(value.status, 400);
    const trace = lab.traces.latest!;
    const report = await rendered(api, trace.id);
    assert.equal(report.failures, 1, 'one break: where the flow ended (Entra’s error to IMDS is highlighted, not a second break)');
    const svg = await api.tokenFlow.svg();
    assert.ok(!/<img/i.test(svg), 'no img element');
    assert.ok(svgText(svg).includes('&lt;img src=x onerror=alert(1)&gt; end'), 'the audience is drawn as text');
    const item = api.activityTree.getTreeItem(api.activityTree.getChildren()[0]!);
    assert.equal(item.label, `Token for ${hostile} as vm-web`);
    assert.deepEqual(api.tokenFlow.cspViolations, [], 'the webview’s Content Security Policy blocked nothing (nothing tried to run)');
  });

  it('steps back through history: an older trace, then the newest again when a request arrives', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const all = lab.traces.all;
    const older = all[all.length - 3]!;
    let before = performance.now();
    await vscode.commands.executeCommand('managedIdentityLab.showTrace', { traceId: older.id });
    await rendered(api, older.id, before);
    assert.equal(api.tokenFlow.currentTraceId, older.id);
    before = performance.now();
    await ok('requestToken', { hostId: vm.id, resource: 'https://storage.azure.com/' });
    await rendered(api, lab.traces.latest!.id, before);
    assert.equal(api.tokenFlow.currentTraceId, lab.traces.latest!.id, 'live: the newest request is shown');
  });

  it('measures the time from a request to its redrawn diagram (printed, not asserted)', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const samples: number[] = [];
    const renders: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await ok('requestToken', { hostId: vm.id, resource: i % 2 ? 'https://vault.azure.net' : 'https://storage.azure.com/' });
      const report = await rendered(api, lab.traces.latest!.id, started);
      samples.push(report.at - started);
      renders.push(report.renderMs);
      await new Promise(r => setTimeout(r, 50));
    }
    const p = (list: number[], q: number) => [...list].sort((a, b) => a - b)[Math.ceil((q / 100) * list.length) - 1]!;
    note(
      `request → redrawn diagram over ${samples.length} requests: p50 ${p(samples, 50).toFixed(0)} ms, p95 ${p(samples, 95).toFixed(0)} ms (Mermaid render alone: p50 ${p(renders, 50).toFixed(0)} ms, p95 ${p(renders, 95).toFixed(0)} ms)`,
    );
  });

  it('draws the trace on screen again when the panel is closed and reopened', async () => {
    const api = await activateLab();
    assert.ok(api.tokenFlow.isOpen);
    const before = performance.now();
    // Closing and reopening the panel rebuilds the page; it must draw the same trace again.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(api.tokenFlow.isOpen, false);
    await vscode.commands.executeCommand('managedIdentityLab.showTokenFlow');
    const lab = await api.ready();
    await rendered(api, lab.traces.latest!.id, before);
  });
});
