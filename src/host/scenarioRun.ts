// Runs a scenario's workload plan over the lab's real endpoints, as its app would: the
// requests diagnosis knows (src/host/workload.ts), a burst of token requests with the app's
// own caching and retry settings, and a hard-coded IMDS request from a host without IMDS.
// Every request is traced by the endpoints, so a check's re-run is drawn in Token Flow.
import type { Lab } from '../engine/lab/lab';
import type { RunningLabServer } from '../server/labServer';
import type { PlannedRequest, WorkloadPlan } from '../engine/scenarios/plan';
import type { WorkloadRun, WorkloadStep } from '../engine/scenarios/types';
import { runWorkload, secretReadOutcome } from './workload';
import { readSecretAs, requestTokenAs } from './appClient';
import { holdWorkloadToken } from '../engine/operations/scenarioProgress';
import { KEY_VAULT_AUDIENCES } from '../engine/azure/audiences';

/** The longest a burst may take, waits included: a check never hangs. */
const BURST_DEADLINE_MS = 15_000;
const MAX_BURST = 200;

export async function runPlan(lab: Lab, server: RunningLabServer, plan: WorkloadPlan): Promise<WorkloadRun> {
  const run: WorkloadRun = { startedAt: lab.clock.now(), steps: [] };
  for (const step of plan.steps) {
    const result = await runRequest(lab, server, step.request);
    run.steps.push({ host: step.host, did: step.did, ...result });
    if (step.request.kind === 'heldTokenSecretRead' && refusedAsExpired(result)) {
      // Its token expired: the app is restarted, gets a new token and reads again (what the SDK does by itself).
      const restarted = await runRequest(lab, server, step.request);
      run.steps.push({
        host: step.host,
        did: `${step.host} restarted, with a new token, ${step.did.slice(step.host.length + 1)}`,
        ...restarted,
      });
    }
  }
  return run;
}

/** Key Vault's 401 for an expired token: `Unauthorized`, "[TokenExpired] Error validating token: 'S2S12086'." */
const refusedAsExpired = (r: { status: number; errorCode?: string | undefined; message?: string | undefined }) =>
  r.status === 401 && /\bTokenExpired\b/.test(`${r.errorCode ?? ''} ${r.message ?? ''}`);

/** Reads a secret with the token the app kept (asking for one, and keeping it, when it has none); an expired one is let go. */
async function heldTokenRead(lab: Lab, server: RunningLabServer, request: Extract<PlannedRequest, { kind: 'heldTokenSecretRead' }>) {
  const host = lab.arm.resource(request.hostId);
  if (!host) return { ok: false, status: 0, message: 'the host is gone' };
  let held = lab.scenarios.active?.heldTokens?.[host.name.toLowerCase()];
  if (!held) {
    const token = await requestTokenAs(lab, server, host, KEY_VAULT_AUDIENCES[0], request.identity);
    if (token.status !== 200) {
      const traceId = lab.traces.latest?.id;
      return { ok: false, status: token.status, errorCode: String(token.body['error'] ?? token.status), ...(traceId ? { traceId } : {}) };
    }
    held = String(token.body['access_token']);
    holdWorkloadToken(lab, host.name, held);
  }
  const result = await readSecretAs(lab, server, host, request.vault, request.secret, request.identity, undefined, held);
  if (refusedAsExpired(result)) holdWorkloadToken(lab, host.name, undefined);
  return secretReadOutcome(lab, result);
}

type StepResult = Omit<WorkloadStep, 'host' | 'did'>;

async function runRequest(lab: Lab, server: RunningLabServer, request: PlannedRequest): Promise<StepResult> {
  switch (request.kind) {
    case 'missing':
      return { ok: false, status: 0, message: request.reason };
    case 'workload': {
      const result = await runWorkload(lab, server, request.workload);
      return {
        ok: result.ok,
        status: result.status,
        ...(result.errorCode ? { errorCode: result.errorCode } : {}),
        ...(result.message ? { message: result.message } : {}),
        ...(result.traceId ? { traceId: result.traceId } : {}),
      };
    }
    case 'imdsRequest': {
      // The course's curl, unchanged: to the IMDS address (the lab's IMDS path for this host).
      const query = new URLSearchParams({ 'api-version': '2018-02-01', resource: request.resource });
      const response = await fetch(`${server.imdsAuthorityHost(request.hostId)}/metadata/identity/oauth2/token?${query}`, {
        headers: { Metadata: 'true' },
      });
      const text = await response.text();
      const traceId = lab.traces.latest?.id;
      return {
        ok: response.ok,
        status: response.status,
        ...(response.ok ? {} : { errorCode: errorCodeOf(text), message: text.slice(0, 300) }),
        ...(traceId ? { traceId } : {}),
        tokenRequests: 1,
      };
    }
    case 'tokenBurst':
      return runBurst(lab, server, request);
    case 'heldTokenSecretRead':
      return heldTokenRead(lab, server, request);
  }
}

function errorCodeOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : 'error';
  } catch {
    return 'error';
  }
}

/** `count` operations, `parallel` at a time, each needing a token: asked for each time, or once and kept (`cache`). */
async function runBurst(lab: Lab, server: RunningLabServer, burst: Extract<PlannedRequest, { kind: 'tokenBurst' }>): Promise<StepResult> {
  const host = lab.arm.resource(burst.hostId);
  if (!host) return { ok: false, status: 0, message: 'the host is gone' };
  const deadline = Date.now() + BURST_DEADLINE_MS;
  const count = Math.min(Math.max(burst.count, 1), MAX_BURST);
  let cached: Promise<boolean> | undefined;
  let requests = 0;
  let throttled = 0;
  let failed = 0;
  let lastStatus = 200;
  let failedTrace: string | undefined;
  const ask = async (): Promise<boolean> => {
    for (let attempt = 0; attempt < 4; attempt++) {
      requests++;
      const answer = await requestTokenAs(lab, server, host, burst.resource, burst.identity);
      if (answer.status === 200) return true;
      lastStatus = answer.status;
      failedTrace = lab.traces.latest?.id;
      if (answer.status !== 429) return false;
      throttled++;
      if (burst.retry === 'none') return false;
      if (Date.now() > deadline) return false;
      // IMDS guidance: back off exponentially on 429 (its window is one second).
      if (burst.retry === 'backoff') await new Promise(resolve => setTimeout(resolve, 1000 * 2 ** attempt));
    }
    return false;
  };
  const operation = async (): Promise<void> => {
    const ok = burst.cache ? await (cached ??= ask()) : await ask();
    if (!ok) failed++;
  };
  let next = 0;
  const lanes = Array.from({ length: Math.min(Math.max(burst.parallel, 1), 20) }, async () => {
    while (next < count) {
      next++;
      await operation();
    }
  });
  await Promise.all(lanes);
  const ok = failed === 0;
  return {
    ok,
    status: ok ? 200 : lastStatus,
    ...(ok
      ? {}
      : {
          errorCode: lastStatus === 429 ? 'TooManyRequests' : String(lastStatus),
          message: `${failed} of ${count} operations got no token`,
        }),
    ...(failedTrace && !ok ? { traceId: failedTrace } : { ...(lab.traces.latest ? { traceId: lab.traces.latest.id } : {}) }),
    tokenRequests: requests,
    throttled,
  };
}
