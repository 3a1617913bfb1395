// The Credential Chain as a sequence diagram with elapsed time (Mermaid text, built here in the
// engine and only rendered by the webview), and as a view the Token Flow panel shows like a
// trace: one message per credential tried, with what it looked at, found and said.
import type { MessageView, TraceView } from '../traceDiagram/present';
import { escapeMermaidText, wrapText } from '../traceDiagram/mermaid';
import type { CredentialChain, ChainStep } from './evaluate';

const FAILURE_FILL = 'rgba(220, 38, 38, 0.15)';
const SUCCESS_FILL = 'rgba(22, 163, 74, 0.15)';

const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${Math.round(ms)} ms`);
const text = (value: string, width = 40) => escapeMermaidText(wrapText(value, width));
const timing = (step: ChainStep) => `${step.measured ? '' : '≈'}${seconds(step.ms)}`;

export function chainTitle(chain: CredentialChain): string {
  return `DefaultAzureCredential on ${chain.environmentLabel} — ${chain.languageLabel}`;
}

export function chainToMermaid(chain: CredentialChain): string {
  const tried = chain.steps.filter(s => s.outcome === 'answers' || s.outcome === 'unavailable' || s.outcome === 'skipped');
  const lines = ['sequenceDiagram', `  participant app as ${text('App: new DefaultAzureCredential()', 22)}`];
  // Wide enough for the longest credential name (AzureDeveloperCliCredential), so none is cut.
  tried.forEach((s, i) => lines.push(`  participant c${i} as ${text(s.credential, 28)}`));
  const value = chain.tokenCredentials.value !== undefined ? ` = ${chain.tokenCredentials.value}` : '';
  lines.push(`  Note over app: ${text(`AZURE_TOKEN_CREDENTIALS${value}: ${chain.tokenCredentials.effect}`)}`);
  if (chain.clientIdEffect) lines.push(`  Note over app: ${text(chain.clientIdEffect)}`);
  if (chain.tokenCredentials.constructorError) {
    lines.push(`  rect ${FAILURE_FILL}`, `    Note over app: ${text(chain.tokenCredentials.constructorError, 48)}`, '  end');
    return lines.join('\n') + '\n';
  }
  const excluded = chain.steps.filter(s => s.outcome === 'excluded').map(s => s.credential);
  tried.forEach((s, i) => {
    const id = `c${i}`;
    lines.push(`  app->>+${id}: ${text(`t = ${seconds(s.startsAtMs)}: getToken`, 30)}`);
    lines.push(`  Note over ${id}: ${text(`looks at ${s.looksAt}`)}`);
    const answer = `${s.outcome === 'answers' ? 'token' : s.outcome}: ${s.finds} (${timing(s)})`;
    if (s.outcome === 'answers') lines.push(`  rect ${SUCCESS_FILL}`, `    ${id}-->>-app: ${text(answer, 34)}`, '  end');
    else if (s.outcome === 'unavailable') lines.push(`  rect ${FAILURE_FILL}`, `    ${id}--x-app: ${text(answer, 34)}`, '  end');
    else lines.push(`  ${id}-->>-app: ${text(answer, 34)}`);
  });
  if (excluded.length) lines.push(`  Note over app: ${text(`left out: ${excluded.join(', ')}`)}`);
  const notReached = chain.steps.filter(s => s.outcome === 'not reached').map(s => s.credential);
  if (notReached.length) lines.push(`  Note over app: ${text(`not reached: ${notReached.join(', ')}`)}`);
  const ending = chain.answeredBy
    ? `${chain.answeredBy} answered after ${seconds(chain.totalMs)}`
    : `no credential answered: getToken fails after ${seconds(chain.totalMs)}`;
  lines.push(`  Note over app: ${text(ending)}`);
  return lines.join('\n') + '\n';
}

/** The chain as the Token Flow panel shows it: one numbered message per credential tried. */
export function chainView(chain: CredentialChain, id: string, startedAt: number): TraceView {
  const tried = chain.steps.filter(s => s.outcome === 'answers' || s.outcome === 'unavailable' || s.outcome === 'skipped');
  const messages: MessageView[] = tried.map((s, i) => ({
    number: i + 1,
    from: s.credential,
    to: 'App',
    label: `${s.outcome === 'answers' ? 'token' : s.outcome}: ${s.finds}`,
    kind: 'response',
    failed: s.outcome === 'unavailable',
    at: s.startsAtMs,
    labTime: new Date(startedAt + s.startsAtMs).toISOString(),
    notes: [
      `looks at: ${s.looksAt}`,
      `${s.measured ? 'took' : 'takes about'} ${seconds(s.ms)}${s.measured ? ' (measured by the lab)' : ' (estimate)'}`,
      ...(s.sdkSays ? [`the SDK says: ${s.sdkSays}`] : []),
    ],
  }));
  return {
    kind: 'chain',
    id,
    title: chainTitle(chain),
    outcome: chain.answeredBy ? 'success' : 'failure',
    startedAt,
    durationMs: chain.totalMs,
    detail: 'full',
    mermaid: chainToMermaid(chain),
    messages: [
      ...messages,
      {
        number: messages.length + 1,
        from: 'DefaultAzureCredential',
        to: 'App',
        label: chain.answeredBy ? `answered by ${chain.answeredBy}` : 'getToken failed',
        kind: 'internal',
        failed: !chain.answeredBy,
        at: chain.totalMs,
        labTime: new Date(startedAt + chain.totalMs).toISOString(),
        notes: [
          `order from ${chain.source}`,
          ...(chain.failure ? [`the error: ${chain.failure}`] : []),
          ...(chain.tokenCredentials.constructorError ? [`the constructor throws: ${chain.tokenCredentials.constructorError}`] : []),
          ...chain.notes,
        ],
      },
    ],
  };
}
