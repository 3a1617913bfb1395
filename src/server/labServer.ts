// The lab's endpoints on loopback. One port, 127.0.0.1 only.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Lab } from '../engine/lab';
import { ManagedIdentityTokens } from '../engine/managedIdentity/acquire';
import type { EndpointContext } from './context';
import { route } from './router';
import { sendJson } from './http';

export interface LabServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Compute resource that `/metadata/…` without a host prefix runs as. */
  defaultHostId?: () => string | undefined;
  /** Secret that control requests (`/_milab/…`) must present in `x-milab-control`. */
  controlToken?: string;
}

export interface RunningLabServer {
  readonly url: string;
  readonly port: number;
  readonly context: EndpointContext;
  /** URL prefix an IMDS client uses to run as this host (the SDK's AZURE_POD_IDENTITY_AUTHORITY_HOST). */
  imdsAuthorityHost(hostId: string): string;
  close(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

export async function startLabServer(lab: Lab, options: LabServerOptions = {}): Promise<RunningLabServer> {
  const context: EndpointContext = {
    lab,
    managedIdentityTokens: new ManagedIdentityTokens(lab),
    defaultHostId: options.defaultHostId ?? (() => lab.arm.resources.find(r => r.identity !== undefined)?.id),
    ...(options.controlToken ? { controlToken: options.controlToken } : {}),
  };
  const server = createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => {
    route(context, req, res).catch(() => {
      // A bug must never take the server down or leak a stack trace to a client.
      sendJson(res, 500, { error: 'server_error', error_description: 'The lab could not process this request.' });
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${LOOPBACK}:${port}`;
  return {
    url,
    port,
    context,
    imdsAuthorityHost: hostId => `${url}/hosts${hostId}`,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
