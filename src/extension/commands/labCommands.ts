// Commands on the lab as a whole: reset it to a fresh sample (traces kept), undo the last
// destructive action, export it as an az script, and set a host's endpoint faults.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import { createLab } from '../../engine/operations/sampleLab';
import { faultsFor, setHostFaults, type FaultChange } from '../../engine/operations/faults';
import type { HostFaults } from '../../engine/state/labState';
import { LATENCY_MS, latencyProblem } from '../../engine/state/limits';
import { exportAzScript as buildScript } from '../../az/export';
import { LabStateError, resetLabState, withStateLock } from '../../host/labHost';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, optionalBoolean, optionalChoice, optionalNumber, requireText } from '../input/args';
import { runFlow } from '../input/flow';
import type { ValueItem } from '../input/items';
import type { CommandContext } from './context';
import { hostOf } from './resolve';
import { hostStep, requireTokenHost } from './runAs';

export async function resetLab(
  ctx: CommandContext,
  input: unknown,
): Promise<CommandOutcome<{ resources: number; kept?: string }> | undefined> {
  let skip = false;
  const parsed = classify<{ skipConfirmation?: boolean }>(input);
  if (parsed.from === 'args') skip = optionalBoolean(parsed.args, 'skipConfirmation') ?? false;
  let lab: Lab;
  try {
    lab = await ctx.lab();
  } catch (error) {
    if (error instanceof LabStateError) return resetUnusableState(ctx, error, skip);
    throw error;
  }
  if (!skip) {
    const detail =
      'Everything in the lab is replaced by the sample: a VM with its system-assigned identity on, a Key Vault with one secret, and no role assignments. ' +
      'The activity (traces) stays. "Undo" brings the current lab back.';
    const choice = await vscode.window.showWarningMessage('Reset the lab to a fresh sample lab?', { modal: true, detail }, 'Reset');
    if (choice !== 'Reset') return undefined;
  }
  return ctx.act(async () => {
    const fresh = (await createLab({ clock: lab.clock })).toState();
    // The running endpoints keep serving with this lab's TLS material; keep it in the saved state too.
    const tls = lab.toState().tls;
    lab.replaceState({ ...fresh, ...(tls ? { tls } : {}), settings: { ...fresh.settings, ...lab.settings } }, 'Reset lab');
    return {
      value: { resources: lab.arm.resources.length },
      message: `The lab was reset to the sample: ${lab.arm.resources.map(r => r.name).join(', ')}. Run "Undo" to get the previous lab back.`,
    };
  });
}

/** The lab could not start from its state file: set the file aside (kept) and start a sample lab. */
async function resetUnusableState(
  ctx: CommandContext,
  problem: LabStateError,
  skip: boolean,
): Promise<CommandOutcome<{ resources: number; kept?: string }> | undefined> {
  if (!skip) {
    const detail = `${problem.message}\n\nReset keeps a copy of the file beside it and starts a fresh sample lab.`;
    const choice = await vscode.window.showWarningMessage(
      'The lab could not start from its state file. Reset it?',
      { modal: true, detail },
      'Reset',
    );
    if (choice !== 'Reset') return undefined;
  }
  return ctx.act(async () => {
    const dir = ctx.controller.stateDirectory;
    const { kept } = await withStateLock(dir, 'VS Code (reset)', () => resetLabState(dir));
    const lab = (await ctx.controller.ready()).lab;
    return {
      value: { resources: lab.arm.resources.length, ...(kept ? { kept } : {}) },
      message: `Started a fresh sample lab: ${lab.arm.resources.map(r => r.name).join(', ')}.${kept ? ` The old state file is kept as ${kept}.` : ''}`,
    };
  });
}

export async function undo(ctx: CommandContext): Promise<CommandOutcome<{ undone: string }> | undefined> {
  const lab = await ctx.lab();
  return ctx.act(() => {
    const label = lab.undo();
    if (!label) throw new ArgumentError('There is nothing to undo.');
    const next = lab.undoLabels[0];
    return {
      value: { undone: label },
      message: `Undid: ${label}. The lab is back as it was before it${next ? `; Undo again reverts: ${next}` : '; nothing more to undo'}.`,
    };
  });
}

export async function exportAzScript(ctx: CommandContext): Promise<CommandOutcome<{ document: vscode.TextDocument }> | undefined> {
  const lab = await ctx.lab();
  return ctx.act(async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'shellscript', content: buildScript(lab) });
    await vscode.window.showTextDocument(document, { preview: false });
    return {
      value: { document },
      message: `Exported the lab as an az script (${document.lineCount} lines). Secrets are left out on purpose.`,
    };
  });
}

export interface SetFaultsArgs {
  hostId: string;
  throttle?: boolean;
  latencyMs?: number;
  failure?: 'none' | 'gone410' | 'notFound404' | 'serverError500';
}

const FAILURES: ReadonlyArray<[SetFaultsArgs['failure'] & string, string, string]> = [
  ['none', 'Answer normally', 'No failure'],
  ['gone410', '410 Gone', 'IMDS is being updated (SDKs retry for up to 70 s)'],
  ['notFound404', '404 Not Found', 'The identity endpoint is updating'],
  ['serverError500', '500 Internal Server Error', 'A failure between the endpoint and Entra ID'],
];

const describeFaults = (f: HostFaults) => {
  const failure = f.failure ? `failing with ${FAILURES.find(x => x[0] === f.failure)?.[1]}` : 'no failure';
  return `throttling ${f.throttle ? 'on' : 'off'}, ${failure}, ${f.latencyMs} ms added latency`;
};

async function askFaults(lab: Lab, hostId: string | undefined): Promise<SetFaultsArgs | undefined> {
  const answers: Partial<SetFaultsArgs> & { hostId?: string } = hostId ? { hostId } : {};
  const title = 'Set Endpoint Faults';
  const done = await runFlow([
    hostStep(lab, title, answers),
    {
      ask: async (input, at) => {
        const current = faultsFor(lab, answers.hostId!);
        const items: Array<ValueItem<boolean>> = [
          {
            label: `${current.throttle ? '$(check) ' : ''}Throttle like IMDS`,
            description: '20 requests per second and 5 at once, else 429',
            value: true,
          },
          { label: `${current.throttle ? '' : '$(check) '}No throttling`, value: false },
        ];
        answers.throttle = (await input.showQuickPick({ title, ...at, items, placeholder: `Now: ${describeFaults(current)}` })).value;
      },
    },
    {
      ask: async (input, at) => {
        const current = faultsFor(lab, answers.hostId!).failure ?? 'none';
        const items = FAILURES.map(([value, label, detail]) => ({
          label: `${value === current ? '$(check) ' : ''}${label}`,
          detail,
          value,
        }));
        answers.failure = (await input.showQuickPick({ title, ...at, items, placeholder: 'Make every token request fail?' })).value;
      },
    },
    {
      ask: async (input, at) => {
        const text = await input.showInputBox({
          title,
          ...at,
          value: String(answers.latencyMs ?? faultsFor(lab, answers.hostId!).latencyMs),
          prompt: `Added latency in milliseconds (${LATENCY_MS.min}-${LATENCY_MS.max})`,
          validate: v => {
            const problem = /^\d+$/.test(v.trim()) ? latencyProblem(Number(v)) : latencyProblem(undefined);
            return problem ? `The latency ${problem}.` : undefined;
          },
        });
        answers.latencyMs = Number(text.trim());
      },
    },
  ]);
  return done ? (answers as SetFaultsArgs) : undefined;
}

export async function setFaults(ctx: CommandContext, input: unknown): Promise<CommandOutcome<HostFaults> | undefined> {
  const lab = await ctx.lab();
  let args: SetFaultsArgs | undefined;
  const parsed = classify<SetFaultsArgs>(input);
  if (parsed.from === 'args') {
    const throttle = optionalBoolean(parsed.args, 'throttle');
    const latencyMs = optionalNumber(parsed.args, 'latencyMs', 'a number of milliseconds');
    const failure = optionalChoice(parsed.args, 'failure', ['none', 'gone410', 'notFound404', 'serverError500'] as const);
    args = {
      hostId: requireText(parsed.args, 'hostId', 'the ARM id of the compute resource'),
      ...(throttle !== undefined ? { throttle } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(failure ? { failure } : {}),
    };
  } else args = await askFaults(lab, parsed.from === 'node' ? hostOf(lab, parsed.node) : undefined);
  if (!args) return undefined;
  requireTokenHost(lab, args.hostId);
  const a = args;
  return ctx.act(() => {
    const change: FaultChange = {
      ...(a.throttle !== undefined ? { throttle: a.throttle } : {}),
      ...(a.latencyMs !== undefined ? { latencyMs: a.latencyMs } : {}),
      ...(a.failure ? { failure: a.failure } : {}),
    };
    const faults = setHostFaults(lab, a.hostId, change);
    return { value: faults, message: `${lab.arm.resource(a.hostId)!.name}'s managed-identity endpoint: ${describeFaults(faults)}.` };
  });
}
