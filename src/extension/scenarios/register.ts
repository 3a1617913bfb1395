// The scenario commands (palette, the Scenarios view, the walkthrough's links), each taking
// `{ id }` for scripting as the other commands take their arguments: Start, Check (its workload's
// run is drawn in Token Flow), Hint and the story (markdown previews), Show Solution (runs the
// reference solution and shows its az lines), Stop. Also the walkthrough's context keys, set from
// the engine's walkthrough read model whenever the lab changes, and remembered in the state.
import * as vscode from 'vscode';
import type { LabController } from '../labController';
import type { Feedback } from '../feedback/outcome';
import type { ScenarioService } from '../../host/scenarios';
import { formatCheck } from '../../host/scenarioCommand';
import { walkthroughDoneNow, WALKTHROUGH_STEPS } from '../../engine/scenarios/walkthrough';
import { recordWalkthroughSteps } from '../../engine/operations/scenarioProgress';
import {
  OPEN_WALKTHROUGH,
  SCENARIO_CHECK,
  SCENARIO_HINT,
  SCENARIO_OPEN_STORY,
  SCENARIO_SHOW_SOLUTION,
  SCENARIO_START,
  SCENARIO_STOP,
  SHOW_TRACE,
} from '../commandIds';
import type { ScenariosTreeProvider } from './scenariosTree';

export const WALKTHROUGH_ID = 'handsOn';
export const WALKTHROUGH_CONTEXT = (step: string) => `managedIdentityLab.walkthrough.${step}`;
/** After activation, when VS Code has registered the walkthrough (its 5 s timer, with a margin). */
const WALKTHROUGH_KEYS_AFTER_MS = 6_000;

type Args = { id?: unknown } | undefined;

async function openMarkdown(content: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.commands.executeCommand('markdown.showPreview', document.uri);
}

export function registerScenarios(
  context: vscode.ExtensionContext,
  controller: LabController,
  feedback: Feedback,
  tree: ScenariosTreeProvider,
  /** Resolves once the lab's changes are on disk (throws the save failure in words): a step is reported done only then. */
  saved: () => Promise<void>,
): vscode.Disposable[] {
  const service = async (): Promise<ScenarioService> => {
    const host = await controller.ready();
    if (!host.scenarios) throw new Error('This lab serves no scenarios.');
    return host.scenarios;
  };
  const idOf = async (args: Args, verb: string): Promise<string | undefined> => {
    if (args && typeof args.id === 'string') return args.id;
    const all = (await service()).list();
    const picked = await vscode.window.showQuickPick(
      all.map(s => ({ label: s.title, description: `${s.id} · ${s.state}`, id: s.id })),
      { title: `${verb} a scenario`, placeHolder: 'Scenario' },
    );
    return picked?.id;
  };
  const run = <T>(title: string, task: () => Promise<T>) =>
    task().catch((error: unknown) => {
      feedback.failed(title, error);
      return undefined;
    });

  const commands = [
    vscode.commands.registerCommand(SCENARIO_START, (args: Args) =>
      run('Start scenario', async () => {
        const id = await idOf(args, 'Start');
        if (!id) return undefined;
        const scenario = await (await service()).start(id);
        await saved();
        feedback.inform(`Started ${scenario.id}: ${scenario.title}. Your own lab is set aside until you stop the scenario.`);
        await openMarkdown(`# ${scenario.title}\n\n${scenario.story}\n\n**The app:** ${scenario.workload.description}\n`);
        return { id: scenario.id };
      }),
    ),
    vscode.commands.registerCommand(SCENARIO_CHECK, () =>
      run('Check scenario', async () => {
        const report = await (await service()).check();
        await saved();
        const last = [...report.run.steps].reverse().find(s => s.traceId);
        if (last?.traceId) await vscode.commands.executeCommand(SHOW_TRACE, { traceId: last.traceId });
        const text = report.check.message;
        if (report.check.outcome === 'solved') feedback.inform(text);
        else feedback.warn(text);
        feedback.log.info(formatCheck(report));
        return { ...report.check };
      }),
    ),
    vscode.commands.registerCommand(SCENARIO_HINT, () =>
      run('Scenario hint', async () => {
        const hint = (await service()).hint();
        await saved();
        await openMarkdown(`# Hint ${hint.number} of ${hint.of}\n\n${hint.text}\n`);
        return hint;
      }),
    ),
    vscode.commands.registerCommand(SCENARIO_SHOW_SOLUTION, () =>
      run('Show solution', async () => {
        const solved = await (await service()).solve();
        await saved();
        const active = (await service()).active;
        const lines = solved.lines.map(l => l.line);
        const environment = Object.entries(active?.solution.environment ?? {}).map(([k, v]) => `scenario env ${k}=${v}`);
        await openMarkdown(
          `# The reference solution\n\n${active?.solution.note ?? ''}\n\n\`\`\`bash\n${[...lines, ...environment].join('\n')}\n\`\`\`\n\n` +
            `**Check:** ${solved.report.check.message}\n`,
        );
        return { ...solved.report.check };
      }),
    ),
    vscode.commands.registerCommand(SCENARIO_STOP, () =>
      run('Stop scenario', async () => {
        const stopped = await (await service()).stop();
        await saved();
        feedback.inform(stopped ? `Stopped ${stopped}: your own lab is back as you left it.` : 'No scenario was running.');
        return { stopped: stopped ?? null };
      }),
    ),
    vscode.commands.registerCommand(SCENARIO_OPEN_STORY, (args: Args) =>
      run('Open story', async () => {
        const id = await idOf(args, 'Read');
        if (!id) return undefined;
        const scenario = (await service()).definition(id);
        const seed = scenario.seed
          ? `\n\n*From the course material: ${scenario.seed.section}${scenario.seed.row ? `, row "${scenario.seed.row}"` : ''}.*`
          : '';
        await openMarkdown(`# ${scenario.title}\n\n${scenario.story}${seed}\n\n**The app:** ${scenario.workload.description}\n`);
        return { id };
      }),
    ),
    vscode.commands.registerCommand(OPEN_WALKTHROUGH, () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false),
    ),
  ];

  // The walkthrough's steps complete from the lab's state, never by a click. VS Code registers an
  // extension's walkthrough only after racing an experiment lookup against a 5 s timer, and a step
  // whose completion context key is already true then is recorded as seen but never checked for
  // the session (vscode gettingStartedService.ts: registerExtensionWalkthroughContributions,
  // registerDoneListeners). So the keys stay unset until that registration is surely done.
  let publishing = false;
  const contextKeys = () => {
    const lab = controller.current;
    if (!lab) return;
    const done = recordWalkthroughSteps(lab, walkthroughDoneNow(lab));
    if (publishing) {
      for (const step of WALKTHROUGH_STEPS) {
        void vscode.commands.executeCommand('setContext', WALKTHROUGH_CONTEXT(step.id), done.includes(step.id));
      }
    }
    tree.refresh();
  };
  const publishLater = setTimeout(() => {
    publishing = true;
    contextKeys();
  }, WALKTHROUGH_KEYS_AFTER_MS);
  // No opening of the walkthrough here: VS Code opens an extension's walkthrough when it is
  // installed (workbench.welcomePage.walkthroughs.openOnInstall), and a second opening on every
  // fresh profile would cover what the learner was doing.
  const started = controller.onDidStart(contextKeys);
  return [
    ...commands,
    controller.onDidChangeLab(contextKeys),
    controller.onDidAddTrace(contextKeys),
    started,
    { dispose: () => clearTimeout(publishLater) },
  ];
}
