// "Show Credential Chain…": what DefaultAzureCredential tries where an app runs — a lab host or
// your machine — in the SDK language chosen, with what AZURE_TOKEN_CREDENTIALS and
// AZURE_CLIENT_ID change; from the palette, or from a request in the Activity view (with the
// timings the lab measured when it saw the chain). The engine builds the diagram; Token Flow draws it.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import { credentialChain, type ChainRequest, type CredentialChain } from '../../engine/readModels/credentialChain/evaluate';
import { chainEnvironmentOf, chainRequestForTrace, YOUR_MACHINE } from '../../engine/readModels/credentialChain/fromLab';
import { LANGUAGE_CHAINS, type SdkLanguage } from '../../engine/readModels/credentialChain/languages';
import { chainView } from '../../engine/readModels/credentialChain/present';
import { resourceTypeOf } from '../../engine/azure/resourceTypes';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, optionalChoice, optionalText } from '../input/args';
import type { ValueItem } from '../input/items';
import type { CommandContext } from './context';

export interface CredentialChainArgs {
  /** `local` (your machine), or a compute resource's name or id. */
  environment: string;
  language: SdkLanguage;
  /** The value of AZURE_TOKEN_CREDENTIALS; absent: not set. */
  tokenCredentials: string;
  /** The value of AZURE_CLIENT_ID; absent: not set. */
  clientId: string;
  /** Draw the chain behind this request instead (from the Activity view). */
  traceId: string;
}

const LANGUAGES = Object.keys(LANGUAGE_CHAINS) as SdkLanguage[];
let shown = 0;

function requestFromArgs(lab: Lab, args: Partial<CredentialChainArgs>): ChainRequest {
  const language = optionalChoice(args, 'language', LANGUAGES) ?? 'js';
  const traceId = optionalText(args, 'traceId', 'the id of a trace');
  if (traceId) {
    const trace = lab.traces.byId(traceId);
    if (!trace) throw new ArgumentError(`There is no trace '${traceId}' any more.`);
    const request = chainRequestForTrace(lab, trace, language);
    if (!request) {
      throw new ArgumentError(
        'That request did not come from an app running as a lab host or on your machine, so there is no chain to show.',
      );
    }
    return request;
  }
  const where = optionalText(args, 'environment', "'local' or a compute resource") ?? YOUR_MACHINE;
  const environment = chainEnvironmentOf(lab, where);
  if (!environment.ok) throw new ArgumentError(environment.message);
  const tokenCredentials = optionalText(args, 'tokenCredentials', 'the value of AZURE_TOKEN_CREDENTIALS');
  const clientId = optionalText(args, 'clientId', 'the value of AZURE_CLIENT_ID');
  return {
    language,
    environment: environment.environment,
    variables: {
      ...(tokenCredentials !== undefined ? { AZURE_TOKEN_CREDENTIALS: tokenCredentials } : {}),
      ...(clientId ? { AZURE_CLIENT_ID: clientId } : {}),
    },
  };
}

async function ask(lab: Lab): Promise<Partial<CredentialChainArgs> | undefined> {
  const hosts: Array<ValueItem<string>> = [
    {
      label: '$(device-desktop) Your machine',
      description: "no managed identity; the lab's az signed in as you (milab env --as local)",
      value: YOUR_MACHINE,
    },
    ...lab.arm.resources
      .filter(r => {
        const endpoint = resourceTypeOf(r.type, r.kind)?.tokenEndpoint;
        return endpoint === 'imds' || endpoint === 'identityEndpoint';
      })
      .map(r => ({
        label: `$(${resourceTypeOf(r.type, r.kind)?.icon ?? 'server'}) ${r.name}`,
        description: resourceTypeOf(r.type, r.kind)?.displayName,
        value: r.id,
      })),
  ];
  const environment = await vscode.window.showQuickPick(hosts, { title: 'Credential Chain (1/3): where does the app run?' });
  if (!environment) return undefined;
  const language = await vscode.window.showQuickPick(
    LANGUAGES.map(l => ({ label: LANGUAGE_CHAINS[l].label, description: LANGUAGE_CHAINS[l].source, value: l })),
    { title: 'Credential Chain (2/3): which SDK?' },
  );
  if (!language) return undefined;
  const chain = LANGUAGE_CHAINS[language.value];
  const choices: Array<ValueItem<string | undefined>> = [
    { label: 'not set', description: 'the whole chain', value: undefined },
    { label: 'dev', description: chain.dev.join(', '), value: 'dev' },
    { label: 'prod', description: chain.prod.join(', '), value: 'prod' },
    ...chain.single.map(([, spelled]) => ({ label: spelled, description: 'this credential only', value: spelled })),
  ];
  const tokenCredentials = await vscode.window.showQuickPick(choices, { title: 'Credential Chain (3/3): AZURE_TOKEN_CREDENTIALS' });
  if (!tokenCredentials) return undefined;
  return {
    environment: environment.value,
    language: language.value,
    ...(tokenCredentials.value ? { tokenCredentials: tokenCredentials.value } : {}),
  };
}

export async function showCredentialChain(
  ctx: CommandContext,
  input: unknown,
): Promise<CommandOutcome<{ chain: CredentialChain; viewId: string }> | undefined> {
  const lab = await ctx.lab();
  const parsed = classify<CredentialChainArgs>(input);
  let args: Partial<CredentialChainArgs> | undefined;
  if (parsed.from === 'args') args = parsed.args;
  else if (parsed.from === 'node' && parsed.node.kind === 'trace') args = { traceId: parsed.node.traceId };
  else args = await ask(lab);
  if (!args) return undefined;
  const request = requestFromArgs(lab, args);
  return ctx.act(() => {
    const chain = credentialChain(request);
    const viewId = `credential-chain-${++shown}`;
    ctx.tokenFlow.showView(chainView(chain, viewId, lab.clock.now()));
    const outcome = chain.answeredBy
      ? `${chain.answeredBy} answers after ${(chain.totalMs / 1000).toFixed(1)} s`
      : chain.tokenCredentials.constructorError
        ? 'the constructor throws'
        : `no credential answers (${(chain.totalMs / 1000).toFixed(1)} s)`;
    return {
      value: { chain, viewId },
      message: `DefaultAzureCredential on ${chain.environmentLabel} (${chain.languageLabel}): ${outcome}.`,
      ...(request.environment.kind === 'local' ? { az: 'eval "$(milab env --as local)"' } : {}),
    };
  });
}
