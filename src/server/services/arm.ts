// Azure Resource Manager's REST surface over HTTPS at https://127.0.0.1:PORT/ (the lab's
// management endpoint; https://management.azure.com/ under `milab run`): subscriptions, resource
// groups, resources with their `identity`, role assignments and role definitions — authorized
// with RBAC `actions` for whoever the bearer token names — and the lists clients walk
// (armLists.ts). Errors are ARM's {"error":{"code","message"}} with ARM's codes and texts.
import type { ServerResponse } from 'node:http';
import { isJsonObject } from '../../engine/base/json';
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import { BodyTooLarge, headersForTrace, isTags, readBody, sendJson, single } from '../http';
import { tokenRefusal, verifyBearer } from './bearer';
import { expiredToken, invalidIdentityType, invalidTokenAudience, invalidTokenTenant } from './messages';
import { findResourceApp } from '../../engine/azure/resourceApps';
import { trimChar } from '../../engine/base/encoding';
import { authorize, type Caller } from '../../engine/lab/authorization';
import { requireListScope } from '../../engine/lab/visibility';
import { isLabError, LabError } from '../../engine/base/errors';
import { parseResourceId, resourceGroupId, type ParsedResourceId } from '../../engine/azure/resourceId';
import {
  createOrUpdateResource,
  createOrUpdateResourceGroup,
  deleteResource,
  deleteResourceGroup,
  requireGroup,
  requireResource,
  resolveSubscription,
  updateTags,
} from '../../engine/operations/resources';
import { resourceGroupJson, resourceJson, roleAssignmentJson, roleDefinitionJson } from '../../engine/readModels/armJson';
import { createRoleAssignment, deleteRoleAssignment, requireScope, type PrincipalType } from '../../engine/operations/roleAssignments';
import {
  parseIdentityType,
  assignUserIdentities,
  disableSystemAssigned,
  enableSystemAssigned,
  removeUserIdentities,
} from '../../engine/operations/identities';
import { roleGuidOf } from '../../engine/state/roleDefinitions';
import { TraceBuilder } from '../../engine/trace/builder';
import type { AuthorizationNote, HttpExchange, Refusal } from '../../engine/trace/model';
import type { Decision } from '../../engine/state/accessDecisions';
import type { RejectedToken } from '../../engine/services/verifyToken';
import { idKey } from '../../engine/azure/resourceId';
import { appHost, hostOfToken } from './bearer';
import {
  CLOUD_METADATA_PATH,
  cloudMetadata,
  listByType,
  listGroups,
  listResources,
  listSubscriptions,
  listTenants,
  providers,
  subscriptionView,
} from './armLists';
import { serviceUrlsFor } from './serviceUrls';

const ARM = findResourceApp('https://management.azure.com/')!;
const ALLOWED_AUDIENCES = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];
const ROLE_ASSIGNMENTS = /^(.*?)\/providers\/Microsoft\.Authorization\/roleAssignments(?:\/([^/]+))?$/i;
const ROLE_DEFINITIONS = /^(.*?)\/providers\/Microsoft\.Authorization\/roleDefinitions(?:\/([^/]+))?$/i;
const BODY_LIMIT = 256 * 1024;

type Json = Record<string, unknown>;
interface Answer {
  status: number;
  body?: unknown;
  label: string;
}

const armError = (code: string, message: string): Json => ({ error: { code, message } });

/** Whether a path belongs to ARM: subscriptions, tenant-level providers, /tenants, or the cloud's metadata. */
export const isArmPath = (path: string): boolean =>
  /^\/(subscriptions|providers|tenants)(\/|$)/i.test(path) || CLOUD_METADATA_PATH.test(path);

function authenticationError(
  ctx: EndpointContext,
  rejected: RejectedToken,
): { status: number; body: Json; headers: Record<string, string> } {
  const challenge = (description: string) => ({
    'WWW-Authenticate': `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${description}"`,
  });
  switch (rejected.reason) {
    case 'missing':
      return {
        status: 401,
        body: armError('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."),
        headers: challenge("The authentication failed because of missing 'Authorization' header."),
      };
    case 'audience':
      return {
        status: 401,
        body: armError('InvalidAuthenticationTokenAudience', invalidTokenAudience(rejected.detail, ALLOWED_AUDIENCES)),
        headers: challenge('The access token has been obtained from wrong audience or resource.'),
      };
    case 'issuer':
      return {
        status: 401,
        body: armError('InvalidAuthenticationTokenTenant', invalidTokenTenant(rejected.detail, ctx.lab.tenantId)),
        headers: challenge('The access token is from the wrong issuer.'),
      };
    case 'expired': {
      const now = new Date(ctx.lab.clock.now()).toISOString();
      const exp = rejected.unverifiedClaims?.['exp'];
      return {
        status: 401,
        body: armError(
          'ExpiredAuthenticationToken',
          expiredToken(typeof exp === 'number' ? new Date(exp * 1000).toISOString() : 'unknown', now),
        ),
        headers: challenge('The access token expired.'),
      };
    }
    default:
      return {
        status: 401,
        body: armError('InvalidAuthenticationToken', 'The access token is invalid.'),
        headers: challenge('The access token is invalid.'),
      };
  }
}

export async function handleArm(ctx: EndpointContext, req: ParsedRequest, path: string, res: ServerResponse): Promise<void> {
  if (CLOUD_METADATA_PATH.test(path)) return void sendJson(res, 200, cloudMetadata(req));
  const started = ctx.lab.clock.now();
  const verified = await verifyBearer(ctx.lab, req, [...ALLOWED_AUDIENCES, ARM.appId]);
  const builder = new TraceBuilder(ctx.lab.clock, `ARM ${req.method.slice(0, 10)} ${path.slice(0, 150)}`, started);
  const hostId = verified.ok ? hostOfToken(ctx.lab, verified.claims) : undefined;
  const host = appHost(ctx, req, hostId);
  if (host) builder.runsAs(host.id);
  const principal = verified.ok ? ctx.lab.directory.principal(String(verified.claims['oid'] ?? '')) : undefined;
  const app = builder.participant(
    'app',
    host
      ? `App on ${host.name}`
      : principal
        ? principal.kind === 'User'
          ? `${principal.displayName} (az)`
          : `App as ${principal.displayName}`
        : 'Client',
    '',
    host?.id,
  );
  const arm = builder.participant('arm', 'Azure Resource Manager');
  const http: HttpExchange = {
    method: req.method.slice(0, 20),
    url: req.rawUrl.slice(0, 2000),
    requestHeaders: headersForTrace(req.headers),
  };
  builder.add({ from: app, to: arm, kind: 'request', label: `${req.method.slice(0, 10)} ${path.slice(0, 150)}`, http });
  // The caller notes every access check made for it, so the trace shows what was decided.
  const checks: AuthorizationNote[] = [];
  const respond = (
    status: number,
    body: unknown,
    label: string,
    extra: { headers?: Record<string, string>; errorCode?: string; notes?: string[]; refusal?: Refusal } = {},
  ) => {
    const text = body === undefined ? '' : sendJson(res, status, body, extra.headers ?? {});
    if (body === undefined && !res.headersSent) {
      res.writeHead(status, { 'Content-Length': '0', ...(extra.headers ?? {}) });
      res.end();
    }
    if (extra.refusal) builder.refuse(extra.refusal);
    const requestBody = bodies.get(req);
    if (requestBody) http.requestBody = requestBody.slice(0, 4000);
    builder.add({
      from: arm,
      to: app,
      kind: 'response',
      status,
      label,
      errorCode: extra.errorCode,
      notes: extra.notes,
      authorization: checks[checks.length - 1],
      checks: checks.length > 1 ? [...checks] : undefined,
      http: { ...http, status, responseBody: text.slice(0, 4000) },
    });
    ctx.lab.traces.add(builder.finish());
  };

  if (!verified.ok) {
    const failure = authenticationError(ctx, verified);
    const code = (failure.body['error'] as Json)['code'] as string;
    respond(failure.status, failure.body, code, {
      headers: failure.headers,
      errorCode: code,
      refusal: tokenRefusal(ctx.lab, verified, 'arm', code),
    });
    return;
  }
  if (!single(req, 'api-version')) {
    respond(
      400,
      armError('MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.'),
      'MissingApiVersionParameter',
      {
        errorCode: 'MissingApiVersionParameter',
        refusal: { rule: 'endpointProtocol', by: 'arm', errorCode: 'MissingApiVersionParameter' },
      },
    );
    return;
  }
  const caller: Caller = { kind: 'principal', objectId: String(verified.claims['oid']), checks };
  try {
    const answer = await operate(ctx, req, path, caller);
    respond(answer.status, answer.body, answer.label);
  } catch (error) {
    if (isLabError(error)) {
      const notes = error.code === 'AuthorizationFailed' || error.code === 'LinkedAuthorizationFailed' ? decisionNotes(error.detail) : [];
      respond(error.status, armError(error.code, error.message), error.code, {
        errorCode: error.code,
        notes,
        refusal: armRefusal(error, String(verified.claims['oid']), String(verified.claims['appid'] ?? '')),
      });
      return;
    }
    if (error instanceof BodyTooLarge) {
      respond(413, armError('RequestEntityTooLarge', 'The request content is too large.'), 'RequestEntityTooLarge', {
        errorCode: 'RequestEntityTooLarge',
        refusal: { rule: 'endpointProtocol', by: 'arm', errorCode: 'RequestEntityTooLarge' },
      });
      return;
    }
    throw error;
  }
}

/** What ARM refused, as facts: the RBAC decision of an AuthorizationFailed, the principal of a PrincipalNotFound. */
function armRefusal(error: LabError, principalId: string, clientId: string): Refusal {
  const who = { principalId, ...(clientId ? { clientId } : {}) };
  if (error.code === 'AuthorizationFailed' || error.code === 'LinkedAuthorizationFailed') {
    const decision = error.detail as Decision | undefined;
    return {
      rule: 'rbac',
      by: 'arm',
      errorCode: error.code,
      ...who,
      ...(decision ? { action: decision.action, scope: decision.scope, plane: decision.plane } : {}),
      detail: error.message.slice(0, 600),
    };
  }
  const rule: Refusal['rule'] =
    error.code === 'PrincipalNotFound'
      ? 'principalNotFound'
      : /NotFound$/.test(error.code)
        ? 'notFound'
        : error.status === 400
          ? 'endpointProtocol'
          : 'other';
  return { rule, by: 'arm', errorCode: error.code, ...who, detail: error.message.slice(0, 600) };
}

function decisionNotes(detail: unknown): string[] {
  const decision = detail as { summary?: string } | undefined;
  return decision?.summary ? [decision.summary] : [];
}

/** Request bodies as read, for the trace (ARM bodies carry no secrets: role assignments, resource properties). */
const bodies = new WeakMap<ParsedRequest, string>();

async function readJson(req: ParsedRequest): Promise<Json> {
  const text = (await readBody(req, BODY_LIMIT)).toString('utf8');
  bodies.set(req, text);
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (isJsonObject(value)) return value as Json;
  } catch {
    // fall through
  }
  throw new LabError('InvalidArgument', 'The request content was invalid and could not be deserialized.', 400);
}

async function operate(ctx: EndpointContext, req: ParsedRequest, path: string, caller: Caller): Promise<Answer> {
  const lab = ctx.lab;
  const trimmed = trimChar(path, '/', 'end') || '/';
  const method = req.method;

  const assignments = ROLE_ASSIGNMENTS.exec(trimmed);
  if (assignments) return roleAssignments(ctx, req, assignments[1] || '/', assignments[2], caller);
  const definitions = ROLE_DEFINITIONS.exec(trimmed);
  if (definitions) return roleDefinitions(ctx, req, definitions[1] || '/', definitions[2], caller);

  if (method === 'GET') {
    const list = readList(ctx, req, trimmed, caller);
    if (list) return list;
  }

  let parsed: ParsedResourceId;
  try {
    parsed = parseResourceId(trimmed);
  } catch (error) {
    if (/^\/subscriptions\//i.test(trimmed)) throw new LabError('InvalidResourceId', (error as Error).message, 400);
    throw new LabError('MissingSubscription', 'The request did not have a subscription or a valid tenant level resource provider.', 400);
  }
  switch (parsed.kind) {
    case 'subscription':
      resolveSubscription(lab, parsed.subscriptionId);
      // Like the subscription list: anyone holding a role in it may read it.
      requireListScope(lab, caller, parsed.id, 'Microsoft.Resources/subscriptions/read');
      return { status: 200, body: subscriptionView(lab, parsed.subscriptionId!), label: 'subscription' };
    case 'resourceGroup':
      return resourceGroup(ctx, req, parsed, caller);
    case 'resource':
      return resource(ctx, req, parsed, caller);
    default:
      throw new LabError('MissingSubscription', 'The request did not have a subscription or a valid tenant level resource provider.', 400);
  }
}

/** The collection GETs (armLists.ts), or undefined when the path names one thing rather than a list. */
function readList(ctx: EndpointContext, req: ParsedRequest, path: string, caller: Caller): Answer | undefined {
  if (/^\/subscriptions$/i.test(path)) return listSubscriptions(ctx, caller);
  if (/^\/tenants$/i.test(path)) return listTenants(ctx);
  let match = /^\/subscriptions\/([^/]+)\/resourcegroups$/i.exec(path);
  if (match) return listGroups(ctx, match[1]!, caller);
  match = /^\/subscriptions\/([^/]+)(?:\/resourcegroups\/([^/]+))?\/resources$/i.exec(path);
  if (match) return listResources(ctx, req, path, caller, { subscription: match[1]!, ...(match[2] ? { group: match[2] } : {}) });
  match = /^(?:\/subscriptions\/([^/]+))?\/providers(?:\/([^/]+))?$/i.exec(path);
  if (match) return providers(ctx, caller, match[1], match[2]);
  return listByType(ctx, req, path, caller);
}

async function resourceGroup(ctx: EndpointContext, req: ParsedRequest, parsed: ParsedResourceId, caller: Caller): Promise<Answer> {
  const lab = ctx.lab;
  const sub = resolveSubscription(lab, parsed.subscriptionId);
  switch (req.method) {
    case 'GET': {
      const group = requireGroup(lab, sub, parsed.resourceGroup!);
      authorize(lab, caller, 'Microsoft.Resources/subscriptions/resourceGroups/read', resourceGroupId(sub, group.name));
      return { status: 200, body: resourceGroupJson(group), label: `resource group ${group.name}` };
    }
    case 'PUT': {
      const body = await readJson(req);
      if (typeof body['location'] !== 'string') {
        throw new LabError('InvalidArgument', "The 'location' property is required for this definition.", 400, 'location');
      }
      const existed = lab.arm.group(sub, parsed.resourceGroup!) !== undefined;
      const group = createOrUpdateResourceGroup(lab, caller, {
        subscriptionId: sub,
        name: parsed.resourceGroup!,
        location: body['location'],
        ...(isTags(body['tags']) ? { tags: body['tags'] } : {}),
      });
      return {
        status: existed ? 200 : 201,
        body: resourceGroupJson(group),
        label: `resource group ${group.name} ${existed ? 'updated' : 'created'}`,
      };
    }
    case 'DELETE': {
      if (!lab.arm.group(sub, parsed.resourceGroup!)) return { status: 204, label: 'nothing to delete' };
      const report = deleteResourceGroup(lab, caller, sub, parsed.resourceGroup!);
      return { status: 200, label: `resource group deleted with ${report.resources.length} resource(s)` };
    }
    default:
      throw new LabError('InvalidArgument', `The requested resource does not support http method '${req.method.slice(0, 20)}'.`, 405);
  }
}

async function resource(ctx: EndpointContext, req: ParsedRequest, parsed: ParsedResourceId, caller: Caller): Promise<Answer> {
  const lab = ctx.lab;
  switch (req.method) {
    case 'GET': {
      const found = requireResource(lab, parsed.id);
      authorize(lab, caller, `${found.type}/read`, found.id);
      return { status: 200, body: resourceJson(lab, found, serviceUrlsFor(ctx, req)), label: `${found.name}` };
    }
    case 'PUT': {
      const body = await readJson(req);
      const existed = lab.arm.resource(parsed.id) !== undefined;
      const identity = body['identity'] as Json | undefined;
      const wanted = identity ? identityChange(identity) : undefined;
      if (body['properties'] !== undefined && body['properties'] !== null && !isJsonObject(body['properties'])) {
        throw new LabError(
          'InvalidRequestContent',
          "The request content was invalid and could not be deserialized: 'properties' must be an object.",
          400,
        );
      }
      const created = createOrUpdateResource(lab, caller, {
        subscriptionId: parsed.subscriptionId!,
        resourceGroup: parsed.resourceGroup!,
        type: parsed.type!,
        name: parsed.names.join('/'),
        ...(typeof body['location'] === 'string' ? { location: body['location'] } : {}),
        ...(typeof body['kind'] === 'string' ? { kind: body['kind'] } : {}),
        ...(isTags(body['tags']) ? { tags: body['tags'] } : {}),
        ...(isJsonObject(body['properties']) ? { properties: body['properties'] } : {}),
        ...(wanted ? { identity: { systemAssigned: wanted.systemAssigned, userAssigned: wanted.add } } : {}),
      });
      return {
        status: existed ? 200 : 201,
        body: resourceJson(lab, created, serviceUrlsFor(ctx, req)),
        label: `${created.name} ${existed ? 'updated' : 'created'}`,
      };
    }
    case 'PATCH': {
      const found = requireResource(lab, parsed.id);
      const body = await readJson(req);
      if (body['identity'] && typeof body['identity'] === 'object') applyIdentityPatch(ctx, caller, found.id, body['identity'] as Json);
      if (isTags(body['tags'])) updateTags(lab, caller, found.id, body['tags']);
      return {
        status: 200,
        body: resourceJson(lab, lab.arm.resource(found.id)!, serviceUrlsFor(ctx, req)),
        label: `${found.name} updated`,
      };
    }
    case 'DELETE': {
      if (!lab.arm.resource(parsed.id)) return { status: 204, label: 'nothing to delete' };
      deleteResource(lab, caller, parsed.id);
      return { status: 200, label: 'deleted' };
    }
    default:
      throw new LabError('InvalidArgument', `The requested resource does not support http method '${req.method.slice(0, 20)}'.`, 405);
  }
}

/** The ARM identity object of a request: its type, and the user-assigned ids to add (`{}`) or remove (`null`). */
function identityChange(identity: Json): { systemAssigned: boolean; userAssigned: boolean; add: string[]; remove: string[] } {
  const type = parseIdentityType(String(identity['type'] ?? ''));
  if (!type) {
    throw new LabError('InvalidArgument', invalidIdentityType(String(identity['type'] ?? '')), 400, 'identity.type');
  }
  const map = (identity['userAssignedIdentities'] ?? {}) as Record<string, unknown>;
  const add = Object.entries(map)
    .filter(([, v]) => v !== null)
    .map(([k]) => k);
  const remove = Object.entries(map)
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  if (!type.userAssigned && add.length) {
    throw new LabError(
      'InvalidArgument',
      "userAssignedIdentities can only be given when the identity type includes 'UserAssigned'.",
      400,
      'identity',
    );
  }
  return { ...type, add, remove };
}

/** PATCH { identity }: the way the REST docs turn identities on and off (qs-configure-rest-vm). */
function applyIdentityPatch(ctx: EndpointContext, caller: Caller, id: string, identity: Json): void {
  const lab = ctx.lab;
  const change = identityChange(identity);
  const resource = lab.arm.resource(id)!;
  if (change.systemAssigned) enableSystemAssigned(lab, caller, id);
  else if (resource.identity?.systemAssigned) disableSystemAssigned(lab, caller, id);
  if (change.add.length) assignUserIdentities(lab, caller, id, change.add);
  const attached = lab.arm.resource(id)?.identity?.userAssigned ?? [];
  const remove = change.userAssigned ? change.remove : attached.map(u => u.resourceId);
  if (remove.length) removeUserIdentities(lab, caller, id, remove);
}

async function roleAssignments(
  ctx: EndpointContext,
  req: ParsedRequest,
  scope: string,
  name: string | undefined,
  caller: Caller,
): Promise<Answer> {
  const lab = ctx.lab;
  const scopeId = requireScope(lab, scope).id;
  if (!name) {
    if (req.method !== 'GET') {
      throw new LabError('InvalidArgument', `The requested resource does not support http method '${req.method.slice(0, 20)}'.`, 405);
    }
    authorize(lab, caller, 'Microsoft.Authorization/roleAssignments/read', scopeId);
    const filter = single(req, '$filter') ?? '';
    const principal = /principalId\s+eq\s+'([^']+)'/i.exec(filter)?.[1];
    // ARM lists assignments at, above and below the scope unless atScope() is asked for.
    const value = (
      /atScope\(\)/i.test(filter) ? lab.assignments.applyingAt(scopeId, principal) : lab.assignments.relatedTo(scopeId, principal)
    ).map(a => a.state);
    return { status: 200, body: { value: value.map(roleAssignmentJson) }, label: `${value.length} role assignment(s)` };
  }
  switch (req.method) {
    case 'GET': {
      const found = lab.assignments.get(name);
      if (!found || idKey(found.scope) !== idKey(scopeId)) {
        throw new LabError('RoleAssignmentNotFound', `The role assignment '${name}' is not found.`, 404);
      }
      authorize(lab, caller, 'Microsoft.Authorization/roleAssignments/read', scopeId);
      return { status: 200, body: roleAssignmentJson(found), label: 'role assignment' };
    }
    case 'PUT': {
      const body = await readJson(req);
      const properties = (body['properties'] ?? {}) as Json;
      const roleDefinitionId = String(properties['roleDefinitionId'] ?? '');
      if (!roleGuidOf(roleDefinitionId)) {
        throw new LabError('InvalidArgument', 'The role definition ID is missing or invalid.', 400, 'roleDefinitionId');
      }
      const created = createRoleAssignment(lab, caller, {
        scope: scopeId,
        role: roleDefinitionId,
        principalId: String(properties['principalId'] ?? ''),
        name,
        ...(typeof properties['principalType'] === 'string' ? { principalType: properties['principalType'] as PrincipalType } : {}),
        ...(typeof properties['description'] === 'string' ? { description: properties['description'] } : {}),
      });
      return { status: 201, body: roleAssignmentJson(created), label: 'role assignment created' };
    }
    case 'DELETE': {
      const found = lab.assignments.get(name);
      if (!found || idKey(found.scope) !== idKey(scopeId)) return { status: 204, label: 'nothing to delete' };
      const deleted = deleteRoleAssignment(lab, caller, found.name)!;
      return { status: 200, body: roleAssignmentJson(deleted), label: 'role assignment deleted' };
    }
    default:
      throw new LabError('InvalidArgument', `The requested resource does not support http method '${req.method.slice(0, 20)}'.`, 405);
  }
}

function roleDefinitions(ctx: EndpointContext, req: ParsedRequest, scope: string, name: string | undefined, caller: Caller): Answer {
  const lab = ctx.lab;
  if (req.method !== 'GET') {
    throw new LabError('InvalidArgument', 'Role definitions are managed with az role definition create in this lab.', 405);
  }
  const scopeId = requireScope(lab, scope).id;
  authorize(lab, caller, 'Microsoft.Authorization/roleDefinitions/read', scopeId);
  const subscription = parseResourceId(scopeId).subscriptionId ?? lab.defaultSubscriptionId;
  if (name) {
    const role = lab.roles.get(name);
    if (!role) throw new LabError('RoleDefinitionNotFound', `The role definition '${name}' could not be found.`, 404);
    return { status: 200, body: roleDefinitionJson(role, subscription), label: role.roleName };
  }
  const wanted = /roleName\s+eq\s+'([^']+)'/i.exec(single(req, '$filter') ?? '')?.[1];
  const roles = lab.roles.all.filter(r => !wanted || r.roleName.toLowerCase() === wanted.toLowerCase());
  return { status: 200, body: { value: roles.map(r => roleDefinitionJson(r, subscription)) }, label: `${roles.length} role definition(s)` };
}
