// A diagnosis as `milab diagnose` and the lab terminal print it: a readable report, or the
// JSON contract {"findings":[{"category","title","explanation","evidence","fixes":[{"title","az"}]}]}
// (best first; `az` present where the fix has a command). Each fix carries its az twin.
import type { Lab } from '../engine/lab/lab';
import type { Diagnosis, Finding } from '../engine/diagnosis/model';
import { fixTwin } from './diagnosisTwins';

export interface FindingJson {
  category: string;
  title: string;
  explanation: string;
  evidence: Array<{ label: string; value: string; inLab?: string }>;
  fixes: Array<{ title: string; az?: string }>;
}

export function diagnosisJson(diagnosis: Diagnosis, lab?: Lab): { findings: FindingJson[] } {
  return {
    findings: diagnosis.findings.map(f => ({
      category: f.category,
      title: f.title,
      explanation: f.explanation,
      evidence: f.evidence.map(e => ({ label: e.label, value: e.value, ...(e.inLab ? { inLab: e.inLab } : {}) })),
      fixes: f.fixes.map(fix => {
        const az = fixTwin(fix.action, lab);
        return az ? { title: fix.title, az } : { title: fix.title };
      }),
    })),
  };
}

/** Words wrapped at `width` columns, each line indented. */
function wrap(text: string, indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + word.length + 1 > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

export interface ReportStyle {
  bold: (s: string) => string;
  dim: (s: string) => string;
}

const PLAIN: ReportStyle = { bold: s => s, dim: s => s };

function findingLines(f: Finding, lab: Lab | undefined, style: ReportStyle, full: boolean): string[] {
  const lines = [`${style.bold(f.category)} — ${f.title}`];
  if (!full) return lines;
  lines.push('', ...wrap(f.explanation, '  '));
  if (f.evidence.length) {
    lines.push('', '  Evidence:');
    for (const e of f.evidence.slice(0, 20)) lines.push(`    ${e.label}: ${e.value}${e.inLab ? style.dim(`  → ${e.inLab}`) : ''}`);
  }
  if (f.fixes.length) {
    lines.push('', '  Fix:');
    f.fixes.forEach((fix, i) => {
      lines.push(...wrap(`${i + 1}. ${fix.title}${fix.runnable ? '' : ''}`, '    '));
      const az = fixTwin(fix.action, lab);
      if (az) lines.push(`       ${az}`);
    });
  }
  return lines;
}

export function formatDiagnosis(diagnosis: Diagnosis, lab?: Lab, style: ReportStyle = PLAIN): string {
  const [best, ...rest] = diagnosis.findings;
  const lines = best ? findingLines(best, lab, style, true) : [];
  if (rest.length) {
    lines.push('', style.dim('Also possible:'));
    for (const f of rest) lines.push(...findingLines(f, lab, style, false).map(l => `  ${l}`));
  }
  return lines.join('\n') + '\n';
}
