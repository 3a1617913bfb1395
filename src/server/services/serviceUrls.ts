// The data-plane URLs a response names (a vault's \`vaultUri\`, a secret's \`id\`), written the way
// the caller reached the lab: a request on HTTPS's own port (Azure's names under \`milab run\`,
// or \`milab serve --port 443\`) gets Azure's URLs, with no port; one on the lab's port gets that port.
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import { header } from '../http';
import { AZURE_SERVICE_URLS, type ServiceUrls } from '../../engine/azure/serviceDomains';

export function serviceUrlsFor(ctx: EndpointContext, req: ParsedRequest): ServiceUrls {
  const port = /:(\d+)$/.exec(header(req, 'host') ?? '')?.[1];
  return port === undefined || port === '443' ? AZURE_SERVICE_URLS : ctx.lab.serviceUrls;
}
