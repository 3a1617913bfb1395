// Draws a trace's Mermaid text into the page and makes its messages clickable. Mermaid's
// own output (sanitized SVG, securityLevel 'strict') is the only markup ever inserted.
import mermaid from 'mermaid';
import { diagramFontSize, mermaidTheme } from './theme';
import { NOT_ASKED, NOT_CALLED } from '../../engine/readModels/traceDiagram/mermaid';

export interface Drawn {
  participants: string[];
  messageCount: number;
  /** `break` blocks drawn: one per failure that ended the flow. */
  failures: number;
}

let renderCount = 0;

/** Renders `text` into `target`; resolves undefined when a newer render started meanwhile. */
export async function drawDiagram(target: HTMLElement, text: string): Promise<Drawn | undefined> {
  const renderId = ++renderCount;
  const size = diagramFontSize();
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    ...mermaidTheme(),
    sequence: {
      showSequenceNumbers: true,
      wrap: false,
      width: 180,
      noteMargin: 8,
      messageMargin: 30,
      actorFontSize: size,
      noteFontSize: size,
      messageFontSize: size,
    },
  });
  const { svg } = await mermaid.render(`flow-${renderId}`, text);
  if (renderId !== renderCount) return undefined;
  target.innerHTML = svg;
  fillWidth(target);
  fadeAbsentParties(target);
  // A participant's name may be wrapped over several <text> lines inside its box.
  const participants = [...target.querySelectorAll('svg rect.actor-top')]
    .map(box =>
      [...(box.parentElement?.querySelectorAll('text.actor') ?? [])]
        .map(t => t.textContent?.trim() ?? '')
        .join(' ')
        .trim(),
    )
    .filter(Boolean);
  return {
    participants,
    messageCount: messageLines(target).length,
    failures: [...target.querySelectorAll('svg .labelText')].filter(node => node.textContent?.trim() === 'break').length,
  };
}

/** Where a party was not involved this time (Entra for a cached token, the service a bare token is for): drawn faded. */
function fadeAbsentParties(target: HTMLElement): void {
  for (const text of target.querySelectorAll('svg text.noteText')) {
    const words = text.textContent?.trim() ?? '';
    if (words.startsWith(NOT_ASKED) || words.startsWith(NOT_CALLED)) text.parentElement?.classList.add('absent-party');
  }
}

/**
 * The diagram takes its pane's full width: a narrow one is scaled up to it (text only grows), a
 * wide one keeps its natural size and scrolls (text never shrinks below the font size above).
 */
function fillWidth(target: HTMLElement): void {
  const svg = target.querySelector('svg');
  const natural = svg?.viewBox.baseVal.width;
  if (!svg || !natural) return;
  svg.style.maxWidth = 'none';
  svg.style.width = '100%';
  svg.style.minWidth = `${Math.ceil(natural)}px`;
  svg.removeAttribute('height');
}

/** One line (or self-message path) per message, in the order the messages were drawn. */
function messageLines(target: HTMLElement): SVGGraphicsElement[] {
  return [...target.querySelectorAll<SVGGraphicsElement>('svg .messageLine0, svg .messageLine1')];
}

/**
 * Wires clicks on message labels to message numbers. A label sits just above its arrow, so
 * each label belongs to the first arrow below it (labels may wrap onto several lines).
 */
export function bindMessageClicks(target: HTMLElement, onSelect: (number: number) => void): void {
  const lines = messageLines(target).map(line => line.getBBox().y + line.getBBox().height / 2);
  const labels = [...target.querySelectorAll<SVGGraphicsElement>('svg text.messageText')];
  for (const label of labels) {
    const box = label.getBBox();
    const index = lines.findIndex(y => y >= box.y + box.height / 2);
    if (index === -1) continue;
    label.classList.add('clickable');
    label.setAttribute('data-message', String(index + 1));
    label.addEventListener('click', () => onSelect(index + 1));
  }
}

export function markSelected(target: HTMLElement, number: number | undefined): void {
  for (const label of target.querySelectorAll('svg text.messageText')) {
    label.classList.toggle('selected', label.getAttribute('data-message') === String(number));
  }
}

export function currentSvg(target: HTMLElement): string | undefined {
  return target.querySelector('svg')?.outerHTML;
}
