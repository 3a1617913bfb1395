// A failed trace, read from its facts (the refusal its endpoint recorded), not from its text:
// which rule refused, for whom, which action at which scope. And the request it was, so a fix
// can run it again.
import type { Lab } from '../lab/lab';
import type { Refusal, Trace } from '../trace/model';
import type { Evidence, Workload } from './model';
import type { Service, Symptom } from './symptoms';
import { readText } from './readText';
import { describePrincipal } from './bind';
import { serviceFromHost } from '../azure/serviceDomains';

const SERVICES: Partial<Record<Refusal['by'], Service>> = { keyvault: 'keyvault', storage: 'storage', arm: 'arm', sql: 'sql' };
const ENDPOINT_WORDS: Partial<Record<Refusal['by'], string>> = {
  imds: 'IMDS',
  identityEndpoint: 'the App Service identity endpoint',
  entra: 'Microsoft Entra ID',
  keyvault: 'Key Vault',
  storage: 'Storage',
  arm: 'Azure Resource Manager',
  sql: 'Azure SQL',
};

function refusalEvidence(lab: Lab, trace: Trace, r: Refusal): Evidence[] {
  const evidence: Evidence[] = [{ label: 'refused by', value: `${ENDPOINT_WORDS[r.by] ?? r.by}: rule '${r.rule}'` }];
  if (trace.status !== undefined) evidence.push({ label: 'status', value: String(trace.status) });
  if (r.errorCode) evidence.push({ label: 'error code', value: r.errorCode });
  if (r.principalId) {
    const words = describePrincipal(lab, r.principalId)?.words;
    evidence.push({ label: 'object id', value: r.principalId, ...(words ? { inLab: words } : {}) });
  }
  if (r.action) evidence.push({ label: 'action', value: r.action });
  if (r.scope) evidence.push({ label: 'scope', value: r.scope });
  if (r.audience) {
    evidence.push({
      label: r.by === 'imds' || r.by === 'identityEndpoint' || r.by === 'entra' ? 'resource asked for' : 'token audience',
      value: r.audience,
    });
  }
  if (r.selector) evidence.push({ label: r.selector.by, value: r.selector.value });
  if (r.hostResourceId) {
    const host = lab.arm.resource(r.hostResourceId);
    evidence.push({ label: 'runs as', value: r.hostResourceId, ...(host ? { inLab: host.name } : {}) });
  }
  return evidence;
}

export function readTrace(lab: Lab, trace: Trace): Symptom[] {
  const r = trace.refusal;
  if (!r) {
    return [
      {
        kind: 'notIdentity',
        what: `${trace.status ?? 'a failure'} ${trace.errorCode ?? ''}`.trim(),
        explanation: 'The trace records no refusal facts (it was recorded by an older version, or failed before an endpoint decided).',
        evidence: [{ label: 'status', value: String(trace.status ?? '?') }],
      },
    ];
  }
  const evidence = refusalEvidence(lab, trace, r);
  const hostId = r.hostResourceId ?? trace.hostResourceId;
  const host = hostId ? { hostId } : {};
  const service = SERVICES[r.by];
  switch (r.rule) {
    case 'rbac':
      if (service === 'sql' || !service) break;
      return [
        {
          kind: 'rbacDenied',
          service,
          strong: true,
          ...(r.principalId ? { principalId: r.principalId } : {}),
          ...(r.clientId ? { clientId: r.clientId } : {}),
          ...(r.action ? { action: r.action } : {}),
          ...(r.scope ? { scope: r.scope } : {}),
          ...(r.errorCode === 'LinkedAuthorizationFailed' && r.action && r.scope ? { linked: { action: r.action, scope: r.scope } } : {}),
          ...host,
          evidence,
        },
      ];
    case 'accessPolicy': {
      const permission = /secrets (\w+)/.exec(r.action ?? '')?.[1] ?? 'get';
      const vault = r.targetResourceId ? lab.arm.resource(r.targetResourceId)?.name : undefined;
      return [
        {
          kind: 'rbacDenied',
          service: 'keyvault',
          strong: true,
          accessPolicy: { objectType: 'secrets', permission },
          ...(r.principalId ? { principalId: r.principalId } : {}),
          ...(vault ? { vaultName: vault } : {}),
          evidence,
        },
      ];
    }
    case 'audience':
      return [
        {
          kind: 'wrongAudience',
          service: service ?? 'unknown',
          ...(r.audience ? { found: r.audience } : {}),
          ...(r.principalId ? { principalId: r.principalId } : {}),
          ...host,
          evidence,
        },
      ];
    case 'tokenExpired':
      return [{ kind: 'tokenExpired', service: service ?? 'unknown', evidence }];
    case 'noManagedIdentity':
      return [{ kind: 'miUnavailable', how: 'noIdentity', ...host, evidence }];
    case 'identityNotAssigned':
    case 'identityDeleted':
    case 'userAssignedNotNamed':
      return [
        {
          kind: 'miIdentityNotFound',
          how: r.rule === 'identityDeleted' ? 'deleted' : r.rule === 'userAssignedNotNamed' ? 'userAssignedNotNamed' : 'notAssigned',
          strong: true,
          ...(r.selector ? { selector: r.selector } : {}),
          ...host,
          evidence,
        },
      ];
    case 'multipleUserAssigned':
      return [{ kind: 'miMultiple', ...host, evidence }];
    case 'throttled':
      return [{ kind: 'miThrottled', ...host, evidence }];
    case 'endpointProtocol':
      if (r.by === 'imds' || r.by === 'identityEndpoint') {
        return [{ kind: 'miBadRequest', detail: r.detail ?? r.errorCode ?? 'bad request', ...host, evidence }];
      }
      break;
    case 'endpointFault':
      return [{ kind: 'miTransient', ...(trace.status !== undefined ? { status: trace.status } : {}), ...host, evidence }];
    case 'resourceNotFound':
      return [{ kind: 'resourceNotFound', ...(r.audience ? { resource: r.audience } : {}), evidence }];
    case 'entra': {
      // Entra's own message carries the facts (issuer, subject, times): read them as a text would be.
      const code = Number(/AADSTS(\d+)/.exec(r.errorCode ?? '')?.[1] ?? 0);
      const fromText = r.detail ? readText(`AADSTS${code}: ${r.detail}`).symptoms.find(s => s.kind === 'entra') : undefined;
      const facts = fromText?.kind === 'entra' ? fromText : undefined;
      return [
        {
          kind: 'entra',
          code,
          ...(r.detail ? { message: r.detail } : {}),
          ...(r.clientId ? { clientId: r.clientId } : {}),
          ...(facts?.issuer ? { issuer: facts.issuer } : {}),
          ...(facts?.subject ? { subject: facts.subject } : {}),
          ...(facts?.audience ? { audience: facts.audience } : {}),
          evidence,
        },
      ];
    }
    case 'sqlLogin':
      return [
        {
          kind: 'sqlLogin',
          how: /not currently configured/.test(r.detail ?? '') ? 'notConfigured' : 'noUser',
          ...(r.principalId ? { principalId: r.principalId } : {}),
          ...(r.targetResourceId ? { database: r.targetResourceId } : {}),
          ...host,
          evidence,
        },
      ];
    case 'principalNotFound': {
      const value = /Principal (\S+) does not exist/.exec(r.detail ?? '')?.[1];
      return [{ kind: 'principalNotFound', ...(value ? { value } : {}), evidence }];
    }
    default:
      break;
  }
  return [
    {
      kind: 'notIdentity',
      what: `${ENDPOINT_WORDS[r.by] ?? r.by} answered ${trace.status ?? ''} ${r.errorCode ?? ''}`.replace(/\s+/g, ' ').trim(),
      explanation: explainOther(r),
      evidence,
    },
  ];
}

function explainOther(r: Refusal): string {
  switch (r.rule) {
    case 'tokenMissing':
      return (
        'The service was called without a token and answered with its challenge (401); the client never came ' +
        'back with a token for the resource the challenge named.'
      );
    case 'issuer':
      return "The token was issued by another tenant than the one this resource trusts: sign in to (or request the token from) the resource's own tenant.";
    case 'tokenInvalid':
      return `The token could not be verified (${r.detail ?? 'malformed or badly signed'}): only tokens Microsoft Entra ID signed, untouched, are accepted.`;
    case 'sqlPermission':
      return (
        `The login worked, but the database user lacks the permission (${r.detail ?? 'SQL error'}): give it a ` +
        `database role (ALTER ROLE db_datareader ADD MEMBER …).`
      );
    case 'notFound':
      return `Authentication and authorization were fine; the thing asked for does not exist: ${r.detail ?? r.errorCode ?? ''}. Not an identity problem.`;
    case 'endpointProtocol':
      return `The request broke the service's protocol: ${r.detail ?? r.errorCode ?? ''}.`;
    default:
      return r.detail ?? 'The endpoint refused the request.';
  }
}

/** The request a trace recorded, as a workload the host adapter can run again (undefined when it cannot be repeated, e.g. a secret it did not keep). */
export function workloadOf(lab: Lab, trace: Trace): Workload | undefined {
  const r = trace.refusal;
  const hostId = r?.hostResourceId ?? trace.hostResourceId;
  const first = trace.messages.find(m => m.kind === 'request' && m.http);
  const url = first?.http ? splitUrl(first.http.url) : undefined;
  const identity = r?.selector ? { identity: r.selector } : {};
  if (!hostId || !lab.arm.resource(hostId) || !url) return undefined;
  if (r?.by === 'imds' || r?.by === 'identityEndpoint') {
    const resource = url.query.get('resource') ?? r.audience;
    if (!resource) return undefined;
    return {
      kind: 'token',
      hostId,
      resource,
      ...identity,
      ...(r.rule === 'endpointProtocol' && /metadata/i.test(r.detail ?? '') ? { withoutMetadataHeader: true } : {}),
    };
  }
  // The service and its resource come from the refusal's facts (a traced URL is only a path).
  const target = r?.targetResourceId ? lab.arm.resource(r.targetResourceId.split('/').slice(0, 9).join('/')) : undefined;
  const service =
    serviceFromHost(url.hostname) ??
    (target && r ? { kind: r.by === 'keyvault' ? 'keyvault' : r.by === 'storage' ? 'blob' : r.by, name: target.name } : undefined);
  const path = safeDecode(url.pathname);
  if (service?.kind === 'keyvault') {
    const secret = /^\/secrets\/([^/]+)/.exec(path)?.[1];
    if (!secret) return undefined;
    return {
      kind: 'readSecret',
      hostId,
      vault: service.name,
      secret,
      ...identity,
      ...(r?.rule === 'audience' && r.audience ? { audience: r.audience } : {}),
    };
  }
  if (service?.kind === 'blob') {
    const [container, ...blob] = path.replace(/^\/+/, '').split('/');
    if (!container || !blob.length) return undefined;
    return { kind: 'readBlob', hostId, account: service.name, container, blob: blob.join('/'), ...identity };
  }
  if (service?.kind === 'sql') {
    const database = /^\/databases\/([^/]+)\/query/.exec(path)?.[1];
    const query = first?.http?.requestBody;
    if (!database || !query) return undefined;
    return { kind: 'sqlQuery', hostId, server: service.name, database, query, ...identity };
  }
  if (r?.by === 'arm') {
    const method = first!.http!.method === 'PUT' ? 'PUT' : 'GET';
    const body = first?.http?.requestBody ? safeJson(first.http.requestBody) : undefined;
    return { kind: 'arm', hostId, method, path: `${path}${url.search}`, ...(body ? { body } : {}), ...identity };
  }
  return undefined;
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A URL's parts, without the URL class (the engine has no DOM and no Node): host, path, query. */
function splitUrl(raw: string): { hostname: string; pathname: string; search: string; query: Map<string, string> } | undefined {
  const m = /^(?:https?:\/\/([^/?#]{1,300}))?([^?#]{0,2000})(\?[^#]{0,4000})?/.exec(raw);
  if (!m) return undefined;
  const hostname = (m[1] ?? '').replace(/:\d+$/, '');
  const search = m[3] ?? '';
  const query = new Map<string, string>();
  for (const pair of search.slice(1).split('&')) {
    if (!pair) continue;
    const [name, value = ''] = pair.split('=');
    query.set(safeDecode(name!.replace(/\+/g, ' ')), safeDecode(value.replace(/\+/g, ' ')));
  }
  return { hostname, pathname: m[2] || '/', search, query };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
