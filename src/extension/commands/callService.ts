// "Call a Service…": reads a Key Vault secret as code on a resource would (SecretClient +
// DefaultAzureCredential: challenge, token, retry), over real HTTPS. A 403 offers its fix:
// the least-privileged role that grants the read, at the vault. "…with a Token for Another API"
// asks which audience the app's token is for, to show what Key Vault does with the wrong one (AKV10022).
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import { findVaultByName } from '../../engine/services/keyVault';
import { resourceTypeOf } from '../../engine/azure/resourceTypes';
import { recommendRole } from '../../engine/readModels/overview/denials';
import { selectIdentity } from '../../engine/services/managedIdentity/acquire';
import { readSecretAs, type IdentityChoice, type SecretReadResult } from '../../host/appClient';
import { showSecretTwin } from '../../az/twin';
import { RESOURCE_APPS } from '../../engine/azure/resourceApps';
import { KEY_VAULT_AUDIENCES } from '../../engine/azure/audiences';
import { ArgumentError, type CommandOutcome, type FollowUp } from '../feedback/outcome';
import { classify, optionalText, requireText } from '../input/args';
import { runFlow } from '../input/flow';
import { resourceItems } from '../input/items';
import { VIEW_ACTIVITY, type CommandContext } from './context';
import { hostOf, userIdentityOf } from './resolve';
import { hostStep, identityStep, readIdentityArg, requireTokenHost, type RunAsAnswers } from './runAs';
import { ASSIGN_ROLE } from '../commandIds';
import { failureHelp } from '../diagnosis/failureHelp';
import { withholding } from '../diagnosis/learning';

export interface CallServiceArgs {
  /** ARM id of the compute resource the app runs on. */
  hostId: string;
  /** The Key Vault's name or ARM id. */
  vault: string;
  secret: string;
  identity?: IdentityChoice;
  /** Ask for a token for this resource instead of the one Key Vault's challenge names (to see a wrong audience refused). */
  audience?: string;
}

/** Longer audiences are refused before any request is made. */
const MAX_AUDIENCE_LENGTH = 500;

const TITLE = 'Call a Service: Read a Secret';

function requireVault(lab: Lab, vault: string) {
  const found = vault.startsWith('/') ? lab.arm.resource(vault) : findVaultByName(lab, vault);
  if (!found || resourceTypeOf(found.type)?.key !== 'keyvault') throw new ArgumentError(`There is no Key Vault '${vault}' in the lab.`);
  return found;
}

async function ask(lab: Lab, known: RunAsAnswers & Partial<CallServiceArgs>, askAudience: boolean): Promise<CallServiceArgs | undefined> {
  const answers = { ...known };
  const done = await runFlow([
    hostStep(lab, TITLE, answers),
    {
      applies: () => !known.vault,
      ask: async (input, at) => {
        const items = resourceItems(lab, (_r, info) => info?.key === 'keyvault');
        if (!items.length) throw new ArgumentError('The lab has no Key Vault: create one first.');
        answers.vault = (await input.showQuickPick({ title: TITLE, ...at, items, placeholder: 'Which Key Vault?' })).value;
      },
    },
    {
      ask: async (input, at) => {
        const vault = requireVault(lab, answers.vault!);
        // Names only: the lab never shows a secret's value.
        const names = (lab.dataFor(vault.id).secrets ?? []).filter(s => !s.deleted).map(s => ({ label: s.name, value: s.name }));
        answers.secret = (
          await input.showQuickPick({
            title: TITLE,
            ...at,
            items: names,
            placeholder: 'Which secret? (type a name to try another)',
            custom: typed => ({ label: typed, description: 'read this name', value: typed }),
          })
        ).value;
      },
    },
    identityStep(lab, TITLE, answers),
    {
      applies: () => askAudience && !known.audience,
      ask: async (input, at) => {
        const items = RESOURCE_APPS.map(app => ({
          label: app.identifierUris[0]!,
          description: app.identifierUris[0] === KEY_VAULT_AUDIENCES[0] ? `${app.displayName}: the one Key Vault takes` : app.displayName,
          value: app.identifierUris[0]!,
        }));
        answers.audience = (
          await input.showQuickPick({
            title: TITLE,
            ...at,
            items,
            placeholder: 'The token is for which API (its audience)? Key Vault takes only its own',
            custom: typed => ({ label: typed, description: 'ask for a token for this resource', value: typed }),
          })
        ).value;
      },
    },
  ]);
  return done
    ? {
        hostId: answers.hostId!,
        vault: answers.vault!,
        secret: answers.secret!,
        ...(answers.identity ? { identity: answers.identity } : {}),
        ...(answers.audience ? { audience: answers.audience } : {}),
      }
    : undefined;
}

function checkAudience(audience: string | undefined): void {
  if (audience && audience.length > MAX_AUDIENCE_LENGTH) {
    throw new ArgumentError(`'audience' is at most ${MAX_AUDIENCE_LENGTH} characters: a resource URI such as ${KEY_VAULT_AUDIENCES[0]}.`);
  }
}

/** "Call a Service with a Token for Another API…": the same, asking which audience the token is for. */
export async function callServiceWithAudience(ctx: CommandContext, input: unknown): Promise<CommandOutcome<SecretReadResult> | undefined> {
  return callService(ctx, input, true);
}

export async function callService(
  ctx: CommandContext,
  input: unknown,
  askAudience = false,
): Promise<CommandOutcome<SecretReadResult> | undefined> {
  const host = await ctx.host();
  const lab = host.lab;
  let args: CallServiceArgs | undefined;
  const parsed = classify<CallServiceArgs>(input);
  if (parsed.from === 'args') {
    const identity = readIdentityArg(parsed.args);
    args = {
      hostId: requireText(parsed.args, 'hostId', 'the ARM id of the compute resource the app runs on'),
      vault: requireText(parsed.args, 'vault', 'the Key Vault’s name or id'),
      secret: requireText(parsed.args, 'secret', 'the name of the secret to read'),
      ...(identity ? { identity } : {}),
    };
    const audience = optionalText(parsed.args, 'audience', `the resource the token is asked for, such as ${KEY_VAULT_AUDIENCES[0]}`);
    if (audience) args.audience = audience;
  } else {
    const known: RunAsAnswers & Partial<CallServiceArgs> = {};
    if (parsed.from === 'node') {
      const node = parsed.node;
      if (node.kind === 'resource' && resourceTypeOf(lab.arm.resource(node.id)?.type ?? '')?.key === 'keyvault') known.vault = node.id;
      else known.hostId = hostOf(lab, node);
      const identityId = userIdentityOf(node);
      if (identityId) known.identity = { by: 'resourceId', value: identityId };
    }
    args = await ask(lab, known, askAudience);
  }
  if (!args) return undefined;
  checkAudience(args.audience);
  requireTokenHost(lab, args.hostId);
  requireVault(lab, args.vault);
  const a = args;
  const app = requireTokenHost(lab, a.hostId);
  const vault = requireVault(lab, a.vault);
  ctx.tokenFlow.show();
  return ctx.act(async () => {
    const result = await ctx.inView(VIEW_ACTIVITY, 'Reading the secret…', () =>
      readSecretAs(lab, host.server, app, vault.name, a.secret, a.identity, a.audience),
    );
    const ok = result.valueReturned;
    const followUps: FollowUp[] = [];
    const selected = selectIdentity(
      app,
      a.identity,
      resourceTypeOf(app.type, app.kind)?.tokenEndpoint === 'imds' ? 'imds' : 'identityEndpoint',
    );
    const principal = 'principalId' in selected ? selected.principalId : undefined;
    const help = ok ? undefined : failureHelp(ctx, lab, lab.traces.latest?.id);
    // Learning mode: the role is kept back (failureHelp offers Show Hint instead).
    const fix = !ok && result.status === 403 && principal && !withholding(lab) ? recommendRole(lab, principal) : undefined;
    if (fix) {
      followUps.push({
        title: `Assign ${fix.role.roleName}`,
        run: () => void vscode.commands.executeCommand(ASSIGN_ROLE, { principalId: principal, role: fix.role.roleName, scope: fix.scope }),
      });
    }
    // Other failures (no identity, a wrong one, throttling…) offer what the diagnosis of their trace found.
    for (const more of help?.followUps ?? []) if (!followUps.some(f => f.title === more.title)) followUps.push(more);
    const why = result.message ? ` — ${result.message.split(/\r?\n/)[0]}` : '';
    const needs = `${fix ? ` It needs ${fix.role.roleName}.` : ''}${help?.words ? ` ${help.words}` : ''}`;
    return {
      value: result,
      message: ok
        ? `${app.name} read secret ${a.secret} from ${vault.name} (the value is not shown).`
        : `${app.name} could not read ${a.secret} from ${vault.name}: ${result.status} ${result.errorCode ?? ''}${why}${needs}`,
      severity: ok ? 'info' : 'warning',
      followUps,
      // az's nearest command reads the secret as the signed-in user, not as the resource.
      az: showSecretTwin(vault.name, a.secret),
    };
  });
}
