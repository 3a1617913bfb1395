// The lab clock from VS Code: the status bar's menu (pause, advance 5 min / 1 h / 24 h or by
// any duration, return to real time) and a command for each, with its milab twin. Everything
// time-based in the lab follows (engine/operations/clock.ts).
import * as vscode from 'vscode';
import { changeClock, type ClockAction } from '../../engine/operations/clock';
import { clockView, type ClockView } from '../../engine/readModels/clock';
import { parseDuration } from '../../engine/base/clock';
import type { CommandOutcome } from '../feedback/outcome';
import { classify, optionalText } from '../input/args';
import type { ValueItem } from '../input/items';
import type { CommandContext } from './context';

async function act(ctx: CommandContext, action: ClockAction, duration?: string): Promise<CommandOutcome<ClockView>> {
  const lab = await ctx.lab();
  return ctx.act(() => {
    changeClock(lab, action, duration);
    const view = clockView(lab.clock);
    const what = {
      advance: `Advanced the lab clock by ${duration}`,
      pause: 'Paused the lab clock',
      resume: 'The lab clock runs again',
      real: 'The lab clock is back to real time',
    }[action];
    return { value: view, message: `${what}: ${view.summary}.`, az: `milab clock ${action}${duration ? ` ${duration}` : ''}` };
  });
}

export async function advanceClock(ctx: CommandContext, input: unknown): Promise<CommandOutcome<ClockView> | undefined> {
  const parsed = classify<{ duration: string }>(input);
  let duration = parsed.from === 'args' ? optionalText(parsed.args, 'duration', 'a duration such as 10m, 1h or 24h') : undefined;
  duration ??= await vscode.window.showInputBox({
    title: 'Advance Lab Clock',
    prompt: 'How far? Tokens expire, caches run out and role assignments propagate as the lab time passes.',
    placeHolder: '10m, 1h, 24h, 1h30m',
    validateInput: text => (parseDuration(text) ? undefined : 'A duration like 90s, 5m, 1h, 24h or 1h30m'),
  });
  if (duration === undefined) return undefined;
  return act(ctx, 'advance', duration.trim());
}

export const pauseClock = (ctx: CommandContext) => act(ctx, 'pause');
export const resumeClock = (ctx: CommandContext) => act(ctx, 'resume');
export const realTimeClock = (ctx: CommandContext) => act(ctx, 'real');

/** The status bar's menu. */
export async function clockMenu(ctx: CommandContext): Promise<CommandOutcome<ClockView> | undefined> {
  const lab = await ctx.lab();
  const view = clockView(lab.clock);
  type Choice = { action: ClockAction; duration?: string } | 'other';
  const items: Array<ValueItem<Choice>> = [
    {
      label: '$(debug-step-over) Advance 5 minutes',
      description: 'RBAC changes are still propagating (up to 10 min)',
      value: { action: 'advance', duration: '5m' },
    },
    {
      label: '$(debug-step-over) Advance 1 hour',
      description: 'projected AKS tokens (1 h) expire',
      value: { action: 'advance', duration: '1h' },
    },
    {
      label: '$(debug-step-over) Advance 24 hours',
      description: 'managed-identity tokens (about 24 h) expire',
      value: { action: 'advance', duration: '24h' },
    },
    { label: '$(edit) Advance by…', value: 'other' },
    view.mode === 'paused'
      ? { label: '$(debug-continue) Resume', description: 'run again from where it stands', value: { action: 'resume' } }
      : { label: '$(debug-pause) Pause', description: 'stop the lab time', value: { action: 'pause' } },
    ...(view.mode !== 'real' ? [{ label: '$(history) Return to real time', value: { action: 'real' } as Choice }] : []),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Lab Clock — ${view.summary}`, placeHolder: 'Move the lab clock' });
  if (!picked) return undefined;
  if (picked.value === 'other') return advanceClock(ctx, undefined);
  return act(ctx, picked.value.action, picked.value.duration);
}
