// Reads a pasted error text into symptoms by its structure: AADSTS codes and their messages,
// HTTP statuses, JSON/XML error bodies (error/error_description, Key Vault's error.code and
// innererror, Storage's <Code>), Key Vault's and ARM's 403 messages with their caller, action and
// scope, IMDS bodies, SQL's login failures, credential chains, ids and resource names.
// Linear time: one pass finds every anchor (a fixed list of literals, at most MAX_HITS each);
// each anchor reads a bounded window after it with bounded patterns.
import { normalizeText, type NormalizedText } from './normalize';
import { readCredentialChain } from './credentialChain';
import type { Evidence } from './model';
import type { Service, Symptom } from './symptoms';
import {
  CONNECTION_FAILURES,
  ENTRA_PHRASES,
  KEYVAULT_CONTEXT,
  MI_CONTEXT,
  MI_PHRASES,
  NOT_IDENTITY,
  PRINCIPAL_PHRASES,
  SERVICE_PHRASES,
  SQL_PHRASES,
  STORAGE_CONTEXT,
} from './messages';

const MAX_HITS = 25;
/** Anchor occurrences read in all: a paste of a million repeats is read for its first ones. */
const MAX_TOTAL_HITS = 5_000;
/** How far around an anchor a related fact (a status, a connection failure) may be. */
const NEAR = 700;

export interface TextReading {
  text: NormalizedText;
  symptoms: Symptom[];
  /** Identifiers the text names (for binding to a lab). */
  names: {
    guids: string[];
    resourceIds: string[];
    vaults: string[];
    storageAccounts: string[];
    sqlServers: string[];
    /** Resources token requests in the text asked for (`resource=…`). */
    requestedResources: string[];
  };
  statuses: Array<{ status: number; at: number }>;
  /** The SDK or tool the text looks like it came from. */
  source?: string;
}

type Handler = (r: Reader, at: number, anchor: string) => void;

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const STATUS_AFTER = /^[\s:=('"a-z]{0,14}?([1-5]\d\d)(?!\d)/;

/** A value the text redacted or left as a template: `<client-id>`, `***`, `xxx`, `{name}`, all zeros. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    v === '' ||
    /[<>{}*]|\.\.\.|redacted/i.test(v) ||
    /^x+$/i.test(v.replace(/-/g, '')) ||
    /(^|[^0-9a-f])0{8}-0{4}-0{4}-0{4}-0{12}/.test(v) ||
    /[x]{4,}/i.test(v)
  );
}

class Reader {
  readonly symptoms: Symptom[] = [];
  readonly statuses: Array<{ status: number; at: number }> = [];
  readonly contexts: Record<'mi' | 'kv' | 'storage', number[]> = { mi: [], kv: [], storage: [] };
  readonly hits = new Map<string, number>();
  readonly resourceIds = new Set<string>();
  readonly vaults = new Set<string>();
  readonly accounts = new Set<string>();
  readonly sqlServers = new Set<string>();
  readonly requested = new Set<string>();
  readonly seen = new Set<string>();

  constructor(readonly text: NormalizedText) {}

  get flat(): string {
    return this.text.flat;
  }
  get lower(): string {
    return this.text.lower;
  }

  window(at: number, length: number): string {
    return this.flat.slice(at, at + length);
  }

  lowerWindow(at: number, length: number): string {
    return this.lower.slice(at, at + length);
  }

  add(symptom: Symptom): void {
    this.symptoms.push(symptom);
  }

  /** The quoted value after `label` (within `length` chars of `at`): 'x' or "x". */
  quotedAfter(at: number, label: string, length = 600): string | undefined {
    const i = this.lower.indexOf(label, at);
    if (i === -1 || i > at + length) return undefined;
    return quoted(this.flat, i + label.length);
  }

  near(positions: readonly number[], at: number, distance = NEAR): boolean {
    return positions.some(p => Math.abs(p - at) <= distance);
  }
}

/** A quoted string starting at `from` (after optional spaces): up to its closing quote, or 300 characters. */
function quoted(flat: string, from: number): string | undefined {
  let i = from;
  while (i < flat.length && i < from + 4 && flat[i] === ' ') i++;
  const quote = flat[i];
  if (quote !== "'" && quote !== '"') return undefined;
  const end = flat.indexOf(quote, i + 1);
  const stop = end === -1 || end - i > 400 ? Math.min(flat.length, i + 1 + 300) : end;
  return flat.slice(i + 1, stop).trim();
}

/** The word (id characters) ending just before `at`: a vault or account name before `.vault.azure.net`. */
function wordBefore(flat: string, at: number): string {
  let i = at;
  while (i > 0 && at - i < 63 && /[A-Za-z0-9-]/.test(flat[i - 1]!)) i--;
  return flat.slice(i, at);
}

const clip = (text: string, length = 240) => (text.length > length ? `${text.slice(0, length)}…` : text);

// ——— Entra ———

/** AADSTS codes the lab has a category for, and the message each starts with (for texts without the code). */
const MAPPED_AADSTS = new Set([700024, 500011, 70021, 700211, 700212, 700213, 7002137, 7002138, 7000215, 7000222]);

const readAadsts: Handler = (r, at) => {
  const code = /^aadsts(\d{4,8})/.exec(r.lowerWindow(at, 16))?.[1];
  if (!code) return;
  const number = Number(code);
  const key = `aadsts${number}`;
  if (r.seen.has(key)) return;
  r.seen.add(key);
  const after = r.window(at + 6 + code.length, 700).replace(/^[:\s]+/, '');
  const message = after.split(/ Trace ID:|",|\\r|\r| - Correlation ID/)[0]!.trim();
  const evidence: Evidence[] = [{ label: 'AADSTS', value: `AADSTS${code}: ${clip(message, 200)}` }];
  if (number === 500011) {
    r.add({ kind: 'resourceNotFound', resource: resourceNamed(r, at), evidence });
    return;
  }
  if (number === 50012 && !message.toLowerCase().includes('not within its valid time range')) return;
  if (!MAPPED_AADSTS.has(number) && number !== 50012) {
    if (number === 700016) {
      r.add({
        kind: 'notIdentity',
        what: 'AADSTS700016: the client application is not in that tenant',
        explanation:
          "Entra found no application with that client id in the tenant the request went to: a wrong client id or tenant id in the app's configuration.",
        evidence,
      });
    } else if (number !== 70002 && number !== 70008) {
      r.add({ kind: 'entra', code: number, message: clip(message, 400), evidence });
    }
    return;
  }
  const federated = number === 70021 || (number >= 700211 && number <= 700213) || number === 7002137 || number === 7002138;
  r.add({
    kind: 'entra',
    code: number === 50012 ? 700024 : number,
    message: clip(message, 400),
    ...(federated ? federatedFacts(r, at) : {}),
    evidence,
  });
};

function federatedFacts(r: Reader, at: number): { issuer?: string; subject?: string; audience?: string } {
  const issuer = r.quotedAfter(at, 'assertion issuer', 400);
  const subject = r.quotedAfter(at, 'assertion subject', 400);
  const audience = r.quotedAfter(at, 'assertion audience', 600);
  return { ...(issuer ? { issuer } : {}), ...(subject ? { subject } : {}), ...(audience ? { audience } : {}) };
}

function resourceNamed(r: Reader, at: number): string | undefined {
  const i = r.lower.indexOf(ENTRA_PHRASES.resourcePrincipal, at);
  if (i === -1 || i > at + 200) return undefined;
  const after = r.window(i + ENTRA_PHRASES.resourcePrincipal.length, 300);
  const name = after.split(/ was not found/i)[0]!.trim();
  return name && name.length < 250 ? name : undefined;
}

const readEntraPhrase: Handler = (r, at, anchor) => {
  const evidence: Evidence[] = [{ label: 'message', value: r.window(at, anchor.length) }];
  switch (anchor) {
    case ENTRA_PHRASES.assertionTime:
      if (!r.seen.has('aadsts700024')) r.add({ kind: 'entra', code: 700024, evidence });
      return;
    case ENTRA_PHRASES.resourcePrincipal:
      if (!r.seen.has('aadsts500011')) r.add({ kind: 'resourceNotFound', resource: resourceNamed(r, at), evidence });
      return;
    case ENTRA_PHRASES.noFederated:
      if (![70021, 700211, 700212, 700213, 7002137, 7002138].some(c => r.seen.has(`aadsts${c}`))) {
        r.add({ kind: 'entra', code: 70021, ...federatedFacts(r, at), evidence });
      }
      return;
    case ENTRA_PHRASES.invalidSecret:
      if (!r.seen.has('aadsts7000215')) r.add({ kind: 'entra', code: 7000215, evidence });
      return;
    case ENTRA_PHRASES.expiredSecret:
      if (!r.seen.has('aadsts7000222') && /are expired/.test(r.lowerWindow(at, 160))) r.add({ kind: 'entra', code: 7000222, evidence });
      return;
  }
};

// ——— Managed-identity endpoints ———

const readMi: Handler = (r, at, anchor) => {
  const evidence: Evidence[] = [{ label: 'message', value: r.window(at, anchor.length) }];
  if ((MI_PHRASES.multiple as readonly string[]).includes(anchor)) return r.add({ kind: 'miMultiple', evidence });
  if ((MI_PHRASES.noIdentity as readonly string[]).includes(anchor)) {
    return r.add({ kind: 'miIdentityNotFound', how: 'noIdentity', strong: true, evidence });
  }
  if ((MI_PHRASES.notAssigned as readonly string[]).includes(anchor)) {
    return r.add({ kind: 'miIdentityNotFound', how: 'notAssigned', strong: true, evidence });
  }
  if ((MI_PHRASES.identityNotFound as readonly string[]).includes(anchor)) {
    return r.add({ kind: 'miIdentityNotFound', how: 'unknown', strong: true, evidence });
  }
  if ((MI_PHRASES.unavailable as readonly string[]).includes(anchor)) {
    return r.add({ kind: 'miUnavailable', how: anchor.includes('timed out') ? 'timeout' : 'noEndpoint', evidence });
  }
  if ((MI_PHRASES.throttled as readonly string[]).includes(anchor)) return r.add({ kind: 'miThrottled', evidence });
  if ((MI_PHRASES.badRequest as readonly string[]).includes(anchor)) {
    return r.add({ kind: 'miBadRequest', detail: r.window(at, anchor.length), evidence });
  }
  if ((MI_PHRASES.transient as readonly string[]).includes(anchor)) return r.add({ kind: 'miTransient', evidence });
};

/** "Failed to connect to MSI": az login --identity. A 400 after it means the endpoint answered; otherwise nothing answered. */
const readFailedToConnectMsi: Handler = (r, at) => {
  const after = r.lowerWindow(at, 500);
  const evidence: Evidence[] = [{ label: 'message', value: clip(r.window(at, 200)) }];
  if (/http error: 400|status code = '400'|status: 400/.test(after)) {
    r.add({ kind: 'miIdentityNotFound', how: 'unknown', strong: false, evidence });
  } else if (CONNECTION_FAILURES.some(f => after.includes(f))) {
    r.add({ kind: 'miUnavailable', how: 'unreachable', evidence });
  }
};

/** The IMDS address or path, with a connection failure near: nothing answered there. */
const readImdsAddress: Handler = (r, at) => {
  const around = r.lower.slice(Math.max(0, at - 300), at + 500);
  const failure = CONNECTION_FAILURES.find(f => around.includes(f));
  if (failure && !r.seen.has('imds-unreachable')) {
    r.seen.add('imds-unreachable');
    r.add({
      kind: 'miUnavailable',
      how: 'unreachable',
      evidence: [{ label: 'connection', value: `${r.window(at, 40).split(' ')[0]}: ${failure}` }],
    });
  }
};

// ——— Service authorization ———

const KV_RESOURCE = /resource: '([^']{1,400})'/i;

const readKeyVaultRbac: Handler = (r, at) => {
  const body = r.window(at, 1600);
  const lower = body.toLowerCase();
  const caller = /caller: ([^\s]{1,300})/i.exec(body)?.[1] ?? '';
  const oid = /oid=([^;\s]{1,60})/i.exec(caller)?.[1];
  const appid = /appid=([^;\s]{1,60})/i.exec(caller)?.[1];
  const callerName = /name=([^;\s]{1,120})/i.exec(caller)?.[1];
  const action = /action: '([^']{1,200})'/i.exec(body)?.[1];
  const resource = KV_RESOURCE.exec(body)?.[1];
  const vault = /vault: ([a-z0-9-]{1,64});location=/i.exec(body)?.[1];
  const assignment = /assignment: ([^\s]{1,60})/i.exec(body)?.[1];
  const evidence: Evidence[] = [{ label: 'error', value: 'Caller is not authorized to perform action on resource (ForbiddenByRbac)' }];
  if (oid) evidence.push({ label: 'object id', value: oid });
  if (appid) evidence.push({ label: 'app id', value: appid });
  if (action) evidence.push({ label: 'action', value: action });
  if (resource) evidence.push({ label: 'scope', value: resource });
  if (assignment && lower.includes('assignment: (not found)')) evidence.push({ label: 'assignment', value: '(not found)' });
  if (resource) r.resourceIds.add(resource);
  if (vault) r.vaults.add(vault);
  r.add({
    kind: 'rbacDenied',
    service: 'keyvault',
    strong: true,
    ...(oid ? { principalId: oid } : {}),
    ...(appid ? { clientId: appid } : {}),
    ...(callerName ? { callerName } : {}),
    ...(action ? { action } : {}),
    ...(resource ? { scope: resource } : {}),
    ...(vault ? { vaultName: vault } : {}),
    evidence,
  });
};

const readKeyVaultPolicy: Handler = (r, at) => {
  const body = r.window(Math.max(0, at - 260), 700);
  const permission = /does not have (secrets|keys|certificates) ([a-z]{1,20}) permission/i.exec(body);
  if (!permission) return;
  const caller = /'(appid=[^']{0,300})'/i.exec(body)?.[1] ?? '';
  const oid = /oid=([^;\s']{1,60})/i.exec(caller)?.[1];
  const appid = /appid=([^;\s']{1,60})/i.exec(caller)?.[1];
  const vault = /key vault '([a-z0-9-<>.]{1,64});location=/i.exec(body)?.[1];
  if (vault) r.vaults.add(vault);
  r.add({
    kind: 'rbacDenied',
    service: 'keyvault',
    strong: true,
    accessPolicy: { objectType: permission[1]!.toLowerCase(), permission: permission[2]!.toLowerCase() },
    ...(oid ? { principalId: oid } : {}),
    ...(appid ? { clientId: appid } : {}),
    ...(vault ? { vaultName: vault } : {}),
    evidence: [{ label: 'error', value: `no access policy grants ${permission[1]} ${permission[2]}` }],
  });
};

const readKeyVaultObo: Handler = r => {
  r.add({
    kind: 'rbacDenied',
    service: 'keyvault',
    strong: true,
    accessPolicy: { obo: true },
    evidence: [{ label: 'error', value: 'ForbiddenByPolicy: the policy requires the on-behalf-of flow' }],
  });
};

const readStorageMismatch: Handler = (r, at) => {
  if (r.seen.has('storage-mismatch')) return;
  r.seen.add('storage-mismatch');
  r.add({
    kind: 'rbacDenied',
    service: 'storage',
    strong: true,
    ...storageFacts(r, at),
    evidence: [{ label: 'error code', value: 'AuthorizationPermissionMismatch' }],
  });
};

function storageFacts(r: Reader, at: number): { action?: string } {
  const around = r.lower.slice(Math.max(0, at - 1500), at + 400);
  if (/queue/.test(around)) return { action: 'Microsoft.Storage/storageAccounts/queueServices/queues/messages/read' };
  if (/upload|put blob|putblob|write|set_blob|create_blob/.test(around)) {
    return { action: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write' };
  }
  return { action: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read' };
}

const ARM_DENIED =
  /the client '([^']{0,200})' with object id '([^']{0,80})' does not have authorization to perform action '([^']{1,300})' over scope '([^'\s]{1,600})/i;
const ARM_LINKED =
  /the client '([^']{0,200})' with object id '([^']{0,80})' has permission to perform action '([^']{1,300})' on scope '([^']{1,600})'; however, it does not have permission to perform action(?:\(s\))? '([^']{1,300})' on the linked scope\(s\) '([^']{1,600})'/i;

const readArmDenied: Handler = (r, at, anchor) => {
  if (r.seen.has('arm-denied')) return;
  const start = Math.max(0, at - (anchor === SERVICE_PHRASES.armLinked ? 1400 : 400));
  const body = r.window(start, 2400);
  if (anchor === SERVICE_PHRASES.armLinked) {
    const m = ARM_LINKED.exec(body);
    if (!m) return;
    r.seen.add('arm-denied');
    r.resourceIds.add(m[4]!);
    r.resourceIds.add(m[6]!);
    r.add({
      kind: 'rbacDenied',
      service: 'arm',
      strong: true,
      callerName: m[1]!,
      principalId: m[2]!,
      action: m[5]!,
      scope: m[6]!,
      linked: { action: m[5]!, scope: m[6]!, primaryAction: m[3]!, primaryScope: m[4]! },
      evidence: [
        { label: 'error code', value: 'LinkedAuthorizationFailed' },
        { label: 'object id', value: m[2]! },
        { label: 'action', value: m[5]! },
        { label: 'scope', value: m[6]! },
      ],
    });
    return;
  }
  const m = ARM_DENIED.exec(body);
  if (!m) {
    r.seen.add('arm-denied');
    r.add({ kind: 'rbacDenied', service: 'arm', strong: true, evidence: [{ label: 'error', value: clip(r.window(at, 120)) }] });
    return;
  }
  r.seen.add('arm-denied');
  const scope = m[4]!.replace(/^\/_/, '/').replace(/[.,]$/, '');
  r.resourceIds.add(scope);
  r.add({
    kind: 'rbacDenied',
    service: 'arm',
    strong: true,
    callerName: m[1]!,
    principalId: m[2]!,
    action: m[3]!,
    scope,
    evidence: [
      { label: 'error code', value: 'AuthorizationFailed' },
      { label: 'client', value: m[1]! },
      { label: 'object id', value: m[2]! },
      { label: 'action', value: m[3]! },
      { label: 'scope', value: scope },
    ],
  });
};

// ——— Tokens sent to the wrong service, expired, missing ———

const readAudience: Handler = (r, at, anchor) => {
  if (r.seen.has('audience')) return;
  r.seen.add('audience');
  const window = r.window(at, 500);
  let service: Service | 'unknown' = 'unknown';
  let found: string | undefined;
  let expected: string | undefined;
  if (anchor === 'akv10022') {
    service = 'keyvault';
    found = /found:? ([^\s'"]{1,300}?)\.?(?:['"\s]|$)/i.exec(window)?.[1];
    expected = /expected ([^\s,]{1,120}?),? (?:or [^\s,]{1,60} ?)?(?:,|found)/i.exec(window)?.[1];
  } else if (anchor === SERVICE_PHRASES.armAudience || anchor === 'invalidauthenticationtokenaudience') {
    service = 'arm';
    found = /wrong audience or resource '([^']{1,300})'/i.exec(r.window(Math.max(0, at - 40), 500))?.[1];
  } else if (anchor === SERVICE_PHRASES.storageAudience) {
    service = 'storage';
  } else if (anchor === SERVICE_PHRASES.sqlAudience) {
    service = 'sql';
  }
  const evidence: Evidence[] = [{ label: 'error', value: clip(r.window(at, 140)) }];
  if (found) evidence.push({ label: 'audience found', value: found });
  r.add({ kind: 'wrongAudience', service, ...(found ? { found } : {}), ...(expected ? { expected } : {}), evidence });
};

const readExpired: Handler = (r, at) => {
  if (r.seen.has('expired')) return;
  r.seen.add('expired');
  const around = r.lower.slice(Math.max(0, at - 600), at + 200);
  const service: Service | 'unknown' = around.includes('token-identified principal')
    ? 'sql'
    : around.includes('s2s12086') || r.near(r.contexts.kv, at)
      ? 'keyvault'
      : around.includes('lifetime validation')
        ? 'storage'
        : around.includes('expiry utc time')
          ? 'arm'
          : 'unknown';
  if (service === 'sql') return; // SQL's "Token is expired" is read with its login failure.
  r.add({ kind: 'tokenExpired', service, evidence: [{ label: 'error', value: clip(r.window(at, 160)) }] });
};

const readMissingToken: Handler = (r, at) => {
  if (r.seen.has('missing-token')) return;
  r.seen.add('missing-token');
  r.add({
    kind: 'notIdentity',
    what: 'No token was sent',
    explanation:
      'The service was called without a bearer token (AKV10000 / NoAuthenticationInformation). SDK clients ' +
      'send the first request without one on purpose and retry after the challenge; a tool that never retries ' +
      'had no token for this service — acquire one for its resource.',
    evidence: [{ label: 'error', value: clip(r.window(at, 120)) }],
  });
};

// ——— SQL ———

const readSql: Handler = (r, at) => {
  if (r.seen.has('sql')) return;
  r.seen.add('sql');
  const after = r.lowerWindow(at, 400);
  const how = after.includes(SQL_PHRASES.notConfigured)
    ? 'notConfigured'
    : after.includes('token is expired')
      ? 'expired'
      : after.includes(SQL_PHRASES.invalidToken) || after.startsWith(SQL_PHRASES.securityToken) || after.startsWith(SQL_PHRASES.anonymous)
        ? 'invalidToken'
        : 'noUser';
  r.add({ kind: 'sqlLogin', how, evidence: [{ label: 'error', value: clip(r.window(at, 160)) }] });
};

// ——— Role assignments ———

const readPrincipalNotFound: Handler = (r, at, anchor) => {
  if (r.seen.has('principal')) return;
  r.seen.add('principal');
  let value: string | undefined;
  if (anchor === PRINCIPAL_PHRASES.notInDirectory) {
    const before = r.window(Math.max(0, at - 80), 80);
    value = /principal (\S{1,80}) $/i.exec(before)?.[1];
  } else if (anchor === PRINCIPAL_PHRASES.noMatches || anchor === PRINCIPAL_PHRASES.cannotFind) {
    value = quoted(r.flat, at + anchor.length);
  }
  const evidence: Evidence[] = [{ label: 'error', value: clip(r.window(Math.max(0, at - 40), 180)) }];
  if (value) evidence.push({ label: 'principal given', value });
  r.add({ kind: 'principalNotFound', ...(value ? { value } : {}), evidence });
};

// ——— Things that are not about identities ———

const readNotIdentity: Handler = (r, at, anchor) => {
  const entry = NOT_IDENTITY.find(e => e.phrases.includes(anchor));
  if (!entry || r.seen.has(entry.what)) return;
  r.seen.add(entry.what);
  r.add({
    kind: 'notIdentity',
    what: entry.what,
    explanation: entry.explanation,
    evidence: [{ label: 'error', value: clip(r.window(at, 140)) }],
  });
};

// ——— Names ———

const readStatus: Handler = (r, at, anchor) => {
  const after = r.lowerWindow(at + anchor.length, 24);
  const m = STATUS_AFTER.exec(after);
  if (m) r.statuses.push({ status: Number(m[1]), at });
};

const readResourceId: Handler = (r, at) => {
  const id = /^\/subscriptions\/[^\s'",;)\]}]{1,500}/i.exec(r.window(at, 520))?.[0];
  if (id) r.resourceIds.add(id.replace(/[.:]+$/, ''));
};

const readHostName =
  (set: 'vaults' | 'accounts' | 'sqlServers'): Handler =>
  (r, at) => {
    const name = wordBefore(r.flat, at);
    if (name && !isPlaceholder(name)) r[set].add(name.toLowerCase());
  };

const readRequestedResource: Handler = (r, at, anchor) => {
  const value = /^[^&\s'"]{1,200}/.exec(r.window(at + anchor.length, 210))?.[0];
  if (!value) return;
  try {
    r.requested.add(decodeURIComponent(value));
  } catch {
    r.requested.add(value);
  }
};

const context =
  (which: 'mi' | 'kv' | 'storage'): Handler =>
  (r, at) => {
    r.contexts[which].push(at);
  };

/** Every anchor, lower-cased, with what reads it. */
const ANCHORS: ReadonlyArray<[string, Handler]> = [
  ['aadsts', readAadsts],
  ...Object.values(ENTRA_PHRASES).map((p): [string, Handler] => [p, readEntraPhrase]),
  ...[
    ...MI_PHRASES.identityNotFound,
    ...MI_PHRASES.notAssigned,
    ...MI_PHRASES.noIdentity,
    ...MI_PHRASES.multiple,
    ...MI_PHRASES.unavailable,
    ...MI_PHRASES.throttled,
    ...MI_PHRASES.badRequest,
    ...MI_PHRASES.transient,
  ].map((p): [string, Handler] => [p, readMi]),
  ...MI_PHRASES.failedToConnectMsi.map((p): [string, Handler] => [p, readFailedToConnectMsi]),
  ...MI_PHRASES.address.map((p): [string, Handler] => [p, readImdsAddress]),
  [SERVICE_PHRASES.keyVaultRbac, readKeyVaultRbac],
  ...SERVICE_PHRASES.keyVaultPolicy.map((p): [string, Handler] => [p, readKeyVaultPolicy]),
  [SERVICE_PHRASES.keyVaultObo, readKeyVaultObo],
  ['forbiddenbypolicy', readKeyVaultObo],
  [SERVICE_PHRASES.storageMismatch, readStorageMismatch],
  ['authorizationpermissionmismatch', readStorageMismatch],
  [SERVICE_PHRASES.armDenied, readArmDenied],
  [SERVICE_PHRASES.armLinked, readArmDenied],
  ['akv10022', readAudience],
  ['invalidauthenticationtokenaudience', readAudience],
  [SERVICE_PHRASES.armAudience, readAudience],
  [SERVICE_PHRASES.storageAudience, readAudience],
  [SERVICE_PHRASES.sqlAudience, readAudience],
  ...SERVICE_PHRASES.expired.map((p): [string, Handler] => [p, readExpired]),
  ...SERVICE_PHRASES.missingToken.map((p): [string, Handler] => [p, readMissingToken]),
  ['akv10000', readMissingToken],
  ...[SQL_PHRASES.loginFailed, SQL_PHRASES.securityToken, SQL_PHRASES.anonymous].map((p): [string, Handler] => [p, readSql]),
  ...Object.values(PRINCIPAL_PHRASES).map((p): [string, Handler] => [p, readPrincipalNotFound]),
  ['principalnotfound', readPrincipalNotFound],
  ...NOT_IDENTITY.flatMap(e => e.phrases.map((p): [string, Handler] => [p, readNotIdentity])),
  ['status', readStatus],
  ['http/1.1 ', readStatus],
  ['(http ', readStatus],
  ['http error: ', readStatus],
  ['response ', readStatus],
  ['error code ', readStatus],
  ['/subscriptions/', readResourceId],
  ['resource=', readRequestedResource],
  ['.vault.azure.net', readHostName('vaults')],
  ['.blob.core.windows.net', readHostName('accounts')],
  ['.database.windows.net', readHostName('sqlServers')],
  ...MI_CONTEXT.map((p): [string, Handler] => [p, context('mi')]),
  ...KEYVAULT_CONTEXT.map((p): [string, Handler] => [p, context('kv')]),
  ...STORAGE_CONTEXT.map((p): [string, Handler] => [p, context('storage')]),
  ['forbidden', (r, at) => r.statuses.push({ status: 403, at })],
];

const HANDLERS = new Map<string, Handler[]>();
for (const [anchor, handler] of ANCHORS) HANDLERS.set(anchor, [...(HANDLERS.get(anchor) ?? []), handler]);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longest first, so a phrase wins over an anchor that is its prefix at the same position.
const ANCHOR_PATTERN = new RegExp(
  [...HANDLERS.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|'),
  'g',
);
/** Anchors that are also the start of a longer one are matched once; these also run for the longer match. */
const PREFIXES = [...HANDLERS.keys()].map(k => [k, [...HANDLERS.keys()].filter(s => s !== k && k.startsWith(s))] as const);
const PREFIX_OF = new Map(PREFIXES.filter(([, p]) => p.length > 0));

function statusRules(r: Reader): void {
  const kinds = new Set(r.symptoms.map(s => s.kind));
  // A bare status adds its finding only when nothing in the text said more about the same failure.
  const once = (finding: Parameters<Reader['add']>[0]) => {
    if (kinds.has(finding.kind)) return;
    r.add(finding);
    kinds.add(finding.kind);
  };
  for (const { status, at } of r.statuses) {
    if (status === 429 && r.near(r.contexts.mi, at) && !kinds.has('notIdentity')) {
      once({ kind: 'miThrottled', evidence: [{ label: 'status', value: '429 from the managed-identity endpoint' }] });
    }
    if (status === 400 && r.near(r.contexts.mi, at)) {
      once({
        kind: 'miIdentityNotFound',
        how: 'unknown',
        strong: false,
        evidence: [{ label: 'status', value: '400 from the managed-identity endpoint' }],
      });
    }
    if (status === 403 && r.near(r.contexts.kv, at, 1500) && !r.near(r.contexts.mi, at, 200)) {
      once({
        kind: 'rbacDenied',
        service: 'keyvault',
        strong: false,
        evidence: [{ label: 'status', value: '403 Forbidden from Key Vault' }],
      });
    }
    if (status === 403 && r.near(r.contexts.storage, at, 1500) && !r.near(r.contexts.kv, at, 1500)) {
      once({ kind: 'rbacDenied', service: 'storage', strong: false, evidence: [{ label: 'status', value: '403 from Storage' }] });
    }
  }
}

const SOURCES: ReadonlyArray<[RegExp, string]> = [
  [/azure\.identity\.|microsoft\.identity\.client|system\.\w+exception|\bat system\./, '.NET'],
  [/azure\.core\.exceptions|traceback \(most recent call last\)|_credentials\/|\.get_token failed|site-packages/, 'Python'],
  [/credentialunavailableerror|aggregateauthenticationerror|resterror|node_modules|@azure\//, 'JavaScript'],
  [/com\.azure\.|com\.microsoft\.aad|java\.\w+\./, 'Java'],
  [/azidentity|autorest\/|\.go:\d|mssql: login error/, 'Go'],
  [/terraform|provider\["registry\.terraform\.io/, 'Terraform'],
  [/connect-azaccount|categoryinfo|fullyqualifiederrorid|new-az\w+|get-az\w+/, 'PowerShell'],
  [/kubectl|\bnmi\b|aad-pod-identity|workload-identity|serviceaccount/, 'Kubernetes'],
  [/\baz (login|role|keyvault|account)|knack|azure\/cli|^error: /, 'Azure CLI'],
];

export function readText(raw: string): TextReading {
  const text = normalizeText(raw);
  const r = new Reader(text);
  ANCHOR_PATTERN.lastIndex = 0;
  let total = 0;
  for (let m = ANCHOR_PATTERN.exec(text.lower); m && total < MAX_TOTAL_HITS; m = ANCHOR_PATTERN.exec(text.lower), total++) {
    const anchor = m[0];
    for (const key of [anchor, ...(PREFIX_OF.get(anchor) ?? [])]) {
      const count = r.hits.get(key) ?? 0;
      if (count >= MAX_HITS) continue;
      r.hits.set(key, count + 1);
      for (const handler of HANDLERS.get(key) ?? []) handler(r, m.index, key);
    }
  }
  statusRules(r);
  const chain = readCredentialChain(text.lines, text.lower);
  if (chain) r.add(chain);
  if (!chain && /please run ['"]az login['"]|please run ['"]connect-azaccount['"]/.test(text.lower)) {
    r.add({
      kind: 'notLoggedIn',
      tool: text.lower.includes('connect-azaccount') ? 'Azure PowerShell' : 'Azure CLI',
      evidence: [{ label: 'message', value: "Please run 'az login'" }],
    });
  }
  const guids = new Set<string>();
  GUID.lastIndex = 0;
  for (let m = GUID.exec(text.lower); m && guids.size < 200; m = GUID.exec(text.lower)) guids.add(m[0]);
  const head = text.lower.slice(0, 20_000);
  const source = SOURCES.find(([pattern]) => pattern.test(head))?.[1];
  return {
    text,
    symptoms: r.symptoms,
    names: {
      guids: [...guids],
      resourceIds: [...r.resourceIds],
      vaults: [...r.vaults],
      storageAccounts: [...r.accounts],
      sqlServers: [...r.sqlServers],
      requestedResources: [...r.requested],
    },
    statuses: r.statuses,
    ...(source ? { source } : {}),
  };
}
