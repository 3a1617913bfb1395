// "Show Lab Endpoints" (the status-bar item's click): the lab's URLs to copy, and "Copy
// Environment for a Resource" — the same variables as `milab env --as RESOURCE`, from the
// same host function, against this window's lab.
import * as vscode from 'vscode';
import type { LabHost } from '../../host/labHost';
import { hasTokenEndpoint, resourceTypeOf } from '../../engine/azure/resourceTypes';
import { appEnvironment, formatEnvironmentJson, formatEnvironmentShell } from '../../host/appEnvironment';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, optionalChoice, requireText } from '../input/args';
import type { ValueItem } from '../input/items';
import { resourceItems } from '../input/items';
import type { CommandContext } from './context';
import { hostOf } from './resolve';

interface EndpointItem extends ValueItem<string> {
  copy?: boolean;
}

function endpointItems(host: LabHost): EndpointItem[] {
  const { server, lab } = host;
  const items: EndpointItem[] = [
    { label: '$(broadcast) IMDS and identity endpoints (HTTP)', description: server.url, value: server.url, copy: true },
    { label: '$(lock) Entra ID, ARM, Key Vault, Storage (HTTPS)', description: server.httpsUrl, value: server.httpsUrl, copy: true },
    {
      label: '$(database) Azure SQL (TDS)',
      description: `127.0.0.1:${server.sqlPort}`,
      detail: 'Connect to {server}.database.windows.net on this port (Encrypt=True; the lab CA must be trusted)',
      value: String(server.sqlPort),
      copy: true,
    },
    {
      label: '$(key) Token signing keys (JWKS)',
      description: `${server.httpsUrl}/${lab.tenantId}/discovery/v2.0/keys`,
      value: `${server.httpsUrl}/${lab.tenantId}/discovery/v2.0/keys`,
      copy: true,
    },
  ];
  const hosts = lab.arm.resources.filter(r => hasTokenEndpoint(resourceTypeOf(r.type, r.kind)));
  if (hosts.length) items.push({ label: 'Run as a resource', kind: vscode.QuickPickItemKind.Separator, value: '' });
  for (const r of hosts) {
    const imds = resourceTypeOf(r.type, r.kind)?.tokenEndpoint === 'imds';
    const url = imds ? server.imdsAuthorityHost(r.id) : server.identityEndpoint(r.id);
    items.push({
      label: `$(${resourceTypeOf(r.type, r.kind)?.icon ?? 'vm'}) ${r.name}`,
      description: imds ? 'AZURE_POD_IDENTITY_AUTHORITY_HOST' : 'IDENTITY_ENDPOINT',
      detail: url,
      value: url,
      copy: true,
    });
  }
  items.push(
    { label: '', kind: vscode.QuickPickItemKind.Separator, value: '' },
    {
      label: '$(terminal) Copy Environment for a Resource…',
      detail: 'The variables that make an unmodified Azure SDK app run as a resource (milab env)',
      value: 'env',
    },
    { label: '$(output) Show Lab Log', value: 'log' },
  );
  return items;
}

export async function showEndpoints(ctx: CommandContext): Promise<CommandOutcome<string> | undefined> {
  const host = await ctx.host();
  const picked = await vscode.window.showQuickPick(endpointItems(host), {
    title: 'Managed Identity Lab Endpoints',
    placeHolder: 'Select one to copy it',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (picked.value === 'log') {
    ctx.feedback.log.show();
    return undefined;
  }
  if (picked.value === 'env') return copyEnvironment(ctx, undefined);
  await vscode.env.clipboard.writeText(picked.value);
  void vscode.window.setStatusBarMessage(`Copied ${picked.value}`, 3000);
  return { ok: true, value: picked.value, message: `Copied ${picked.value}` };
}

export interface CopyEnvironmentArgs {
  hostId: string;
  format?: 'sh' | 'json';
}

/** The environment that runs an app as the host, as `milab env` prints it. */
async function environmentText(host: LabHost, hostId: string, format: 'sh' | 'json'): Promise<string> {
  const result = await appEnvironment(host.lab, host.server.url, {
    as: hostId,
    caFile: host.caFile,
    caBundleFile: host.caBundleFile,
    sqlPort: host.server.sqlPort,
  });
  if (!result.ok) throw new ArgumentError(result.message);
  return format === 'json' ? formatEnvironmentJson(result.environment) : formatEnvironmentShell(result.environment, host.server.url);
}

export async function copyEnvironment(ctx: CommandContext, input: unknown): Promise<CommandOutcome<string> | undefined> {
  const host = await ctx.host();
  const parsed = classify<CopyEnvironmentArgs>(input);
  let hostId: string | undefined;
  let format: 'sh' | 'json' = 'sh';
  if (parsed.from === 'args') {
    hostId = requireText(parsed.args, 'hostId', 'the ARM id (or name) of the compute resource to run as');
    format = optionalChoice(parsed.args, 'format', ['sh', 'json'] as const) ?? 'sh';
  } else if (parsed.from === 'node') hostId = hostOf(host.lab, parsed.node);
  else {
    const items = resourceItems(host.lab, (_r, info) => hasTokenEndpoint(info));
    if (!items.length) throw new ArgumentError('The lab has no compute resource with a token endpoint.');
    hostId = (await vscode.window.showQuickPick(items, { title: 'Copy Environment for a Resource', placeHolder: 'Run the app as…' }))
      ?.value;
  }
  if (!hostId) return undefined;
  const text = await environmentText(host, hostId, format);
  await vscode.env.clipboard.writeText(text);
  return ctx.feedback.succeeded(
    text,
    `Copied the environment that runs an app as ${host.lab.arm.resource(hostId)?.name ?? hostId} (as 'milab env' prints it). ` +
      'Paste it into a shell, then start the app.',
  );
}
