// The Token Flow webview: draws the trace it is sent as a Mermaid sequence diagram,
// themed to match VS Code, and reports back what it drew.
import mermaid from 'mermaid';

interface TraceForView {
  id: string;
  title: string;
  outcome: 'success' | 'failure';
  status?: number;
  errorCode?: string;
  startedAt: number;
  mermaid: string;
}

type ToWebview = { type: 'show'; trace: TraceForView };

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const diagram = document.getElementById('diagram')!;
const title = document.getElementById('title')!;
const status = document.getElementById('status')!;

function mermaidTheme(): 'dark' | 'default' | 'base' {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast') || classes.contains('vscode-dark')) return 'dark';
  return 'default';
}

let renderCount = 0;
let current: TraceForView | undefined;

async function render(trace: TraceForView): Promise<void> {
  current = trace;
  const renderId = ++renderCount;
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: mermaidTheme(), sequence: { showSequenceNumbers: true } });
  title.textContent = trace.title;
  status.textContent = trace.outcome === 'failure' ? `Failed${trace.status ? `: ${trace.status}` : ''}${trace.errorCode ? ` ${trace.errorCode}` : ''}` : 'Succeeded';
  status.className = trace.outcome;
  try {
    const { svg } = await mermaid.render(`flow-${renderId}`, trace.mermaid);
    if (renderId !== renderCount) return; // a newer trace arrived while this one rendered
    diagram.innerHTML = svg;
    const participants = [...diagram.querySelectorAll('svg .actor-box + text, svg text.actor')]
      .map(node => node.textContent?.trim() ?? '')
      .filter((text, index, all) => text && all.indexOf(text) === index);
    const messageCount = diagram.querySelectorAll('svg .messageText').length;
    vscode.setState({ trace });
    vscode.postMessage({ type: 'rendered', traceId: trace.id, participants, messageCount });
  } catch (error) {
    if (renderId !== renderCount) return;
    const message = error instanceof Error ? error.message : String(error);
    diagram.replaceChildren(Object.assign(document.createElement('pre'), { className: 'error', textContent: `The diagram could not be drawn: ${message}` }));
    vscode.postMessage({ type: 'renderFailed', traceId: trace.id, error: message });
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  if (event.data?.type === 'show') void render(event.data.trace);
});

document.addEventListener('securitypolicyviolation', event => {
  vscode.postMessage({ type: 'cspViolation', directive: event.violatedDirective, blocked: event.blockedURI });
});

// Redraw in the new colours when the VS Code theme changes (it swaps the body's classes).
new MutationObserver(() => {
  if (current) void render(current);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

const saved = vscode.getState() as { trace?: TraceForView } | undefined;
if (saved?.trace) void render(saved.trace);
vscode.postMessage({ type: 'ready' });
