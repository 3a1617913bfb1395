// Blob Storage's data plane over HTTPS at https://{account}.blob.core.windows.net:PORT/ (what
// ARM reports as primaryEndpoints.blob): list/create/delete containers, list/put/get/delete
// blobs, with Microsoft Entra (bearer) authorization against the lab's RBAC. Errors are
// Storage's XML with `x-ms-error-code` (facts file §3; Blob service error codes reference).
import type { ServerResponse } from 'node:http';
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import { BodyTooLarge, header, headersForTrace, readBody, single } from '../http';
import { appHost, hostOfToken, tokenRefusal, verifyBearer } from './bearer';
import { findResourceApp } from '../../engine/azure/resourceApps';
import { callerFromClaims, refusalOf, ServiceError } from '../../engine/services/dataCaller';
import {
  createContainer,
  deleteBlob,
  findStorageAccountByName,
  getBlob,
  listBlobs,
  listContainers,
  putBlob,
  type BlobInfo,
} from '../../engine/services/blobStorage';
import { TraceBuilder } from '../../engine/trace/builder';
import type { AuthorizationNote, Refusal } from '../../engine/trace/model';
import type { RejectedToken } from '../../engine/services/verifyToken';
import { newGuid } from '../../engine/base/ids';
import { SERVICE_DOMAINS } from '../../engine/azure/serviceDomains';

const STORAGE = findResourceApp('https://storage.azure.com/')!;
const MAX_BLOB_BYTES = 16 * 1024 * 1024;
const DEFAULT_VERSION = '2025-11-05';

const xmlEscape = (text: string) =>
  text.replace(/[<>&'"]/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
/** Storage's timestamps in messages: seven fractional digits. */
const storageTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
const httpDate = (ms: number) => new Date(ms).toUTCString();

interface Reply {
  status: number;
  body: string | Buffer;
  headers: Record<string, string>;
  label: string;
  errorCode?: string;
  authorization?: AuthorizationNote;
  refusal?: Refusal;
}

function commonHeaders(req: ParsedRequest, requestId: string): Record<string, string> {
  return {
    'x-ms-request-id': requestId,
    'x-ms-version': (header(req, 'x-ms-version') ?? DEFAULT_VERSION).slice(0, 20),
    Date: new Date().toUTCString(),
  };
}

function errorReply(
  req: ParsedRequest,
  requestId: string,
  status: number,
  code: string,
  message: string,
  extra: { detail?: string; headers?: Record<string, string>; authorization?: AuthorizationNote } = {},
): Reply {
  const detail = extra.detail ? `<AuthenticationErrorDetail>${xmlEscape(extra.detail)}</AuthenticationErrorDetail>` : '';
  const body = [
    '\uFEFF<?xml version="1.0" encoding="utf-8"?>',
    `<Error><Code>${code}</Code>`,
    `<Message>${xmlEscape(message)}\nRequestId:${requestId}\nTime:${storageTime(Date.now())}</Message>`,
    `${detail}</Error>`,
  ].join('');
  return {
    status,
    body,
    headers: { ...commonHeaders(req, requestId), 'Content-Type': 'application/xml', 'x-ms-error-code': code, ...(extra.headers ?? {}) },
    label: code,
    errorCode: code,
    ...(extra.authorization ? { authorization: extra.authorization } : {}),
  };
}

function authenticationFailure(ctx: EndpointContext, req: ParsedRequest, requestId: string, rejected: RejectedToken): Reply {
  const wwwAuthenticate = {
    'WWW-Authenticate': `Bearer authorization_uri=https://login.microsoftonline.com/${ctx.lab.tenantId}/oauth2/authorize resource_id=https://storage.azure.com`,
  };
  const message = 'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.';
  if (rejected.reason === 'missing') {
    return errorReply(req, requestId, 401, 'NoAuthenticationInformation', message, { headers: wwwAuthenticate });
  }
  const detail = {
    audience: 'Audience validation failed. Audience did not match.',
    issuer: 'Issuer validation failed. Issuer did not match.',
    expired: 'Lifetime validation failed. The token is expired.',
    notYetValid: 'Lifetime validation failed. The token is not yet valid.',
    unknownKey: 'Signature validation failed. Unable to match key: kid',
    signature: 'Signature validation failed. Signature is invalid.',
    algorithm: 'Signature validation failed. The signing algorithm is not supported.',
    malformed: 'The token is malformed.',
  }[rejected.reason];
  return errorReply(req, requestId, 401, 'InvalidAuthenticationInfo', message, { detail, headers: wwwAuthenticate });
}

export async function handleBlobStorage(
  ctx: EndpointContext,
  req: ParsedRequest,
  accountName: string,
  path: string,
  res: ServerResponse,
): Promise<void> {
  const requestId = newGuid();
  const account = findStorageAccountByName(ctx.lab, accountName);
  const started = ctx.lab.clock.now();
  const verified = await verifyBearer(ctx.lab, req, [
    ...STORAGE.identifierUris,
    STORAGE.appId,
    `https://${accountName}.${SERVICE_DOMAINS.blob}`,
  ]);
  const hostId = verified.ok ? hostOfToken(ctx.lab, verified.claims) : undefined;
  const host = appHost(ctx, req, hostId);
  const builder = new TraceBuilder(ctx.lab.clock, `Storage ${accountName}: ${req.method.slice(0, 10)} ${path.slice(0, 120)}`, started);
  const app = builder.participant(
    'app',
    host ? `App on ${host.name}` : verified.ok ? callerLabel(ctx, verified.claims) : 'App',
    '',
    host?.id,
  );
  if (host) builder.runsAs(host.id);
  const storage = builder.participant('storage', `Storage ${accountName}`, '', account?.id);
  const http = { method: req.method.slice(0, 20), url: req.rawUrl.slice(0, 2000), requestHeaders: headersForTrace(req.headers) };
  builder.add({
    from: app,
    to: storage,
    kind: 'request',
    label: `${req.method.slice(0, 10)} ${path.slice(0, 120)}`,
    http,
    ...(verified.ok ? { notes: [`token aud ${String(verified.claims.aud)}, oid ${String(verified.claims['oid'])}`] } : {}),
  });

  let reply: Reply;
  if (!account) {
    reply = errorReply(req, requestId, 404, 'ResourceNotFound', 'The specified resource does not exist.');
    reply.refusal = {
      rule: 'notFound',
      by: 'storage',
      errorCode: 'ResourceNotFound',
      detail: `no storage account '${accountName.slice(0, 100)}'`,
    };
  } else if (!verified.ok) {
    reply = authenticationFailure(ctx, req, requestId, verified);
    reply.refusal = tokenRefusal(ctx.lab, verified, 'storage', reply.errorCode ?? 'InvalidAuthenticationInfo');
  } else {
    const caller = callerFromClaims(ctx.lab, verified.claims);
    try {
      reply = await operate(ctx, req, account.id, accountName, path, caller, requestId);
    } catch (error) {
      if (error instanceof ServiceError) {
        reply = errorReply(
          req,
          requestId,
          error.status,
          error.code,
          error.message,
          error.authorization ? { authorization: error.authorization } : {},
        );
        reply.refusal = refusalOf(error, 'storage', caller);
      } else if (error instanceof BodyTooLarge) {
        reply = errorReply(
          req,
          requestId,
          413,
          'RequestBodyTooLarge',
          'The request body is too large and exceeds the maximum permissible limit.',
        );
        reply.refusal = { rule: 'endpointProtocol', by: 'storage', errorCode: 'RequestBodyTooLarge' };
      } else throw error;
    }
  }

  if (res.headersSent || res.destroyed) return;
  const bytes = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  res.writeHead(reply.status, {
    ...reply.headers,
    'Content-Length': req.method === 'HEAD' ? (reply.headers['Content-Length'] ?? String(bytes.length)) : String(bytes.length),
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
  if (reply.refusal) builder.refuse({ ...reply.refusal, ...(account ? { targetResourceId: account.id } : {}) });
  const shown = typeof reply.body === 'string' && reply.status >= 300 ? reply.body.replace(/^\uFEFF/, '') : `(${bytes.length} bytes)`;
  builder.add({
    from: storage,
    to: app,
    kind: 'response',
    status: reply.status,
    label: reply.label,
    errorCode: reply.errorCode,
    authorization: reply.authorization,
    notes: reply.authorization?.reasons.slice(0, 3),
    http: { ...http, status: reply.status, responseHeaders: reply.headers, responseBody: shown.slice(0, 4000) },
  });
  ctx.lab.traces.add(builder.finish());
}

function callerLabel(ctx: EndpointContext, claims: Record<string, unknown>): string {
  const principal = ctx.lab.directory.principal(String(claims['oid'] ?? ''));
  return principal ? (principal.kind === 'User' ? `${principal.displayName} (az)` : `App as ${principal.displayName}`) : 'App';
}

async function operate(
  ctx: EndpointContext,
  req: ParsedRequest,
  accountId: string,
  accountName: string,
  path: string,
  caller: ReturnType<typeof callerFromClaims>,
  requestId: string,
): Promise<Reply> {
  const lab = ctx.lab;
  const headers = commonHeaders(req, requestId);
  const segments = path.replace(/^\/+/, '').split('/');
  const containerName = segments[0] ?? '';
  const blobName = segments.slice(1).join('/');
  const restype = single(req, 'restype');
  const comp = single(req, 'comp');
  const endpoint = `https://${accountName}.${SERVICE_DOMAINS.blob}/`;

  if (!containerName) {
    if (req.method === 'GET' && comp === 'list') {
      const { result, authorization } = listContainers(lab, caller, accountId);
      const items = result
        .map(c =>
          [
            `<Container><Name>${xmlEscape(c.name)}</Name><Properties>`,
            `<Last-Modified>${httpDate(c.lastModified)}</Last-Modified>`,
            `<Etag>"0x${c.lastModified.toString(16).toUpperCase()}"</Etag>`,
            '<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>',
            '<HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold>',
            '</Properties></Container>',
          ].join(''),
        )
        .join('');
      return xml(
        headers,
        `<EnumerationResults ServiceEndpoint="${endpoint}"><Containers>${items}</Containers><NextMarker /></EnumerationResults>`,
        `${result.length} container(s)`,
        authorization,
      );
    }
    throw new ServiceError(
      400,
      'InvalidQueryParameterValue',
      'Value for one of the query parameters specified in the request URI is invalid.',
    );
  }

  if (!blobName) {
    if (restype === 'container' && req.method === 'PUT') {
      const { authorization } = createContainer(lab, caller, accountId, containerName);
      return {
        status: 201,
        body: '',
        headers: { ...headers, ETag: `"0x${Date.now().toString(16).toUpperCase()}"`, 'Last-Modified': httpDate(Date.now()) },
        label: `container ${containerName} created`,
        authorization,
      };
    }
    if (restype === 'container' && comp === 'list' && req.method === 'GET') {
      const { result, authorization } = listBlobs(lab, caller, accountId, containerName, single(req, 'prefix') ?? '');
      const items = result
        .map(b => `<Blob><Name>${xmlEscape(b.name)}</Name><Properties>${blobProperties(b)}</Properties><OrMetadata /></Blob>`)
        .join('');
      return xml(
        headers,
        [
          `<EnumerationResults ServiceEndpoint="${endpoint}" ContainerName="${xmlEscape(containerName)}">`,
          `<Blobs>${items}</Blobs><NextMarker /></EnumerationResults>`,
        ].join(''),
        `${result.length} blob(s)`,
        authorization,
      );
    }
    throw new ServiceError(
      400,
      'InvalidQueryParameterValue',
      'Value for one of the query parameters specified in the request URI is invalid.',
    );
  }

  switch (req.method) {
    case 'PUT': {
      const blobType = header(req, 'x-ms-blob-type');
      if (blobType && blobType !== 'BlockBlob') {
        throw new ServiceError(400, 'InvalidHeaderValue', 'The value for one of the HTTP headers is not in the correct format.');
      }
      const content = await readBody(req, MAX_BLOB_BYTES);
      const contentType = header(req, 'x-ms-blob-content-type') ?? header(req, 'content-type') ?? 'application/octet-stream';
      const { result, authorization } = putBlob(lab, caller, accountId, containerName, blobName, new Uint8Array(content), contentType);
      return {
        status: 201,
        body: '',
        headers: {
          ...headers,
          ETag: result.etag,
          'Last-Modified': httpDate(result.lastModified),
          'x-ms-request-server-encrypted': 'true',
          'Content-MD5': '',
        },
        label: `blob ${blobName} written (${content.length} bytes)`,
        authorization,
      };
    }
    case 'GET':
    case 'HEAD': {
      const { result, authorization } = getBlob(lab, caller, accountId, containerName, blobName);
      const range = parseRange(header(req, 'x-ms-range') ?? header(req, 'range'), result.content.length);
      const body = Buffer.from(range ? result.content.subarray(range[0], range[1] + 1) : result.content);
      const blobHeaders: Record<string, string> = {
        ...headers,
        'Content-Type': result.contentType,
        ETag: result.etag,
        'Last-Modified': httpDate(result.lastModified),
        'Accept-Ranges': 'bytes',
        'x-ms-blob-type': 'BlockBlob',
        'x-ms-server-encrypted': 'true',
        'x-ms-lease-status': 'unlocked',
        'x-ms-lease-state': 'available',
        'x-ms-creation-time': httpDate(result.lastModified),
        'Content-Length': String(body.length),
      };
      if (range) blobHeaders['Content-Range'] = `bytes ${range[0]}-${range[1]}/${result.content.length}`;
      return {
        status: range ? 206 : 200,
        body,
        headers: blobHeaders,
        label: `blob ${blobName} (${result.contentLength} bytes returned)`,
        authorization,
      };
    }
    case 'DELETE': {
      const { authorization } = deleteBlob(lab, caller, accountId, containerName, blobName);
      return {
        status: 202,
        body: '',
        headers: { ...headers, 'x-ms-delete-type-permanent': 'true' },
        label: `blob ${blobName} deleted`,
        authorization,
      };
    }
    default:
      throw new ServiceError(405, 'UnsupportedHttpVerb', "The resource doesn't support specified Http Verb.");
  }
}

function xml(headers: Record<string, string>, body: string, label: string, authorization: AuthorizationNote): Reply {
  return {
    status: 200,
    body: `\uFEFF<?xml version="1.0" encoding="utf-8"?>${body}`,
    headers: { ...headers, 'Content-Type': 'application/xml' },
    label,
    authorization,
  };
}

function blobProperties(b: BlobInfo): string {
  return [
    `<Creation-Time>${httpDate(b.lastModified)}</Creation-Time><Last-Modified>${httpDate(b.lastModified)}</Last-Modified>`,
    `<Etag>${xmlEscape(b.etag)}</Etag><Content-Length>${b.contentLength}</Content-Length><Content-Type>${xmlEscape(b.contentType)}</Content-Type>`,
    '<BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred>',
    '<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted>',
  ].join('');
}

/** `bytes=a-b` (or `bytes=a-`), clamped to the content; undefined for no or unusable ranges. */
function parseRange(value: string | undefined, length: number): [number, number] | undefined {
  const match = value ? /^bytes=(\d+)-(\d*)$/.exec(value.trim()) : null;
  if (!match || length === 0) return undefined;
  const start = Number(match[1]);
  const end = Math.min(match[2] ? Number(match[2]) : length - 1, length - 1);
  if (start > end) throw new ServiceError(416, 'InvalidRange', 'The range specified is invalid for the current size of the resource.');
  return [start, end];
}
