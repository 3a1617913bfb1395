// Explaining access failures: a 403 from Key Vault, Storage or ARM (the decision the lab makes
// for that principal, action and scope, and the least-privileged built-in role that would
// grant it), a token for another audience, an expired token, SQL's login failures, and a role
// assignment whose principal cannot be found.
import type { Evidence, Fix, Workload } from './model';
import type { SymptomOf } from './symptoms';
import { actionWords, sentence, type DiagnosisContext, type FindingDraft } from './context';
import { labScope, principalInLab, resourceInLab, storageInLab, usableId, vaultInLab, type LabPrincipal } from './bind';
import { leastPrivilegedRole, PLACEHOLDER, resourceScope, roleFix, scopeWords } from './fixes';
import { isGuid } from '../base/ids';
import type { ReadonlyResource } from '../state/labState';
import { resourceTypeOf } from '../azure/resourceTypes';
import { findResourceApp } from '../azure/resourceApps';
import { isPlaceholder } from './readText';
import type { Lab } from '../lab/lab';
import type { AuthorizationNote, Trace } from '../trace/model';
import { workloadOf } from './readTrace';
import { isAtOrAbove } from '../azure/resourceId';

const SERVICE_NAMES = {
  keyvault: 'Key Vault',
  storage: 'Storage',
  arm: 'Azure Resource Manager',
  sql: 'Azure SQL',
  unknown: 'the service',
} as const;
export const AUDIENCES = {
  keyvault: 'https://vault.azure.net',
  storage: 'https://storage.azure.com/',
  arm: 'https://management.azure.com/',
  sql: 'https://database.windows.net/',
} as const;

const DEFAULT_ACTIONS = {
  keyvault: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  storage: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
} as const;

function who(principal: LabPrincipal | undefined, symptom: { principalId?: string; callerName?: string }): string {
  if (principal) return `${principal.words} (object id ${principal.objectId})`;
  if (usableId(symptom.principalId)) return `the principal with object id ${symptom.principalId}`;
  if (symptom.callerName && !isPlaceholder(symptom.callerName)) return `the caller '${symptom.callerName}'`;
  return 'the caller';
}

function inLab(evidence: Evidence[], principal: LabPrincipal | undefined, resource: ReadonlyResource | undefined): Evidence[] {
  const out = [...evidence];
  if (principal) {
    const line = out.find(e => e.label === 'object id' && e.value.toLowerCase() === principal.objectId.toLowerCase());
    if (line) line.inLab = principal.words;
    else out.push({ label: 'principal', value: principal.objectId, inLab: principal.words });
  }
  if (resource) {
    out.push({
      label: 'resource',
      value: resource.id,
      inLab: `${resource.name} (${resourceTypeOf(resource.type, resource.kind)?.displayName ?? resource.type})`,
    });
  }
  return out;
}

/** A rerun of the failed request, when the lab knows it (a fix that changes nothing else shows it now works). */
function rerun(ctx: DiagnosisContext, title = 'Run the same request again'): Fix[] {
  return ctx.workload ? [{ title, action: { kind: 'rerun', workload: ctx.workload }, runnable: true }] : [];
}

/** The lab's own record of the denial the text reports (the newest at that resource), for what the text leaves out. */
function tracedDenial(lab: Lab, resource: ReadonlyResource): { note: AuthorizationNote; trace: Trace } | undefined {
  const traces = lab.traces.all;
  for (let t = traces.length - 1; t >= 0; t--) {
    const messages = traces[t]!.messages;
    for (let m = messages.length - 1; m >= 0; m--) {
      const note = messages[m]!.authorization;
      if (note && !note.allowed && note.plane && note.principalId && isAtOrAbove(resource.id, note.scope)) {
        return { note, trace: traces[t]! };
      }
    }
  }
  return undefined;
}

export function explainRbac(symptom: SymptomOf<'rbacDenied'>, ctx: DiagnosisContext): FindingDraft {
  const lab = ctx.lab;
  const resource =
    lab &&
    ((symptom.vaultName && vaultInLab(lab, symptom.vaultName)) ||
      (symptom.accountName && storageInLab(lab, symptom.accountName)) ||
      (symptom.scope && resourceInLab(lab, symptom.scope)) ||
      (symptom.service === 'storage' && lab && ctx.names?.storageAccounts.map(n => storageInLab(lab, n)).find(Boolean)) ||
      (symptom.service === 'keyvault' && lab && ctx.names?.vaults.map(n => vaultInLab(lab, n)).find(Boolean)) ||
      undefined);
  // Storage's 403 names no principal or action (and pastes redact ids): the lab's trace of that denial may.
  const record = lab && resource && !symptom.accessPolicy ? tracedDenial(lab, resource) : undefined;
  const sameCaller =
    record && (!usableId(symptom.principalId) || record.note.principalId!.toLowerCase() === symptom.principalId.toLowerCase());
  const traced = sameCaller && !usableId(symptom.principalId) ? record.note : undefined;
  // The request to run again after the fix: the failed trace's own, when the lab recorded it.
  const again = ctx.workload ?? (sameCaller && lab ? workloadOf(lab, record.trace) : undefined);
  const s: SymptomOf<'rbacDenied'> = traced
    ? {
        ...symptom,
        principalId: traced.principalId!,
        action: symptom.action && symptom.service !== 'storage' ? symptom.action : traced.action,
        scope: traced.scope,
        evidence: [
          ...symptom.evidence,
          {
            label: 'traced by the lab',
            value: `${traced.action} at ${traced.scope}`,
            inLab: 'the denial the lab recorded at that resource',
          },
        ],
      }
    : symptom;
  const principal = lab ? principalInLab(lab, s) : undefined;
  if (s.service === 'keyvault' && s.accessPolicy) return explainAccessPolicy(s, ctx, principal);
  const action = s.action ?? (s.service === 'arm' ? undefined : DEFAULT_ACTIONS[s.service]);
  const plane = s.service === 'arm' ? 'control' : 'data';
  const scope = (s.scope && lab && labScope(lab, s.scope)) || s.scope || resource?.id;
  const service = SERVICE_NAMES[s.service];
  const subject = who(principal, s);
  const evidence = inLab(s.evidence, principal, resource || undefined);
  const fixes: Fix[] = [];
  let explanation: string;
  if (!action) {
    return {
      title: `${service} refused the request: 403 AuthorizationFailed`,
      explanation:
        `${service} authenticated the token and then found no role assignment that grants the action. The message ` +
        `names the action and scope; paste it whole to get the role that would grant it.`,
      evidence,
      fixes,
    };
  }
  const decision =
    lab && principal && scope
      ? lab.access.decide({ principalId: principal.objectId, action, scope, plane, groupIds: lab.directory.memberOf(principal.objectId) })
      : undefined;
  const role = decision?.suggestion?.roleName ?? leastPrivilegedRole(lab, action, plane);
  const where = scope ? scopeWords(lab, resourceScope(scope)) : service === 'Key Vault' ? 'the vault' : 'the resource';
  if (decision?.allowed) {
    explanation = sentence(
      `${subject} is allowed ${actionWords(action)} at ${scopeWords(lab, scope!)} now: ${decision.summary}`,
      'The denial came before the role took effect. On Azure, role assignments take up to 10 minutes to apply, ' +
        'and a token issued before a group change keeps its old groups for up to 24 hours: retry, or get a new ' +
        'token.',
    );
    fixes.push(...rerun(ctx));
  } else {
    const why = decision
      ? decision.considered.length
        ? `It has ${decision.considered.length} role assignment(s), none of which grants it: ${considered(decision, lab)}.`
        : 'It has no role assignments at all.'
      : s.strong
        ? 'The token was valid (the service read who the caller is); no role assignment grants the action at that scope.'
        : `${service} answered 403 Forbidden: the token was valid, the caller lacks a data role.`;
    explanation = sentence(
      `${subject} may not ${actionWords(action)} at ${scope ? scopeWords(lab, scope) : where}. ${why}`,
      role && `'${role}' at ${where} would grant ${actionWords(action)} — the least-privileged built-in role that does.`,
      s.linked &&
        `A write that attaches a user-assigned identity needs a second permission on the identity itself ('${actionWords(s.linked.action)}' ` +
          `on ${scopeWords(lab, s.linked.scope)}): 'Virtual Machine Contributor' lacks it, 'Managed Identity Operator' ` +
          `has it.`,
      s.service !== 'arm' && 'Owner, Contributor and Reader manage the resource; none of them grants data actions.',
    );
    const fix = roleFix(lab, {
      principalId: principal?.objectId ?? s.principalId,
      principalType: principal?.type ?? 'ServicePrincipal',
      action,
      scope,
      plane,
    });
    if (fix) {
      if (!principal && !usableId(s.principalId)) fix.title += ` to ${PLACEHOLDER.principal} (the text did not give the object id)`;
      fixes.push(fix);
      if (again) fixes.push({ title: 'Then run the same request again', action: { kind: 'rerun', workload: again }, runnable: true });
    }
  }
  return {
    title:
      `${principal?.words ?? (usableId(s.principalId) ? s.principalId : 'The caller')} may not ${actionWords(action)}` +
      `${resource ? ` on ${resource.name}` : ''} ` +
      `(${service} 403)`,
    explanation,
    evidence: [...evidence, ...(role ? [{ label: 'would grant', value: `${role} at ${where}` }] : [])],
    fixes,
  };
}

function considered(
  decision: { considered: Array<{ roleName: string; scope: string; reason: string }> },
  lab: DiagnosisContext['lab'],
): string {
  return decision.considered.map(c => `${c.roleName} at ${scopeWords(lab, c.scope)} (${c.reason})`).join('; ');
}

function explainAccessPolicy(s: SymptomOf<'rbacDenied'>, ctx: DiagnosisContext, principal: LabPrincipal | undefined): FindingDraft {
  const lab = ctx.lab;
  const vault = lab && s.vaultName ? vaultInLab(lab, s.vaultName) : undefined;
  const objectId = principal?.objectId ?? (usableId(s.principalId) ? s.principalId : undefined);
  const permission = s.accessPolicy?.permission ?? 'get';
  const fixes: Fix[] = [];
  const vaultName = vault?.name ?? (s.vaultName && !isPlaceholder(s.vaultName) ? s.vaultName : '<vault-name>');
  if (!s.accessPolicy?.obo || objectId) {
    fixes.push({
      title:
        `Grant ${s.accessPolicy?.objectType ?? 'secrets'} ${permission} to ${principal?.words ?? objectId ?? PLACEHOLDER.principal} ` +
        `in ${vaultName}'s access policies`,
      action: { kind: 'setKeyVaultAccessPolicy', vaultName, objectId: objectId ?? PLACEHOLDER.principal, secretPermissions: [permission] },
      runnable: !!vault && !!objectId,
    });
  }
  return {
    title: s.accessPolicy?.obo
      ? `${vaultName}'s access policy requires the on-behalf-of flow (Key Vault 403 ForbiddenByPolicy)`
      : `${principal?.words ?? 'The caller'} has no '${s.accessPolicy?.objectType ?? 'secrets'} ${permission}' access policy on ${vaultName} (Key Vault 403)`,
    explanation: s.accessPolicy?.obo
      ? "The vault's policy for this identity is a compound entry (an application together with a user), so Key " +
        "Vault expects an on-behalf-of token. Give the identity's object id a plain access policy instead."
      : sentence(
          `${vaultName} uses access policies (enableRbacAuthorization is false), so Azure role assignments do not ` +
            `count for its data: only an access policy granting ${s.accessPolicy?.objectType ?? 'secrets'} ${permission} ` +
            `to ${who(principal, s)} would.`,
          'Or switch the vault to Azure RBAC and assign Key Vault Secrets User.',
        ),
    evidence: inLab(s.evidence, principal, vault),
    fixes,
  };
}

export function explainAudience(s: SymptomOf<'wrongAudience'>, ctx: DiagnosisContext): FindingDraft {
  const service = s.service;
  const expected = service === 'unknown' ? undefined : AUDIENCES[service];
  const found = s.found;
  let why = '';
  if (found && service === 'keyvault' && /\.vault\.azure\.net/i.test(found)) {
    why = "A vault's own URL is not a resource: every vault takes tokens for https://vault.azure.net.";
  } else if (found && expected && found.replace(/\/+$/, '') === expected.replace(/\/+$/, '')) {
    why = `Only the trailing slash differs: ${SERVICE_NAMES[service]} compares the audience exactly.`;
  } else if (found?.startsWith('spn:')) {
    why = "An 'spn:'-prefixed audience is the application id in another form, which the service does not accept.";
  } else if (found) {
    const app = findResourceApp(found);
    if (app) why = `${found} is ${app.displayName}'s audience: the token was requested for (or reused from) the wrong API.`;
  }
  const workload = ctx.workload && expected ? retarget(ctx.workload, expected) : undefined;
  const fixes: Fix[] = workload
    ? [
        {
          title: `Request the token for ${expected!} (scope ${expected!.replace(/\/+$/, '')}/.default) and call again`,
          action: { kind: 'rerun', workload },
          runnable: true,
        },
      ]
    : expected
      ? [{ title: `Request the token for ${expected} (scope ${expected.replace(/\/+$/, '')}/.default)`, runnable: false }]
      : [];
  return {
    title: `A token for ${found ?? 'another resource'} was sent to ${SERVICE_NAMES[service]} (wrong audience)`,
    explanation: sentence(
      `${SERVICE_NAMES[service]} accepts tokens whose audience (aud) is ${expected ?? 'its own identifier'}${found ? `; this one's was ${found}` : ''}.`,
      why,
      'Ask the credential for the resource of the service you call (SDK clients do it for you; tokens passed around by hand are where it goes wrong).',
    ),
    evidence: [...s.evidence, ...(expected ? [{ label: 'expected audience', value: expected }] : [])],
    fixes,
  };
}

function retarget(workload: Workload, audience: string): Workload | undefined {
  if (workload.kind === 'readSecret') {
    const { audience: _wrong, ...rest } = workload;
    return audience === AUDIENCES.keyvault ? rest : { ...rest, audience };
  }
  if (workload.kind === 'token') return { ...workload, resource: audience };
  return undefined;
}

export function explainExpired(s: SymptomOf<'tokenExpired'>, ctx: DiagnosisContext): FindingDraft {
  return {
    title: `${SERVICE_NAMES[s.service]} refused an expired token`,
    explanation:
      'The token had passed its expiry (exp) when the service read it. SDK credentials refresh tokens minutes ' +
      'before they expire; a token kept by the app itself (a string in a variable, a long-lived connection) ' +
      'goes stale. Ask the credential for a token for each call, or at least before it expires.',
    evidence: s.evidence,
    fixes: rerun(ctx, 'Get a new token and call again'),
  };
}

export function explainSql(s: SymptomOf<'sqlLogin'>, ctx: DiagnosisContext): FindingDraft {
  const lab = ctx.lab;
  const principal = lab && s.principalId ? principalInLab(lab, { principalId: s.principalId }) : undefined;
  const database = s.database && lab ? resourceInLab(lab, s.database) : undefined;
  const [serverId, dbName] = s.database?.split('/databases/') ?? [];
  const server = lab && serverId ? resourceInLab(lab, serverId) : undefined;
  const fixes: Fix[] = [];
  let explanation: string;
  switch (s.how) {
    case 'notConfigured':
      explanation =
        'The server has no Microsoft Entra admin, so it accepts no Entra tokens at all. Set one (az sql server ' +
        'ad-admin create), then create contained users for the identities that log in.';
      break;
    case 'expired':
      explanation =
        'The token had expired (state 233). Open new connections with a fresh token; a pooled connection cannot renew its token.';
      break;
    case 'invalidToken':
      explanation =
        'SQL could not use the token: it was issued for another resource (SQL wants the audience https://database.windows.net/), ' +
        'or for an identity other than the one configured.';
      break;
    default:
      explanation = sentence(
        `SQL accepted the token but no contained database user${dbName ? ` in ${dbName}` : ''} maps to ${who(principal, s)}, ` +
          `and it is not the server's Microsoft Entra admin.`,
        'Azure RBAC roles, even "SQL DB Contributor", grant no data access: create the user FROM EXTERNAL PROVIDER and give it a database role.',
      );
      fixes.push({
        title:
          `Create the contained user: CREATE USER [${principal?.displayName ?? '<identity name>'}] FROM EXTERNAL ` +
          `PROVIDER; ALTER ROLE db_datareader ADD MEMBER [${principal?.displayName ?? '<identity name>'}]`,
        action: {
          kind: 'createSqlUser',
          server: server?.name ?? '<server>',
          database: dbName ?? '<database>',
          userName: principal?.displayName ?? '<identity name>',
          roles: ['db_datareader'],
        },
        runnable: !!principal && !!server && !!dbName && !!database,
      });
  }
  return {
    title: `Azure SQL refused the token login (18456)${principal ? ` of ${principal.words}` : ''}`,
    explanation,
    evidence: inLab(s.evidence, principal, database),
    fixes: [...fixes, ...(fixes.length ? [] : rerun(ctx))],
  };
}

export function explainPrincipalNotFound(s: SymptomOf<'principalNotFound'>, ctx: DiagnosisContext): FindingDraft {
  const lab = ctx.lab;
  const raw = s.value ?? '';
  const value = raw.replace(/^["']+|["']+$/g, '');
  const quoted = raw !== value;
  const guidLike = isGuid(value) || /^[0-9a-f]{32}$/i.test(value);
  const byClient = lab && isGuid(value) ? lab.directory.byClientId(value) : undefined;
  let why: string;
  if (quoted) why = `The value carries quotes (${raw}): it was taken from JSON output. Use the plain id (az … -o tsv).`;
  else if (byClient) {
    why = `${value} is the client (application) id of ${byClient.displayName}; role assignments take its object id, ${byClient.objectId}.`;
  } else if (value && !guidLike) {
    why = `'${value}' is not a principal id (a GUID): a name, a placeholder or a literal such as 'msi' was passed where the object id belongs.`;
  } else {
    why =
      'If the principal was created a moment ago, the directory has not replicated it yet: say what it is (principalType ' +
      'ServicePrincipal, or --assignee-principal-type ServicePrincipal), so ARM does not look it up. Otherwise ' +
      "the id names nothing in this tenant (deleted, another tenant's, or an app registration without a service " +
      'principal).';
  }
  const fixes: Fix[] = [];
  if (ctx.workload?.kind === 'arm' && ctx.workload.body) {
    const properties = (ctx.workload.body['properties'] ?? {}) as Record<string, unknown>;
    fixes.push({
      title: 'Create the role assignment again, saying the principal is a ServicePrincipal (no directory lookup)',
      action: {
        kind: 'rerun',
        workload: { ...ctx.workload, body: { ...ctx.workload.body, properties: { ...properties, principalType: 'ServicePrincipal' } } },
      },
      runnable: true,
    });
  } else if (byClient) {
    fixes.push({ title: `Use the object id ${byClient.objectId} of ${byClient.displayName}`, runnable: false });
  } else {
    fixes.push({
      title: 'Pass the object id with its type: --assignee-object-id <id> --assignee-principal-type ServicePrincipal',
      runnable: false,
    });
  }
  return {
    title: `The role assignment's principal ${value ? `'${value}' ` : ''}was not found in the directory`,
    explanation: why,
    evidence: s.evidence,
    fixes,
  };
}
