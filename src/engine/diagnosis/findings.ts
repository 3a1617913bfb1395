// From symptoms to ranked findings. Each symptom points at one category with a score: the most
// specific evidence wins (an AADSTS code or an endpoint's own body over an SDK's wrapper, a
// wrapper over a bare status), so a misleading wrapper ("the requested identity has not been
// assigned") loses to the body it wraps (AADSTS500011). One finding per category, best first.
import type { Category } from './categories';
import type { Evidence, Finding } from './model';
import type { Symptom } from './symptoms';
import type { DiagnosisContext, FindingDraft } from './context';
import { explainAudience, explainExpired, explainPrincipalNotFound, explainRbac, explainSql } from './explainAccess';
import { explainAssertionExpired, explainFederated, explainResourceNotFound, explainSecret } from './explainEntra';
import {
  explainBadRequest,
  explainChain,
  explainIdentityNotFound,
  explainMultiple,
  explainNotLoggedIn,
  explainThrottled,
  explainTransient,
  explainUnavailable,
} from './explainIdentity';
import { describePrincipal, principalInLab, resourceInLab, storageInLab, vaultInLab } from './bind';
import { resourceTypeOf } from '../azure/resourceTypes';

interface Candidate {
  category: Category;
  score: number;
  draft: () => FindingDraft;
}

const FEDERATED = new Set([70021, 700211, 700212, 700213, 7002137, 7002138]);

function candidate(s: Symptom, ctx: DiagnosisContext): Candidate | undefined {
  switch (s.kind) {
    case 'entra':
      if (s.code === 700024) {
        return { category: 'aadsts-client-assertion-expired', score: 0.95, draft: () => explainAssertionExpired(s, ctx) };
      }
      if (FEDERATED.has(s.code)) return { category: 'aadsts-no-federated-credential', score: 0.95, draft: () => explainFederated(s, ctx) };
      if (s.code === 7000215 || s.code === 7000222) {
        return { category: 'aadsts-invalid-client-secret', score: 0.95, draft: () => explainSecret(s, ctx) };
      }
      return {
        category: 'unknown',
        score: 0.3,
        draft: () => ({
          title: `Microsoft Entra ID refused the request: AADSTS${s.code}`,
          explanation:
            `AADSTS${s.code}${s.message ? `: ${s.message}` : ''}. This code is not one the lab diagnoses; look it ` +
            `up at https://login.microsoftonline.com/error?code=${s.code}.`,
          evidence: s.evidence,
          fixes: [],
        }),
      };
    case 'resourceNotFound':
      return { category: 'aadsts-resource-not-found', score: 0.93, draft: () => explainResourceNotFound(s, ctx) };
    case 'miMultiple':
      return { category: 'multiple-user-assigned-no-selection', score: 0.94, draft: () => explainMultiple(s, ctx) };
    case 'rbacDenied': {
      const category =
        s.service === 'keyvault' ? 'rbac-forbidden-keyvault' : s.service === 'storage' ? 'rbac-forbidden-storage' : 'rbac-forbidden-arm';
      return { category, score: s.strong ? 0.9 : 0.55, draft: () => explainRbac(s, ctx) };
    }
    case 'wrongAudience':
      return { category: 'wrong-audience', score: 0.9, draft: () => explainAudience(s, ctx) };
    case 'sqlLogin':
      return { category: 'sql-token-principal-login-failed', score: 0.88, draft: () => explainSql(s, ctx) };
    case 'principalNotFound':
      return { category: 'assignment-principal-not-found', score: 0.88, draft: () => explainPrincipalNotFound(s, ctx) };
    case 'miThrottled':
      return { category: 'imds-throttled', score: 0.85, draft: () => explainThrottled(s, ctx) };
    case 'tokenExpired':
      return { category: 'access-token-expired', score: 0.8, draft: () => explainExpired(s, ctx) };
    case 'miBadRequest':
      return { category: 'mi-endpoint-bad-request', score: 0.8, draft: () => explainBadRequest(s, ctx) };
    case 'chain':
      return {
        category: s.developerMachine ? 'local-dev-no-credential' : 'default-credential-chain-all-failed',
        score: 0.75,
        draft: () => explainChain(s, s.developerMachine),
      };
    case 'miIdentityNotFound':
      return { category: 'imds-identity-not-found', score: s.strong ? 0.72 : 0.5, draft: () => explainIdentityNotFound(s, ctx) };
    case 'notLoggedIn':
      return { category: 'local-dev-no-credential', score: 0.7, draft: () => explainNotLoggedIn(s) };
    case 'miUnavailable':
      return {
        category: 'mi-not-enabled-or-unavailable',
        score: s.how === 'noIdentity' ? 0.85 : 0.7,
        draft: () => explainUnavailable(s, ctx),
      };
    case 'miTransient':
      return { category: 'imds-transient-failure', score: 0.7, draft: () => explainTransient(s, ctx) };
    case 'notIdentity':
      return {
        category: 'unknown',
        score: 0.6,
        draft: () => ({ title: `Not an identity problem: ${s.what}`, explanation: s.explanation, evidence: s.evidence, fixes: [] }),
      };
    case 'tokenMissing':
      return undefined;
  }
}

/** What the text named that the lab has: evidence in the lab's words. */
function boundNames(ctx: DiagnosisContext): Evidence[] {
  const lab = ctx.lab;
  const names = ctx.names;
  if (!lab || !names) return [];
  const out: Evidence[] = [];
  for (const guid of names.guids.slice(0, 50)) {
    const principal = principalInLab(lab, { principalId: guid, clientId: guid });
    if (principal) {
      const label = principal.objectId.toLowerCase() === guid ? 'object id' : 'client id';
      out.push({ label, value: guid, inLab: principal.words });
    }
  }
  for (const id of names.resourceIds.slice(0, 20)) {
    const resource = resourceInLab(lab, id);
    if (resource) {
      out.push({
        label: 'resource id',
        value: id,
        inLab: `${resource.name} (${resourceTypeOf(resource.type, resource.kind)?.displayName ?? resource.type})`,
      });
    }
  }
  for (const name of names.vaults.slice(0, 10)) {
    const vault = vaultInLab(lab, name);
    if (vault) out.push({ label: 'vault', value: name, inLab: `${vault.name} (Key Vault)` });
  }
  for (const name of names.storageAccounts.slice(0, 10)) {
    const account = storageInLab(lab, name);
    if (account) out.push({ label: 'storage account', value: name, inLab: `${account.name} (Storage account)` });
  }
  return out;
}

const LOOKED_FOR =
  'AADSTS codes, HTTP statuses, Key Vault, Storage and ARM error bodies (ForbiddenByRbac, AuthorizationPermissionMismatch, ' +
  'AuthorizationFailed, AKV10022, InvalidAuthenticationTokenAudience), managed-identity endpoint answers ' +
  '(Identity not found, several user-assigned identities, 429, no endpoint), DefaultAzureCredential and ' +
  'ChainedTokenCredential chains, SQL login failures (18456) and role-assignment principal errors';

export function unknownFinding(ctx: DiagnosisContext, extra: Evidence[] = [], charactersRead = 0): Finding {
  return {
    category: 'unknown',
    title: 'No managed-identity, token or access problem recognised',
    explanation:
      `Looked for ${LOOKED_FOR}, and found none${charactersRead ? ` in ${charactersRead.toLocaleString('en-US')} characters` : ''}. ` +
      `Paste the whole error, including the service's response body if the tool printed it.`,
    evidence: extra,
    fixes: [],
    confidence: 0,
    source: ctx.trace ? 'trace' : 'text',
    ...(ctx.trace ? { traceId: ctx.trace.id } : {}),
  };
}

/** Ranked findings, one per category, best first; never empty. */
export function rankFindings(symptoms: readonly Symptom[], ctx: DiagnosisContext, charactersRead = 0): Finding[] {
  const best = new Map<Category, { candidate: Candidate; symptoms: Symptom[] }>();
  for (const s of symptoms) {
    const c = candidate(s, ctx);
    if (!c) continue;
    const seen = best.get(c.category);
    if (!seen) best.set(c.category, { candidate: c, symptoms: [s] });
    else {
      seen.symptoms.push(s);
      if (c.score > seen.candidate.score) seen.candidate = c;
    }
  }
  const ranked = [...best.values()].sort((a, b) => b.candidate.score - a.candidate.score);
  const source = ctx.trace ? 'trace' : 'text';
  const findings = ranked.map(({ candidate: c, symptoms: all }, index): Finding => {
    const draft = c.draft();
    const evidence = [...draft.evidence];
    for (const s of all) for (const e of s.evidence) if (!evidence.some(x => x.label === e.label && x.value === e.value)) evidence.push(e);
    if (index === 0) {
      for (const e of boundNames(ctx)) if (!evidence.some(x => x.value.toLowerCase() === e.value.toLowerCase())) evidence.push(e);
    }
    return {
      category: c.category,
      title: draft.title,
      explanation: draft.explanation,
      evidence: evidence.slice(0, 40),
      fixes: draft.fixes,
      confidence: c.score,
      source,
      ...(ctx.trace ? { traceId: ctx.trace.id } : {}),
    };
  });
  if (findings.length === 0) return [unknownFinding(ctx, boundNames(ctx), charactersRead)];
  return findings;
}

export { describePrincipal };
