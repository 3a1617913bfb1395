// The side panel: the list of messages (with the lab time of each) and, for the one selected,
// its HTTP request and response, its decoded token (header and claims) and the access decision.
// Built with textContent only: whatever a message contains is shown as text and never parsed as HTML.
import type { MessageView } from './protocol';
import { epochWords } from '../../engine/readModels/epochWords';

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

const pretty = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** `403 ForbiddenByRbac` for HTTP; a TDS answer has only its SQL error number. */
function statusText(m: MessageView): string {
  if (m.status === undefined) return m.errorCode ?? '';
  return `${m.status}${m.errorCode ? ` ${m.errorCode}` : ''}`;
}

/** `10:42:05.123` of the lab clock, and the real time since the flow started. */
const when = (m: MessageView) => `${m.labTime.slice(11, 23)} (+${m.at} ms)`;

export function renderMessageList(
  list: HTMLElement,
  messages: readonly MessageView[],
  selected: number | undefined,
  onSelect: (number: number) => void,
): void {
  list.replaceChildren(
    ...messages.map(m => {
      const button = el(
        'button',
        { class: `message${m.failed && !m.recovered ? ' failed' : ''}${m.number === selected ? ' selected' : ''}` },
        [
          el('span', { class: 'number', text: `${m.number}` }),
          el('span', { class: 'route', text: `${m.from} → ${m.to}` }),
          el('span', { class: 'label', text: `${statusText(m) ? `${statusText(m)} ` : ''}${m.label}` }),
          el('span', { class: 'time', text: when(m) }),
        ],
      );
      button.type = 'button';
      button.setAttribute('aria-pressed', String(m.number === selected));
      button.dataset['number'] = String(m.number);
      button.addEventListener('click', () => onSelect(m.number));
      return el('li', {}, [button]);
    }),
  );
}

function headers(title: string, values: Record<string, string> | undefined): Child {
  const entries = Object.entries(values ?? {});
  if (!entries.length) return undefined;
  return el('div', {}, [
    el('h4', { text: title }),
    el('pre', { class: 'headers', text: entries.map(([k, v]) => `${k}: ${v}`).join('\n') }),
  ]);
}

const CLAIM_DATES = new Set(['exp', 'nbf', 'iat']);

function claimsTable(claims: Record<string, unknown>): HTMLElement {
  // Times relative to when the token was issued: exp reads "in 24 h" whatever the lab's clock says now.
  const issued = typeof claims['iat'] === 'number' ? claims['iat'] * 1000 : undefined;
  const rows = Object.entries(claims).map(([name, value]) => {
    const shown =
      typeof value === 'number' && CLAIM_DATES.has(name)
        ? `${value} (${name === 'iat' || issued === undefined ? new Date(value * 1000).toISOString() : epochWords(value, issued)})`
        : typeof value === 'string'
          ? value
          : JSON.stringify(value);
    return el('tr', {}, [el('th', { text: name }), el('td', { text: shown })]);
  });
  return el('table', { class: 'claims' }, [el('tbody', {}, rows)]);
}

/** A token response's `expires_on` (epoch seconds as a string) as a time, from when the response came. */
function expiresOnLine(body: string, atMs: number): HTMLElement | undefined {
  const value = /"expires_on"\s*:\s*"?(\d{10})"?/.exec(body)?.[1];
  return value ? el('p', { class: 'hint', text: `expires_on ${value} = ${epochWords(Number(value), atMs)}` }) : undefined;
}

export function renderMessageDetail(section: HTMLElement, m: MessageView | undefined, startedAt = 0): void {
  if (!m) {
    section.replaceChildren(
      el('p', {
        class: 'hint',
        text: 'Click a message (in the diagram or the list) to see its HTTP request and response, its token and the access decision.',
      }),
    );
    return;
  }
  const parts: Child[] = [
    el('h3', { text: `${m.number}. ${m.from} → ${m.to}` }),
    el('p', {
      class: m.failed && !m.recovered ? 'outcome failed' : 'outcome',
      text: `${statusText(m) ? `${statusText(m)} · ` : ''}${m.label}`,
    }),
    el('p', { class: 'time', text: `Lab time ${m.labTime.replace('T', ' ').replace('Z', ' UTC')}, ${m.at} ms after the flow started` }),
  ];
  if (m.notes.length) {
    parts.push(
      el(
        'ul',
        { class: 'notes' },
        m.notes.map(n => el('li', { text: n })),
      ),
    );
  }
  if (m.http) {
    const h = m.http;
    parts.push(
      el('section', { class: 'http' }, [
        el('h4', { text: 'HTTP request' }),
        el('pre', { text: `${h.method} ${h.url}` }),
        headers('Request headers', h.requestHeaders),
        h.requestBody !== undefined && el('pre', { text: pretty(h.requestBody) }),
        h.status !== undefined && el('h4', { text: `HTTP response: ${h.status}` }),
        headers('Response headers', h.responseHeaders),
        h.responseBody !== undefined && el('pre', { class: 'body', text: pretty(h.responseBody) }),
        h.responseBody !== undefined && expiresOnLine(h.responseBody, startedAt + m.at),
      ]),
    );
  }
  if (m.token) {
    parts.push(
      el('section', { class: 'token' }, [
        el('h4', { text: 'Access token (decoded; the signature is never shown)' }),
        el('h5', { text: 'Header' }),
        claimsTable(m.token.header),
        el('h5', { text: 'Claims' }),
        claimsTable(m.token.claims),
      ]),
    );
  }
  if (m.authorization) {
    const a = m.authorization;
    parts.push(
      el('section', { class: `authorization ${a.allowed ? 'allowed' : 'denied'}` }, [
        el('h4', { text: `Access decision: ${a.allowed ? 'allowed' : 'denied'}` }),
        a.decidedBy ? el('p', { text: `Decided by: ${a.decidedBy}` }) : undefined,
        el('p', { text: `Action: ${a.action}` }),
        el('p', { text: `Scope: ${a.scope}` }),
        el(
          'ul',
          {},
          a.reasons.map(r => el('li', { text: r })),
        ),
      ]),
    );
  }
  if (!m.http && !m.token && !m.authorization) {
    parts.push(
      el('p', { class: 'hint', text: 'There is no HTTP exchange to show: this step happens inside the service, or over TDS (Azure SQL).' }),
    );
  }
  section.replaceChildren(...parts.filter((p): p is Node | string => Boolean(p)));
}
