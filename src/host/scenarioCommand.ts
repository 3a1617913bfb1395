// `scenario list|show|start|check|hint|solve|env|stop` as a command line, for `milab scenario`
// (here or through a running lab's control endpoint) and the lab terminal alike: the same words,
// the same output, the same exit codes (check: 0 solved, 1 not; 2 a usage error). `--json` prints
// data; `check --json` prints the contract {"id","outcome","goals":[{"text","met"}],"message"}.
import { isLabError } from '../engine/base/errors';
import { APP_SETTINGS } from '../engine/scenarios/plan';
import type { ScenarioCheck } from '../engine/scenarios/types';
import { applyEnvironmentWords, type CheckReport, type LineResult, type ScenarioService } from './scenarios';

export const SCENARIO_USAGE = `Usage: scenario <verb> [--json]

Scenarios break something on purpose; you fix it with the lab's tools (az, sql, the trees,
your own app through milab env) and the lab checks the result. Starting one sets your own
lab aside; stopping brings it back exactly.

  list                    every scenario, with its state (not started, in progress, solved, over-privileged)
  show [ID]               the story, the app and the goals (the running scenario without ID)
  start ID                set your lab aside and build the scenario's
  check                   run the app again over the lab's endpoints and check the goals (exit 0 solved, 1 not)
  hint                    the next hint
  solve                   run the reference solution (its az lines are printed), then check
  env [NAME=VALUE ...]    the app's environment for the workload; --unset NAME removes one
  stop                    end the scenario: your own lab comes back

  --json                  print data (check: {"id","outcome","goals":[{"text","met"}],"message"})
`;

const plain = (markdown: string): string => markdown.replace(/\*\*/g, '');
const ok = (stdout: string): LineResult => ({ exitCode: 0, stdout, stderr: '' });
const json = (value: unknown): LineResult => ok(`${JSON.stringify(value, null, 2)}\n`);

/** The check in the `milab scenario check --json` contract: these four keys, in this order. */
export const checkJson = (check: ScenarioCheck) => ({
  id: check.id,
  outcome: check.outcome,
  goals: check.goals.map(g => ({ text: g.text, met: g.met })),
  message: check.message,
});

export function formatCheck(report: CheckReport): string {
  const { check, run } = report;
  const outcome = check.outcome === 'solved' ? 'solved' : check.outcome === 'too-broad' ? 'works, but too broad' : 'not yet';
  const lines = [`${check.id}: ${outcome}`, ...check.goals.map(g => `  ${g.met ? '✓' : '✗'} ${g.text}`), '', check.message];
  if (run.steps.length) {
    lines.push('', 'What the app did (drawn in Token Flow):');
    for (const step of run.steps) {
      lines.push(`  ${step.ok ? '✓' : '✗'} ${step.did}: ${step.status || 'no answer'}${step.errorCode ? ` ${step.errorCode}` : ''}`);
    }
  }
  if (report.notRunHere) lines.push('', report.notRunHere);
  return `${lines.join('\n')}\n`;
}

export async function runScenarioCommand(service: ScenarioService, argv: readonly string[]): Promise<LineResult> {
  const asJson = argv.includes('--json');
  const words = argv.filter(a => a !== '--json');
  const [verb, ...rest] = words;
  if (verb === undefined || verb === 'help' || words.includes('--help') || words.includes('-h')) {
    return { exitCode: verb === undefined ? 2 : 0, stdout: SCENARIO_USAGE, stderr: '' };
  }
  const usage = (message: string): LineResult => ({ exitCode: 2, stdout: '', stderr: `scenario: error: ${message}\n${SCENARIO_USAGE}` });
  const noMore = (n: number) => (rest.length > n ? usage(`unrecognized arguments: ${rest.slice(n).join(' ')}`) : undefined);
  try {
    switch (verb) {
      case 'list': {
        const extra = noMore(0);
        if (extra) return extra;
        const all = service.list();
        if (asJson) return json(all);
        const width = Math.max(...all.map(s => s.id.length));
        const states = {
          'not-started': 'not started',
          'in-progress': 'in progress',
          solved: 'solved',
          'over-privileged': 'over-privileged',
        };
        const lines = all.map(s => `${s.active ? '▶' : ' '} ${s.id.padEnd(width)}  ${states[s.state].padEnd(15)}  ${s.title}`);
        return ok(`${lines.join('\n')}\n\nStart one: scenario start ID\n`);
      }
      case 'show': {
        const extra = noMore(1);
        if (extra) return extra;
        const scenario = rest[0] ? service.definition(rest[0]) : service.active;
        if (!scenario) return usage('no scenario is running: name one (scenario show ID)');
        if (asJson) {
          return json({
            id: scenario.id,
            title: scenario.title,
            story: scenario.story,
            seed: scenario.seed ?? null,
            disagreement: scenario.disagreement ?? null,
            workload: scenario.workload.description,
            hints: scenario.hints.length,
          });
        }
        return ok(`${scenario.title} (${scenario.id})\n\n${plain(scenario.story)}\n\nThe app: ${scenario.workload.description}\n`);
      }
      case 'start': {
        if (!rest[0]) return usage('the following arguments are required: ID');
        const extra = noMore(1);
        if (extra) return extra;
        const scenario = await service.start(rest[0]);
        if (asJson) return json({ id: scenario.id, title: scenario.title, environment: service.environment() });
        const environment = Object.entries(service.environment());
        return ok(
          [
            `Started ${scenario.id}: ${scenario.title}. Your own lab is set aside until 'scenario stop'.`,
            '',
            plain(scenario.story),
            '',
            `The app: ${scenario.workload.description}`,
            ...(environment.length ? ['Its environment:', ...environment.map(([k, v]) => `  ${k}=${v}`)] : []),
            '',
            "Fix it with the lab's tools, then: scenario check. Stuck? scenario hint.",
            '',
          ].join('\n'),
        );
      }
      case 'check': {
        const extra = noMore(0);
        if (extra) return extra;
        const report = await service.check();
        const exitCode = report.check.outcome === 'solved' ? 0 : 1;
        return { exitCode, stdout: asJson ? `${JSON.stringify(checkJson(report.check), null, 2)}\n` : formatCheck(report), stderr: '' };
      }
      case 'hint': {
        const extra = noMore(0);
        if (extra) return extra;
        const hint = service.hint();
        if (asJson) return json(hint);
        const last = hint.number === hint.of ? ' (the last one: scenario solve shows the solution)' : '';
        return ok(`Hint ${hint.number} of ${hint.of}${last}: ${hint.text}\n`);
      }
      case 'solve': {
        const extra = noMore(0);
        if (extra) return extra;
        const solved = await service.solve();
        const exitCode = solved.report.check.outcome === 'solved' ? 0 : 1;
        if (asJson) {
          return {
            exitCode,
            stdout: `${JSON.stringify({ lines: solved.lines, environment: solved.environment, check: checkJson(solved.report.check) }, null, 2)}\n`,
            stderr: '',
          };
        }
        const scenario = service.active;
        const shown = solved.lines.flatMap(l => [
          `$ ${l.line}`,
          ...(l.stdout.trim() ? [l.stdout.trimEnd()] : []),
          ...(l.stderr.trim() ? [l.stderr.trimEnd()] : []),
        ]);
        const environment = Object.entries(scenario?.solution.environment ?? {}).map(([k, v]) => `$ scenario env ${k}=${v}`);
        return {
          exitCode,
          stdout: [
            `The reference solution: ${scenario?.solution.note ?? ''}`,
            '',
            ...shown,
            ...environment,
            '',
            formatCheck(solved.report),
          ].join('\n'),
          stderr: '',
        };
      }
      case 'env': {
        if (rest.length) applyEnvironmentWords(rest, (name, value) => service.setEnvironment(name, value));
        const environment = service.active ? service.environment() : undefined;
        if (!environment) return usage('no scenario is running: start one first');
        if (asJson) return json(environment);
        const lines = Object.entries(environment).map(([k, v]) => `${k}=${v}${APP_SETTINGS[k] ? `    # ${APP_SETTINGS[k]}` : ''}`);
        return ok(lines.length ? `${lines.join('\n')}\n` : '(the app has no settings of its own: only what milab env prints)\n');
      }
      case 'stop': {
        const extra = noMore(0);
        if (extra) return extra;
        const stopped = await service.stop();
        if (asJson) return json({ stopped: stopped ?? null });
        return ok(stopped ? `Stopped ${stopped}: your own lab is back as you left it.\n` : 'No scenario was running.\n');
      }
      default:
        return usage(`'${verb.slice(0, 40)}' is not a scenario verb`);
    }
  } catch (error) {
    if (!isLabError(error)) throw error;
    return { exitCode: 1, stdout: '', stderr: `scenario: ${error.message}\n` };
  }
}
