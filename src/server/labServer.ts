// The lab's endpoints, 127.0.0.1 only: one port for HTTP and HTTPS, and Azure SQL's TDS on a
// port of its own (src/server/tds: SQL drivers speak TDS, not HTTP, and default to 1433).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createSecureServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Lab } from '../engine/lab/lab';
import { ManagedIdentityTokens } from '../engine/services/managedIdentity/acquire';
import { tlsPems } from '../engine/state/tlsMaterial';
import type { EndpointContext } from './context';
import { route } from './router';
import { sendJson } from './http';
import { polyglotServer } from './polyglot';
import { ThrottleTracker } from './managedIdentity/throttle';
import { labServiceUrls } from '../engine/azure/serviceDomains';
import { FlowCorrelator } from './flows';
import { identityEndpointUrl, imdsAuthorityHost } from './hostUrls';
import { startTdsServer, type TdsServerOptions } from './tds/tdsServer';
import { runSqlCommand } from '../az/sqlCommand';
import { listenRunSocket, RunRegistry } from './runs';
import { LabResponse, markRequest, type Durability } from './durability';
import { LocalChains } from './localChain';
import { startAbsentImds } from './managedIdentity/absentImds';

export interface LabServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Secret that control requests (`/_milab/…`) must present in `x-milab-control`. */
  controlToken?: string;
  /** Azure SQL's TDS endpoint: its port (0, the default, picks a free one) and limits. */
  sql?: TdsServerOptions;
  /** Unix socket `milab run` forwarders reach the lab through (see runProtocol.ts); none: no runs. */
  runSocketPath?: string;
  /** Makes a request that changed the lab wait for its save before it is answered (see durability.ts). */
  durability?: Durability;
}

export interface RunningLabServer {
  /** `http://127.0.0.1:PORT` — IMDS and the App Service identity endpoint. */
  readonly url: string;
  /** `https://127.0.0.1:PORT` — Entra ID, ARM, Key Vault and Storage (same port). */
  readonly httpsUrl: string;
  readonly port: number;
  /** Azure SQL's TDS port on 127.0.0.1 (`Server=tcp:{server}.database.windows.net,{sqlPort}`). */
  readonly sqlPort: number;
  /** Open TDS connections. */
  readonly sqlConnections: number;
  /** Loopback port of "your machine"'s absent IMDS: accepts and never answers (`milab env --as local`). */
  readonly absentImdsPort: number;
  /** PEM of the lab's CA, for NODE_EXTRA_CA_CERTS. */
  readonly caPem: string;
  readonly context: EndpointContext;
  /** URL prefix an IMDS client uses to run as this host (the SDK's AZURE_POD_IDENTITY_AUTHORITY_HOST). */
  imdsAuthorityHost(hostId: string): string;
  /** IDENTITY_ENDPOINT for code running as an App Service-style host. */
  identityEndpoint(hostId: string): string;
  /** Where `milab run` forwarders connect, when runs are served. */
  readonly runSocketPath?: string;
  close(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

/** Requests Node cannot even parse (bad framing, huge headers) still get an answer, then the connection closes. */
function answerMalformed(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A body that breaks framing after the headers (bad chunk sizes) already got Node's own
  // 400 on the in-flight response; a second response would corrupt the stream.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent: boolean } })._httpMessage;
  if (!socket.writable || socket.destroyed || inFlight?.headersSent) return void socket.destroy();
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ['431 Request Header Fields Too Large', 'RequestHeaderFieldsTooLarge', 'The request headers are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['408 Request Timeout', 'RequestTimeout', 'The request was not received in time.']
        : ['400 Bad Request', 'BadRequest', 'The request is not valid HTTP.'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export async function startLabServer(lab: Lab, options: LabServerOptions = {}): Promise<RunningLabServer> {
  const tls = tlsPems(await lab.tlsMaterial());
  const context: EndpointContext = {
    lab,
    port: 0,
    managedIdentityTokens: new ManagedIdentityTokens(lab),
    throttle: new ThrottleTracker(),
    flows: new FlowCorrelator(lab),
    runs: new RunRegistry(),
    localChains: new LocalChains(lab),
    ...(options.controlToken ? { controlToken: options.controlToken } : {}),
    ...(options.durability ? { durability: options.durability } : {}),
    commands: new Map([['sql', async argv => runSqlCommand(lab, argv)]]),
  };
  const durability = options.durability;
  // A bug must never take the server down or leak a stack trace to a client.
  const internalError = (res: ServerResponse) =>
    sendJson(res, 500, { error: { code: 'InternalServerError', message: 'The lab could not process this request.' } });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (durability) markRequest(res, durability);
    try {
      const pending = route(context, req, res);
      if (pending) pending.catch(() => internalError(res));
    } catch {
      internalError(res);
    }
  };
  // Slow clients (slowloris) are cut off: headers within 10 s, checked every second.
  const serverOptions = {
    ServerResponse: LabResponse,
    maxHeaderSize: 16 * 1024,
    requestTimeout: 30_000,
    headersTimeout: 10_000,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: 1_000,
  };
  const http = createServer(serverOptions, handle);
  const https = createSecureServer({ ...serverOptions, cert: tls.cert, key: tls.key, handshakeTimeout: 10_000 }, handle);
  for (const server of [http, https]) server.on('clientError', answerMalformed);
  https.on('tlsClientError', (_error, socket) => socket.destroy());
  const { server: listener, accept, destroyAll } = polyglotServer(http, https);
  // The inner servers never listen themselves (connections reach them from the polyglot
  // listener), so start the connection tracking Node runs on 'listening': it enforces
  // headersTimeout and requestTimeout against slow clients.
  http.emit('listening');
  https.emit('listening');
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port ?? 0, LOOPBACK, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const port = (listener.address() as AddressInfo).port;
  context.port = port;
  const stopHttp = () => {
    listener.close();
    destroyAll();
    http.close(() => undefined);
    https.close(() => undefined);
  };
  let sql: Awaited<ReturnType<typeof startTdsServer>>;
  try {
    sql = await startTdsServer(context, tls, options.sql);
  } catch (error) {
    stopHttp();
    throw error;
  }
  // A run's connections to {server}.database.windows.net:1433 reach the TDS endpoint through the run socket.
  let runSocket: { close(): void } | undefined;
  try {
    runSocket = options.runSocketPath
      ? await listenRunSocket({ path: options.runSocketPath, registry: context.runs, acceptLab: accept, tdsPort: () => sql.port })
      : undefined;
  } catch (error) {
    // All or nothing: no listener is left answering for a lab that did not start.
    void sql.close();
    stopHttp();
    throw error;
  }
  let absentImds: Awaited<ReturnType<typeof startAbsentImds>>;
  try {
    absentImds = await startAbsentImds(lab, context.localChains, LOOPBACK);
  } catch (error) {
    runSocket?.close();
    void sql.close();
    stopHttp();
    throw error;
  }
  const url = `http://${LOOPBACK}:${port}`;
  const httpsUrl = `https://${LOOPBACK}:${port}`;
  lab.serviceUrls = labServiceUrls(httpsUrl);
  return {
    url,
    httpsUrl,
    port,
    sqlPort: sql.port,
    get sqlConnections() {
      return sql.connections;
    },
    absentImdsPort: absentImds.port,
    caPem: tls.ca,
    context,
    imdsAuthorityHost: hostId => imdsAuthorityHost(url, hostId),
    identityEndpoint: hostId => identityEndpointUrl(url, hostId),
    ...(options.runSocketPath ? { runSocketPath: options.runSocketPath } : {}),
    close: () =>
      new Promise<void>(resolve => {
        context.flows.dispose();
        context.localChains.dispose();
        context.managedIdentityTokens.dispose();
        void sql.close();
        runSocket?.close();
        void absentImds.close();
        listener.close(() => resolve());
        destroyAll();
        // Stops the inner servers' connection-checking timers (they "close" with an error: they never listened).
        http.close(() => undefined);
        https.close(() => undefined);
      }),
  };
}
