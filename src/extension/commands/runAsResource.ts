// "Run Command as a Lab Resource…": a terminal whose shell runs as a lab VM or web app, through
// `milab run` (its own network namespace: 169.254.169.254 and Azure's names are the lab, nothing
// else is reachable), so any program typed there — Python, .NET, az, curl — runs unmodified.
// Where namespaces are not available it says so and offers the `milab env` way instead.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hasTokenEndpoint } from '../../engine/azure/resourceTypes';
import { namespaceProblem } from '../../host/namespaces';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, requireText } from '../input/args';
import { resourceItems } from '../input/items';
import type { CommandContext } from './context';
import { hostOf } from './resolve';
import { requireTokenHost } from './runAs';
import { COPY_ENVIRONMENT } from '../commandIds';

export interface RunAsResourceArgs {
  hostId: string;
  /** The program the terminal runs (default: the user's shell). */
  command?: string[];
}

/** The `milab` CLI bundled beside the extension (dist/cli.js). */
const CLI = path.join(__dirname, 'cli.js');

export async function runAsResource(
  ctx: CommandContext,
  input: unknown,
): Promise<CommandOutcome<{ terminal: vscode.Terminal; shellArgs: string[] }> | undefined> {
  const host = await ctx.host();
  const parsed = classify<RunAsResourceArgs>(input);
  let hostId: string | undefined;
  let command: string[] | undefined;
  if (parsed.from === 'args') {
    hostId = requireText(parsed.args, 'hostId', 'the ARM id (or name) of the compute resource to run as');
    const given = (parsed.args as { command?: unknown }).command;
    if (given !== undefined && (!Array.isArray(given) || !given.length || !given.every(a => typeof a === 'string'))) {
      throw new ArgumentError("'command' must be a non-empty array of strings.");
    }
    command = given as string[] | undefined;
  } else if (parsed.from === 'node') hostId = hostOf(host.lab, parsed.node);
  else {
    const items = resourceItems(host.lab, (_r, info) => hasTokenEndpoint(info));
    if (!items.length) {
      throw new ArgumentError('The lab has no compute resource with a token endpoint (a VM, an App Service app…): create one first.');
    }
    hostId = (await vscode.window.showQuickPick(items, { title: 'Run Command as a Lab Resource', placeHolder: 'Run as…' }))?.value;
  }
  if (!hostId) return undefined;
  const resource = host.lab.arm.resource(hostId) ?? host.lab.arm.resources.find(r => r.name.toLowerCase() === hostId!.toLowerCase());
  const target = requireTokenHost(host.lab, resource?.id ?? hostId);
  const problem = namespaceProblem();
  if (problem) {
    const message =
      `This machine cannot give a program a network of its own (${problem}); ` +
      `copy the environment that runs an app as ${target.name} against the lab's loopback endpoints instead (milab env).`;
    ctx.feedback.log.warn(message);
    void vscode.window.showWarningMessage(message, 'Copy Environment').then(choice => {
      if (choice) void vscode.commands.executeCommand(COPY_ENVIRONMENT, { hostId: target.id });
    });
    return { ok: false, error: message, code: 'Unsupported' };
  }
  const shellArgs = [
    CLI,
    'run',
    '--state',
    host.stateDir,
    '--as',
    target.id,
    '--',
    ...(command ?? [vscode.env.shell || process.env['SHELL'] || '/bin/sh']),
  ];
  const terminal = vscode.window.createTerminal({
    name: `Lab: ${target.name}`,
    shellPath: process.execPath,
    shellArgs,
    // VS Code's own Node (Electron in the desktop app) runs milab; run.ts keeps this out of the program's environment.
    env: { ELECTRON_RUN_AS_NODE: '1' },
    iconPath: new vscode.ThemeIcon('vm'),
  });
  terminal.show();
  return ctx.feedback.succeeded(
    { terminal, shellArgs },
    `A terminal runs as ${target.name} (milab run): programs in it reach 169.254.169.254 and Azure's names in the lab, and nothing else.`,
  );
}
