// Runs a workload — the request an app makes, as diagnosis and reproduction describe it — over
// real HTTP(S) against the lab's endpoints, the way the Azure SDK would: a token from the host's
// managed-identity endpoint, then the service call with it (Key Vault with its challenge first).
// Every request is traced by the endpoints, so what ran is drawn.
import type { Lab } from '../engine/lab/lab';
import type { FixAction, Workload } from '../engine/diagnosis/model';
import type { Caller } from '../engine/lab/authorization';
import { applyFix } from '../engine/diagnosis/fixes';
import type { RunningLabServer } from '../server/labServer';
import { findResourceApp } from '../engine/azure/resourceApps';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import { mintServiceAccountToken } from '../engine/services/entra/workloadIssuer';
import { JWT_BEARER } from '../engine/services/entra/clientCredentials';
import { httpsRequest, readSecretAs, requestTokenAs, type SecretReadResult } from './appClient';

export interface WorkloadResult {
  ok: boolean;
  status: number;
  errorCode?: string;
  message?: string;
  /** The trace the (last) request was recorded as. */
  traceId?: string;
}

const parse = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** Azure's error code in a JSON or XML body. */
function errorOf(text: string): { code?: string; message?: string } {
  const body = parse(text);
  const error = body['error'];
  if (typeof error === 'string') return { code: error, message: String(body['error_description'] ?? body['message'] ?? '') };
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>;
    const inner = (e['innererror'] as Record<string, unknown> | undefined)?.['code'];
    return { code: String(inner ?? e['code'] ?? e['number'] ?? ''), message: String(e['message'] ?? '') };
  }
  const xml = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
  return xml ? { code: xml } : {};
}

function requireHost(lab: Lab, hostId: string) {
  const host = lab.arm.resource(hostId);
  if (!host) throw new Error(`The lab has no resource ${hostId}.`);
  return host;
}

async function tokenFor(lab: Lab, server: RunningLabServer, w: Exclude<Workload, { kind: 'clientCredentials' }>, resource: string) {
  const result = await requestTokenAs(lab, server, requireHost(lab, w.hostId), resource, w.identity);
  return result.status === 200 ? { token: String(result.body['access_token']) } : { failed: result };
}

const done = (lab: Lab, status: number, text = ''): WorkloadResult => {
  const error = status >= 400 ? errorOf(text) : {};
  const traceId = lab.traces.latest?.id;
  return {
    ok: status < 400,
    status,
    ...(error.code ? { errorCode: error.code } : {}),
    ...(error.message ? { message: error.message } : {}),
    ...(traceId ? { traceId } : {}),
  };
};

/** A secret read as the workload saw it, with the trace it was recorded as. */
export function secretReadOutcome(lab: Lab, result: SecretReadResult): WorkloadResult {
  const traceId = lab.traces.latest?.id;
  return {
    ok: result.valueReturned,
    status: result.status,
    ...(result.errorCode ? { errorCode: result.errorCode } : {}),
    ...(result.message ? { message: result.message } : {}),
    ...(traceId ? { traceId } : {}),
  };
}

export async function runWorkload(lab: Lab, server: RunningLabServer, workload: Workload): Promise<WorkloadResult> {
  switch (workload.kind) {
    case 'token': {
      const host = requireHost(lab, workload.hostId);
      const wait = Math.min(workload.waitMs ?? 0, 10_000);
      if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
      let last: WorkloadResult = { ok: false, status: 0 };
      const times = Math.min(Math.max(workload.repeat ?? 1, 1), 100);
      for (let i = 0; i < times; i++) {
        if (workload.withoutMetadataHeader && resourceTypeOf(host.type, host.kind)?.tokenEndpoint === 'imds') {
          const response = await fetch(
            `${server.imdsAuthorityHost(host.id)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(workload.resource)}`,
          );
          last = done(lab, response.status, await response.text());
        } else {
          const result = await requestTokenAs(lab, server, host, workload.resource, workload.identity);
          last = done(lab, result.status || 500, JSON.stringify(result.body));
        }
        // A burst stops at its first refusal: that is what the app saw.
        if (!last.ok) return last;
      }
      return last;
    }
    case 'readSecret': {
      const result = await readSecretAs(
        lab,
        server,
        requireHost(lab, workload.hostId),
        workload.vault,
        workload.secret,
        workload.identity,
        workload.audience,
      );
      return secretReadOutcome(lab, result);
    }
    case 'readBlob': {
      const token = await tokenFor(lab, server, workload, 'https://storage.azure.com/');
      if (token.failed) return done(lab, token.failed.status || 500, JSON.stringify(token.failed.body));
      const blob = workload.blob.split('/').map(encodeURIComponent).join('/');
      const url = `${lab.serviceUrls.blob(workload.account)}${encodeURIComponent(workload.container)}/${blob}`;
      const answer = await httpsRequest(server, url, { Authorization: `Bearer ${token.token}`, 'x-ms-version': '2025-11-05' });
      return done(lab, answer.status, answer.text);
    }
    case 'writeBlob': {
      const token = await tokenFor(lab, server, workload, 'https://storage.azure.com/');
      if (token.failed) return done(lab, token.failed.status || 500, JSON.stringify(token.failed.body));
      const blob = workload.blob.split('/').map(encodeURIComponent).join('/');
      const url = `${lab.serviceUrls.blob(workload.account)}${encodeURIComponent(workload.container)}/${blob}`;
      const answer = await httpsRequest(
        server,
        url,
        {
          Authorization: `Bearer ${token.token}`,
          'x-ms-version': '2025-11-05',
          'x-ms-blob-type': 'BlockBlob',
          'Content-Type': 'text/plain; charset=utf-8',
        },
        { method: 'PUT', body: workload.text },
      );
      return done(lab, answer.status, answer.text);
    }
    case 'arm': {
      const token = await tokenFor(lab, server, workload, 'https://management.azure.com/');
      if (token.failed) return done(lab, token.failed.status || 500, JSON.stringify(token.failed.body));
      const body = workload.body ? JSON.stringify(workload.body) : undefined;
      const answer = await httpsRequest(
        server,
        `${server.httpsUrl}${workload.path}`,
        { Authorization: `Bearer ${token.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        { method: workload.method, ...(body ? { body } : {}) },
      );
      return done(lab, answer.status, answer.text);
    }
    case 'sqlQuery': {
      const token = await tokenFor(lab, server, workload, 'https://database.windows.net/');
      if (token.failed) return done(lab, token.failed.status || 500, JSON.stringify(token.failed.body));
      const port = new URL(server.httpsUrl).port;
      const answer = await httpsRequest(
        server,
        `https://${workload.server.toLowerCase()}.database.windows.net:${port}/databases/${encodeURIComponent(workload.database)}/query`,
        { Authorization: `Bearer ${token.token}`, 'Content-Type': 'application/json' },
        { method: 'POST', body: JSON.stringify({ query: workload.query }) },
      );
      return done(lab, answer.status, answer.text);
    }
    case 'clientCredentials': {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: workload.clientId, scope: workload.scope });
      if (workload.secret !== undefined) form.set('client_secret', workload.secret);
      if (workload.serviceAccount) {
        const cluster = lab.arm.resource(workload.serviceAccount.clusterId);
        if (!cluster) throw new Error(`The lab has no cluster ${workload.serviceAccount.clusterId}.`);
        const now = Math.floor(lab.clock.now() / 1000);
        // An expired assertion: issued two hours ago for one hour, as a token file nobody re-read.
        const assertion = await mintServiceAccountToken(
          lab,
          cluster,
          workload.serviceAccount.namespace,
          workload.serviceAccount.name,
          3600,
          { issuedAt: workload.serviceAccount.expired ? now - 7200 : now },
        );
        form.set('client_assertion_type', JWT_BEARER);
        form.set('client_assertion', assertion);
      }
      const answer = await httpsRequest(
        server,
        `${server.httpsUrl}/${lab.tenantId}/oauth2/v2.0/token`,
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        { method: 'POST', body: form.toString() },
      );
      return done(lab, answer.status, answer.text);
    }
  }
}

/** What a workload does, in words (for the person watching it run). */
export function describeWorkload(lab: Lab, workload: Workload): string {
  const host = 'hostId' in workload ? (lab.arm.resource(workload.hostId)?.name ?? workload.hostId) : undefined;
  const identity = 'identity' in workload && workload.identity ? ` naming ${workload.identity.by} ${workload.identity.value}` : '';
  switch (workload.kind) {
    case 'token':
      return (
        `${host} asks for a token for ${workload.resource}${identity}` +
        `${workload.withoutMetadataHeader ? ' without the Metadata header' : ''}${(workload.repeat ?? 1) > 1 ? `, ${workload.repeat} times in a row` : ''}`
      );
    case 'readSecret':
      return `${host} reads secret ${workload.secret} from ${workload.vault}${identity}${workload.audience ? ` with a token for ${workload.audience}` : ''}`;
    case 'readBlob':
      return `${host} reads blob ${workload.container}/${workload.blob} from ${workload.account}${identity}`;
    case 'writeBlob':
      return `${host} writes blob ${workload.container}/${workload.blob} to ${workload.account}${identity}`;
    case 'arm':
      return `${host} calls ARM: ${workload.method} ${workload.path.split('?')[0]}${identity}`;
    case 'sqlQuery':
      return `${host} queries ${workload.server}/${workload.database}${identity}`;
    case 'clientCredentials':
      return `A client asks Entra for a token for ${workload.scope} as ${findResourceApp(workload.clientId)?.displayName ?? workload.clientId}`;
  }
}

/**
 * Carries out a diagnosis fix: a change to the lab through its engine operation (as `caller`,
 * after a checkpoint), or a rerun of the app's request. Returns what happened, in a sentence,
 * and for reruns the request's result.
 */
export async function carryOutFix(
  lab: Lab,
  server: RunningLabServer,
  action: FixAction,
  caller: Caller,
): Promise<{ message: string; result?: WorkloadResult }> {
  if (action.kind !== 'rerun') return { message: await applyFix(lab, caller, action) };
  const result = await runWorkload(lab, server, action.workload);
  const outcome = result.ok ? `${result.status} — it works` : `still ${result.status} ${result.errorCode ?? ''}`.trim();
  return {
    message: `${describeWorkload(lab, action.workload)}: ${outcome}`,
    result,
  };
}
