// The Diagnosis webview: a box to paste an error into, and the findings — category, title,
// explanation, evidence, one button per fix with its az twin — each built with textContent only
// (nothing from a finding is ever parsed as HTML).
import type { DiagnosisSavedState, DiagnosisView, FindingView, FromDiagnosisWebview, ToDiagnosisWebview } from './protocol';

interface VsCodeApi {
  postMessage(message: FromDiagnosisWebview): void;
  getState(): unknown;
  setState(state: DiagnosisSavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const paste = byId<HTMLTextAreaElement>('paste');
const run = byId<HTMLButtonElement>('diagnose');
const heading = byId('heading');
const status = byId('status');
const results = byId('findings');
let state: DiagnosisSavedState = (vscode.getState() as DiagnosisSavedState | undefined) ?? {};

type Child = Node | string | undefined | false;
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: { class?: string; text?: string } = {},
  children: Child[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (attrs.class) node.className = attrs.class;
  if (attrs.text !== undefined) node.textContent = attrs.text;
  for (const child of children) if (child) node.append(child);
  return node;
}

function button(
  text: string,
  onClick: () => void,
  options: { primary?: boolean; disabled?: boolean; title?: string; class?: string } = {},
): HTMLButtonElement {
  const b = el('button', { class: `${options.primary ? 'primary' : ''} ${options.class ?? ''}`.trim(), text });
  b.type = 'button';
  if (options.disabled) b.disabled = true;
  if (options.title) b.title = options.title;
  b.addEventListener('click', onClick);
  return b;
}

function finding(f: FindingView, best: boolean): HTMLElement {
  const actions: Child[] = [
    f.reproducible &&
      button('Reproduce in the lab', () => vscode.postMessage({ type: 'reproduce', finding: f.index }), {
        class: 'reproduce',
        title: 'Build the smallest situation that fails this way, run the request, draw it (Undo takes it back)',
      }),
    f.checkAccess && button('Check Access', () => vscode.postMessage({ type: 'checkAccess', finding: f.index }), { class: 'check-access' }),
    f.leastPrivilegeFor &&
      button('Least privilege for this principal', () => vscode.postMessage({ type: 'leastPrivilege', finding: f.index }), {
        class: 'least-privilege',
      }),
    f.traceId && button('Show in Token Flow', () => vscode.postMessage({ type: 'showTrace', finding: f.index }), { class: 'show-trace' }),
  ];
  return el('section', { class: `finding${best ? ' best' : ''}` }, [
    el('div', { class: 'finding-head' }, [
      el('span', { class: `category ${f.category === 'unknown' ? 'unknown' : ''}`, text: f.category }),
      el('h2', { text: f.title }),
    ]),
    el('p', { class: 'explanation', text: f.explanation }),
    f.hint && button(f.hint, () => vscode.postMessage({ type: 'hint', finding: f.index }), { primary: true, class: 'show-hint' }),
    f.fixes.length > 0 &&
      el('div', { class: 'fixes' }, [
        el('h3', { text: f.fixes.length === 1 ? 'Fix' : 'Fixes' }),
        el(
          'ol',
          {},
          f.fixes.map(fix =>
            el('li', { class: 'fix' }, [
              button(fix.title, () => vscode.postMessage({ type: 'fix', finding: f.index, fix: fix.index }), {
                primary: fix.runnable,
                disabled: !fix.runnable,
                title: fix.runnable
                  ? 'Run this fix in the lab'
                  : 'Shown for reference: the text left placeholders, or the lab cannot run it',
                class: 'run-fix',
              }),
              fix.az &&
                el('div', { class: 'az' }, [
                  el('code', { text: fix.az }),
                  button('Copy az', () => vscode.postMessage({ type: 'copy', text: fix.az! }), { class: 'copy-az' }),
                ]),
            ]),
          ),
        ),
      ]),
    actions.some(Boolean) && el('div', { class: 'finding-actions' }, actions),
    f.evidence.length > 0 &&
      el('details', { class: 'evidence' }, [
        el('summary', { text: `Evidence (${f.evidence.length})` }),
        el(
          'dl',
          {},
          f.evidence.flatMap(e => [
            el('dt', { text: e.label }),
            el('dd', {}, [el('span', { text: e.value }), e.inLab && el('span', { class: 'in-lab', text: ` → ${e.inLab}` })]),
          ]),
        ),
      ]),
  ]);
}

function show(view: DiagnosisView): void {
  heading.textContent = view.heading;
  if (view.text !== undefined) paste.value = view.text;
  results.replaceChildren(...view.findings.map((f, i) => finding(f, i === 0)));
  state = { ...state, view, draft: paste.value };
  vscode.setState(state);
}

window.addEventListener('message', (event: MessageEvent<ToDiagnosisWebview>) => {
  const message = event.data;
  switch (message?.type) {
    case 'show':
      status.textContent = '';
      status.className = '';
      show(message.view);
      return;
    case 'status':
      status.textContent = message.text;
      status.className = message.severity;
      return;
    case 'busy':
      document.body.classList.toggle('busy', message.busy);
      for (const b of document.querySelectorAll('button')) {
        if (message.busy) b.setAttribute('aria-busy', 'true');
        else b.removeAttribute('aria-busy');
      }
      return;
  }
});

run.addEventListener('click', () => vscode.postMessage({ type: 'diagnose', text: paste.value }));
paste.addEventListener('keydown', event => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) vscode.postMessage({ type: 'diagnose', text: paste.value });
});
paste.addEventListener('input', () => {
  state = { ...state, draft: paste.value };
  vscode.setState(state);
});
document.addEventListener('securitypolicyviolation', event =>
  vscode.postMessage({ type: 'cspViolation', directive: event.violatedDirective, blocked: event.blockedURI }),
);

if (state.draft) paste.value = state.draft;
if (state.view) show(state.view);
vscode.postMessage({ type: 'ready' });
