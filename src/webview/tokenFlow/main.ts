// The Token Flow webview: draws the trace it is sent as a Mermaid sequence diagram, themed
// like VS Code; lists its messages with their details; steps through recent traces; keeps
// what it shows in its saved state so a window reload restores it.
import type { FromWebview, HistoryPosition, SavedState, ToWebview, TraceView } from './protocol';
import { bindMessageClicks, currentSvg, drawDiagram, markSelected } from './diagram';
import { renderMessageDetail, renderMessageList } from './details';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const diagram = byId('diagram');
const title = byId('title');
const status = byId('status');
const list = byId('message-list');
const detail = byId('message-detail');
const position = byId('position');
const why = byId<HTMLButtonElement>('why');
const buttons = {
  previous: byId<HTMLButtonElement>('previous'),
  next: byId<HTMLButtonElement>('next'),
  latest: byId<HTMLButtonElement>('latest'),
  mmd: byId<HTMLButtonElement>('export-mmd'),
  svg: byId<HTMLButtonElement>('export-svg'),
  md: byId<HTMLButtonElement>('export-md'),
};

let shown: SavedState | undefined;
/** A trace restored after a reload that the restarted lab no longer has: shown, not exportable. */
let staleTraceId: string | undefined;

function markStale(): void {
  if (!shown || shown.trace.id !== staleTraceId) return;
  status.textContent = `${statusText(shown.trace)} (from before the reload)`;
  for (const b of Object.values(buttons)) b.disabled = true;
  why.hidden = true;
  position.textContent = '';
}

function statusText(trace: TraceView): string {
  if (trace.kind === 'chain') return trace.outcome === 'failure' ? 'Credential Chain: no credential answers' : 'Credential Chain';
  return trace.outcome === 'failure'
    ? `Failed${trace.status ? `: ${trace.status}` : ''}${trace.errorCode ? ` ${trace.errorCode}` : ''}`
    : 'Succeeded';
}

function select(number: number | undefined): void {
  if (!shown) return;
  shown = { ...shown, ...(number !== undefined ? { selected: number } : {}) };
  vscode.setState(shown);
  renderMessageList(list, shown.trace.messages, number, select);
  renderMessageDetail(
    detail,
    shown.trace.messages.find(m => m.number === number),
    shown.trace.startedAt,
  );
  markSelected(diagram, number);
}

function showPosition(p: HistoryPosition): void {
  position.textContent = p.count ? `${p.count - p.index} of ${p.count}` : '';
  buttons.previous.disabled = p.index >= p.count - 1;
  buttons.next.disabled = p.index <= 0;
  buttons.latest.disabled = p.index <= 0;
}

async function show(trace: TraceView, at: HistoryPosition, selected?: number): Promise<void> {
  const started = performance.now();
  const keep = shown?.trace.id === trace.id ? (selected ?? shown.selected) : selected;
  shown = { trace, position: at, ...(keep !== undefined ? { selected: keep } : {}) };
  title.textContent = trace.title;
  status.textContent = statusText(trace);
  status.className = trace.outcome;
  why.hidden = trace.outcome !== 'failure';
  showPosition(at);
  // A Credential Chain is drawn, not recorded: nothing to export or step through; Latest goes back to the traces.
  for (const b of [buttons.mmd, buttons.svg, buttons.md]) b.disabled = trace.kind === 'chain';
  if (trace.kind === 'chain') buttons.latest.disabled = false;
  markStale();
  try {
    const drawn = await drawDiagram(diagram, trace.mermaid);
    if (!drawn) return; // a newer trace arrived while this one rendered
    bindMessageClicks(diagram, select);
    select(keep);
    vscode.postMessage({ type: 'rendered', traceId: trace.id, ...drawn, renderMs: performance.now() - started });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    diagram.replaceChildren(
      Object.assign(document.createElement('pre'), { className: 'error', textContent: `The diagram could not be drawn: ${message}` }),
    );
    vscode.postMessage({ type: 'renderFailed', traceId: trace.id, error: message });
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message?.type) {
    case 'show':
      void show(message.trace, message.position);
      return;
    case 'exportSvg': {
      const svg = shown?.trace.id === message.traceId ? currentSvg(diagram) : undefined;
      vscode.postMessage(
        svg
          ? { type: 'svg', requestId: message.requestId, svg }
          : { type: 'svg', requestId: message.requestId, error: 'that diagram is not the one drawn' },
      );
      return;
    }
    case 'stale':
      staleTraceId = shown?.trace.id;
      markStale();
      return;
  }
});

buttons.previous.addEventListener('click', () => vscode.postMessage({ type: 'navigate', to: 'previous' }));
buttons.next.addEventListener('click', () => vscode.postMessage({ type: 'navigate', to: 'next' }));
buttons.latest.addEventListener('click', () => vscode.postMessage({ type: 'navigate', to: 'latest' }));
buttons.mmd.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'mmd' }));
buttons.svg.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'svg' }));
buttons.md.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'md' }));
why.addEventListener('click', () => vscode.postMessage({ type: 'diagnose' }));

document.addEventListener('securitypolicyviolation', event => {
  vscode.postMessage({ type: 'cspViolation', directive: event.violatedDirective, blocked: event.blockedURI });
});

// Redraw in the new colours when the VS Code theme changes: it swaps the body's classes and
// the --vscode-* variables on <html>, not always at once, so redraw once both have settled.
let themeTimer: ReturnType<typeof setTimeout> | undefined;
const themeChanged = new MutationObserver(() => {
  clearTimeout(themeTimer);
  themeTimer = setTimeout(() => {
    if (shown) void show(shown.trace, shown.position);
  }, 50);
});
themeChanged.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themeChanged.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

const saved = vscode.getState() as SavedState | undefined;
if (saved?.trace) void show(saved.trace, saved.position, saved.selected);
vscode.postMessage({ type: 'ready' });
