// "Request Token…": asks the resource's managed-identity endpoint (IMDS, or App Service's) for a
// token over real HTTP, exactly as code on that resource would; the flow is drawn in Token Flow.
import type { Lab } from '../../engine/lab/lab';
import { requestTokenAs, type HttpResult, type IdentityChoice } from '../../host/appClient';
import { requestTokenTwin } from '../../az/twin';
import type { CommandOutcome } from '../feedback/outcome';
import { classify, requireText } from '../input/args';
import { runFlow } from '../input/flow';
import { audienceItems, customAudience } from '../input/items';
import { VIEW_ACTIVITY, type CommandContext } from './context';
import { hostOf, userIdentityOf } from './resolve';
import { failureHelp } from '../diagnosis/failureHelp';
import { hostStep, identityStep, readIdentityArg, requireTokenHost, type RunAsAnswers } from './runAs';
import { labelledId } from '../../engine/readModels/idWords';
import { epochWords } from '../../engine/readModels/epochWords';

export interface RequestTokenArgs {
  /** ARM id of the compute resource the app runs on. */
  hostId: string;
  /** The audience, e.g. https://vault.azure.net. */
  resource: string;
  /** Which identity; by default the endpoint's own choice. */
  identity?: IdentityChoice;
}

const TITLE = 'Request Token';

async function ask(lab: Lab, known: RunAsAnswers & { resource?: string }): Promise<RequestTokenArgs | undefined> {
  const answers = { ...known };
  const done = await runFlow([
    hostStep(lab, TITLE, answers),
    identityStep(lab, TITLE, answers),
    {
      ask: async (input, at) => {
        answers.resource = (
          await input.showQuickPick({
            title: TITLE,
            ...at,
            items: audienceItems(),
            placeholder: 'For which API (audience)? Type another to try it',
            custom: customAudience,
          })
        ).value;
      },
    },
  ]);
  return done
    ? { hostId: answers.hostId!, resource: answers.resource!, ...(answers.identity ? { identity: answers.identity } : {}) }
    : undefined;
}

export async function requestToken(ctx: CommandContext, input: unknown): Promise<CommandOutcome<HttpResult> | undefined> {
  const host = await ctx.host();
  const lab = host.lab;
  let args: RequestTokenArgs | undefined;
  const parsed = classify<RequestTokenArgs>(input);
  if (parsed.from === 'args') {
    const identity = readIdentityArg(parsed.args);
    args = {
      hostId: requireText(parsed.args, 'hostId', 'the ARM id of the compute resource the app runs on'),
      resource: requireText(parsed.args, 'resource', 'the audience, e.g. https://vault.azure.net'),
      ...(identity ? { identity } : {}),
    };
  } else {
    const known: RunAsAnswers = {};
    if (parsed.from === 'node') {
      known.hostId = hostOf(lab, parsed.node);
      const identityId = userIdentityOf(parsed.node);
      if (identityId) known.identity = { by: 'resourceId', value: identityId };
    }
    args = await ask(lab, known);
  }
  if (!args) return undefined;
  requireTokenHost(lab, args.hostId);
  const a = args;
  const resource = requireTokenHost(lab, a.hostId);
  ctx.tokenFlow.show();
  return ctx.act(async () => {
    const result = await ctx.inView(VIEW_ACTIVITY, 'Requesting a token…', () =>
      requestTokenAs(lab, host.server, resource, a.resource, a.identity),
    );
    const ok = result.status === 200;
    const error = `${String(result.body['error'] ?? result.status)}: ${String(result.body['error_description'] ?? '')}`;
    const expires = (epoch: number) => `expires_on ${epoch} = ${epochWords(epoch, lab.clock.now())}`;
    const help = ok ? undefined : failureHelp(ctx, lab, lab.traces.latest?.id);
    return {
      value: result,
      message: ok
        ? `Token issued to ${resource.name} for ${a.resource} ` +
          `(${labelledId('client', String(result.body['client_id']))}, ${expires(Number(result.body['expires_on']))}).`
        : `Token request as ${resource.name} failed: ${result.status} ${error}${help?.words ? ` ${help.words}` : ''}`,
      severity: ok ? 'info' : 'warning',
      followUps: help?.followUps ?? [],
      // az's nearest command gets a token as the signed-in user, not as the resource.
      az: requestTokenTwin(a.resource),
    };
  });
}
