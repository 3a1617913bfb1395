// Preloaded into an app run "as" a lab resource (`milab env` adds it to NODE_OPTIONS): makes
// the Azure service host names the lab serves resolve to 127.0.0.1, as a hosts-file entry
// would. The app then calls https://{vault}.vault.azure.net:{port}/ exactly as on Azure —
// same SDK code, same challenge checks — and reaches the lab. Nothing else is touched.
import type * as Dns from 'node:dns';
import { isServiceHostName } from '../engine/azure/serviceDomains';

// A CommonJS require on purpose: the preload must patch the module object the app's code sees.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dns = require('node:dns') as typeof Dns;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | Dns.LookupAddress[], family?: number) => void;

const original = dns.lookup;
const originalPromise = dns.promises.lookup;

function wantsAll(options: unknown): boolean {
  return typeof options === 'object' && options !== null && (options as Dns.LookupAllOptions).all === true;
}

function labLookup(hostname: string, options: unknown, callback?: LookupCallback): void {
  const done = (typeof options === 'function' ? options : callback) as LookupCallback;
  if (typeof hostname === 'string' && isServiceHostName(hostname)) {
    process.nextTick(() => (wantsAll(options) ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
    return;
  }
  (original as (...args: unknown[]) => void)(hostname, ...(typeof options === 'function' ? [options] : [options, callback]));
}

(dns as { lookup: unknown }).lookup = labLookup;
(dns.promises as { lookup: unknown }).lookup = (hostname: string, options?: unknown) =>
  typeof hostname === 'string' && isServiceHostName(hostname)
    ? Promise.resolve(wantsAll(options) ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 })
    : (originalPromise as (...args: unknown[]) => Promise<unknown>)(hostname, options);
