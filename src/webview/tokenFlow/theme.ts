// Mermaid's colours from the VS Code theme: the body's theme class says light, dark or high
// contrast, and the --vscode-* variables give the colours themselves. Mermaid parses colours
// itself, so anything that is not a plain colour falls back to a safe one for that theme.

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

export function themeKind(body: HTMLElement = document.body): ThemeKind {
  const classes = body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'highContrastLight';
  if (classes.contains('vscode-high-contrast')) return 'highContrast';
  if (classes.contains('vscode-dark')) return 'dark';
  return 'light';
}

const COLOR = /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\)|hsla?\([\d\s.,%deg]+\))$/i;

const FALLBACKS: Record<
  ThemeKind,
  { background: string; foreground: string; border: string; note: string; accent: string; error: string }
> = {
  light: { background: '#ffffff', foreground: '#1f1f1f', border: '#8a8a8a', note: '#fff8c5', accent: '#0066b8', error: '#c72e0f' },
  dark: { background: '#1f1f1f', foreground: '#cccccc', border: '#6b6b6b', note: '#3b3a24', accent: '#3794ff', error: '#f48771' },
  highContrast: { background: '#000000', foreground: '#ffffff', border: '#6fc3df', note: '#000000', accent: '#6fc3df', error: '#f48771' },
  highContrastLight: {
    background: '#ffffff',
    foreground: '#292929',
    border: '#0f4a85',
    note: '#ffffff',
    accent: '#0f4a85',
    error: '#b5200d',
  },
};

function cssColor(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return COLOR.test(value) ? value : fallback;
}

/** The editor's font size in CSS pixels (at least 14): diagram text is never smaller than the code beside it. */
export function diagramFontSize(style: CSSStyleDeclaration = getComputedStyle(document.body)): number {
  const editor = parseFloat(style.getPropertyValue('--vscode-editor-font-size'));
  return Math.max(14, Number.isFinite(editor) ? editor : 0);
}

export interface MermaidTheme {
  theme: 'base';
  themeVariables: Record<string, string | boolean>;
}

export function mermaidTheme(kind: ThemeKind = themeKind(), style: CSSStyleDeclaration = getComputedStyle(document.body)): MermaidTheme {
  const f = FALLBACKS[kind];
  const highContrast = kind === 'highContrast' || kind === 'highContrastLight';
  const background = cssColor(style, '--vscode-editor-background', f.background);
  const foreground = cssColor(style, '--vscode-editor-foreground', f.foreground);
  const border = highContrast ? cssColor(style, '--vscode-contrastBorder', f.border) : cssColor(style, '--vscode-panel-border', f.border);
  const box = highContrast ? background : cssColor(style, '--vscode-sideBar-background', background);
  const note = highContrast ? background : cssColor(style, '--vscode-editorWidget-background', f.note);
  const line = highContrast ? foreground : cssColor(style, '--vscode-descriptionForeground', foreground);
  const font = style.getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif';
  const fontSize = `${diagramFontSize(style)}px`;
  return {
    theme: 'base',
    themeVariables: {
      darkMode: kind === 'dark' || kind === 'highContrast',
      background,
      fontFamily: font,
      fontSize,
      primaryColor: box,
      primaryTextColor: foreground,
      primaryBorderColor: border,
      lineColor: line,
      textColor: foreground,
      actorBkg: box,
      actorBorder: border,
      actorTextColor: foreground,
      actorLineColor: border,
      signalColor: foreground,
      signalTextColor: foreground,
      labelBoxBkgColor: box,
      labelBoxBorderColor: cssColor(style, '--vscode-errorForeground', f.error),
      labelTextColor: foreground,
      loopTextColor: foreground,
      noteBkgColor: note,
      noteTextColor: foreground,
      noteBorderColor: border,
      activationBkgColor: cssColor(style, '--vscode-editor-selectionBackground', f.accent),
      activationBorderColor: cssColor(style, '--vscode-focusBorder', f.accent),
      sequenceNumberColor: background,
    },
  };
}
