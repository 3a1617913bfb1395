// Small HTTP helpers shared by the endpoints: parsing what a client sent and answering in
// Azure's shapes. Nothing here throws on hostile input.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonObject } from '../engine/base/json';
import { createHash, timingSafeEqual } from 'node:crypto';
import { durabilityBarrier } from './durability';

export interface ParsedRequest {
  method: string;
  /** Path without the query, percent-decoding left to the endpoint. */
  path: string;
  /** Query parameters; a name given twice keeps every value. Shared between requests: never mutate. */
  query: ReadonlyMap<string, string[]>;
  headers: IncomingMessage['headers'];
  rawUrl: string;
  /** The underlying request, for reading its body. */
  raw: IncomingMessage;
}

export function parseRequest(req: IncomingMessage): ParsedRequest {
  const rawUrl = req.url ?? '/';
  const queryStart = rawUrl.indexOf('?');
  const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  return {
    method: req.method ?? 'GET',
    path,
    query: queryStart === -1 ? EMPTY_QUERY : cachedQuery(rawUrl.slice(queryStart + 1)),
    headers: req.headers,
    rawUrl,
    raw: req,
  };
}

const EMPTY_QUERY: ReadonlyMap<string, string[]> = new Map();
/** Clients repeat the very same query (an SDK polling for tokens): parse each distinct one once. */
const recentQueries = new Map<string, ReadonlyMap<string, string[]>>();

function cachedQuery(text: string): ReadonlyMap<string, string[]> {
  let query = recentQueries.get(text);
  if (!query) {
    query = parseQuery(text);
    if (text.length <= 2048) {
      if (recentQueries.size >= 128) recentQueries.clear();
      recentQueries.set(text, query);
    }
  }
  return query;
}

/** application/x-www-form-urlencoded, as URLSearchParams reads it, with a fast path for plain text. */
export function parseQuery(text: string): Map<string, string[]> {
  const query = new Map<string, string[]>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    const values = query.get(name);
    if (values) values.push(value);
    else query.set(name, [value]);
  }
  return query;
}

function decodeComponent(text: string): string {
  if (text.indexOf('%') === -1 && text.indexOf('+') === -1) return text;
  const spaced = text.indexOf('+') === -1 ? text : text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // URLSearchParams semantics: broken percent-encoding stays as it is.
    return new URLSearchParams(`x=${text}`).get('x') ?? text;
  }
}

export class BodyTooLarge extends Error {}

/** Reads the request body, refusing (and draining no further than) `limit` bytes. */
export function readBody(req: ParsedRequest, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.raw.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.raw.removeAllListeners('data');
        req.raw.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.raw.on('end', () => resolve(Buffer.concat(chunks)));
    req.raw.on('error', reject);
  });
}

/** ARM-style tags in a request body: an object whose values are all strings. */
export const isTags = (value: unknown): value is Record<string, string> =>
  isJsonObject(value) && Object.values(value).every(v => typeof v === 'string');

/** The single value of a query parameter, or undefined when absent. Callers check `repeated` first. */
export const single = (req: ParsedRequest, name: string): string | undefined => req.query.get(name)?.[0];

export function repeatedParameters(req: ParsedRequest): string[] {
  let repeated: string[] | undefined;
  for (const [name, values] of req.query) if (values.length > 1) (repeated ??= []).push(name);
  return repeated ?? NONE;
}
const NONE: string[] = [];

/**
 * Whether a secret a client sent matches the expected one, in constant time. Both are hashed
 * first, so timingSafeEqual compares equal lengths and even the length is not revealed.
 */
export function sameSecret(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A request header by its lower-case name. */
export function header(req: ParsedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): string {
  const text = JSON.stringify(body);
  sendText(res, status, text, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  return text;
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  writeResponse(res, status, headers, text);
}

/**
 * The one way an answer leaves the server: when the request changed the lab, only after the
 * change is on disk (durability.ts); if it could not be saved, a 500 saying so instead.
 */
export function writeResponse(res: ServerResponse, status: number, headers: Record<string, string>, body?: string | Buffer): void {
  if (res.headersSent || res.destroyed) return;
  const barrier = durabilityBarrier(res);
  if (!barrier) return writeNow(res, status, headers, body);
  void barrier.then(failure => (failure ? writeSaveFailure(res, headers, failure) : writeNow(res, status, headers, body)));
}

function writeNow(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer | undefined): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A 500 in the shape the endpoint speaks: Storage's XML, or the {"error":{code,message}} of ARM, Key Vault and the rest. */
function writeSaveFailure(res: ServerResponse, intended: Record<string, string>, failure: Error): void {
  const xml = /xml/i.test(intended['Content-Type'] ?? intended['content-type'] ?? '');
  const text = xml
    ? `<?xml version="1.0" encoding="utf-8"?><Error><Code>InternalError</Code><Message>${escapeXml(failure.message)}</Message></Error>`
    : JSON.stringify({ error: { code: 'InternalServerError', message: failure.message } });
  const headers: Record<string, string> = xml
    ? { 'Content-Type': 'application/xml', 'x-ms-error-code': 'InternalError' }
    : { 'Content-Type': 'application/json; charset=utf-8' };
  writeNow(res, 500, headers, text);
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** Redacts a JWT's signature for display: the claims are useful to see, the credential is not. */
export function redactToken(token: string): string {
  const parts = token.split('.');
  return parts.length === 3 ? `${parts[0]}.${parts[1]}.[signature redacted]` : '[redacted]';
}

export function headersForTrace(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = /^(authorization|x-identity-header|cookie)$/i.test(name) ? redactAuthorization(text) : text.slice(0, 500);
  }
  return out;
}

function redactAuthorization(value: string): string {
  const match = /^(Bearer|Basic)\s+(.*)$/i.exec(value);
  if (match && match[1]!.toLowerCase() === 'bearer') return `Bearer ${redactToken(match[2]!)}`;
  return '[redacted]';
}
