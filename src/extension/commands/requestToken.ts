// "Request Token…": asks the lab's managed-identity endpoint for a token as a compute
// resource, over real HTTP, exactly as code on that resource would.
import * as vscode from 'vscode';
import { RESOURCE_APPS } from '../../engine/directory/resourceApps';
import { resourceTypeOf } from '../../engine/arm/resourceTypes';
import type { LabController } from '../labController';
import type { ResourceNode } from '../views/resourcesTree';

export interface RequestTokenArgs {
  /** ARM id of the compute resource to run as. */
  hostId?: string;
  /** Audience, e.g. https://vault.azure.net. */
  resource?: string;
}

export interface RequestTokenResult {
  status: number;
  body: Record<string, unknown>;
}

export async function requestToken(controller: LabController, log: vscode.LogOutputChannel, input?: RequestTokenArgs | ResourceNode): Promise<RequestTokenResult | undefined> {
  const host = await controller.ready();
  const args: RequestTokenArgs = input && 'kind' in input ? (input.kind === 'resource' ? { hostId: input.id } : {}) : (input ?? {});

  const hostId = args.hostId ?? (await pickHost(controller));
  if (!hostId) return undefined;
  const resourceState = host.lab.arm.resource(hostId);
  if (!resourceState || resourceTypeOf(resourceState.type, resourceState.kind)?.tokenEndpoint !== 'imds') {
    void vscode.window.showErrorMessage(`'${hostId}' is not a compute resource of this lab that uses IMDS.`);
    return undefined;
  }
  const audience = args.resource ?? (await pickAudience());
  if (!audience) return undefined;

  const url = `${host.server.imdsAuthorityHost(resourceState.id)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(audience)}`;
  log.info(`GET ${url} (as ${resourceState.name})`);
  const response = await fetch(url, { headers: { Metadata: 'true' } });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.ok) {
    log.info(`200: token for ${audience} as ${resourceState.name}, expires_on ${String(body['expires_on'])}`);
    void vscode.window.showInformationMessage(`Token issued to ${resourceState.name} for ${audience}.`);
  } else {
    const description = String(body['error_description'] ?? body['error'] ?? '');
    log.warn(`${response.status}: ${String(body['error'])}: ${description}`);
    void vscode.window.showWarningMessage(`Token request failed: ${response.status} ${description}`);
  }
  return { status: response.status, body };
}

async function pickHost(controller: LabController): Promise<string | undefined> {
  const lab = (await controller.ready()).lab;
  const items = lab.arm.resources
    .filter(r => resourceTypeOf(r.type, r.kind)?.tokenEndpoint === 'imds')
    .map(r => ({
      label: r.name,
      description: resourceTypeOf(r.type, r.kind)?.displayName ?? r.type,
      detail: r.identity?.systemAssigned ? `System-assigned identity on (${r.identity.systemAssigned.principalId})` : 'No system-assigned identity',
      id: r.id,
    }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('This lab has no compute resource that can request tokens yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Request Token (1/2): run as which resource?', placeHolder: 'The code asking for a token runs on…', ignoreFocusOut: true });
  return picked?.id;
}

async function pickAudience(): Promise<string | undefined> {
  const items = RESOURCE_APPS.map(app => ({ label: app.identifierUris[0]!, description: app.displayName }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Request Token (2/2): for which API (audience)?', placeHolder: 'The resource the token is for', ignoreFocusOut: true });
  return picked?.label;
}
