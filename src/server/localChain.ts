// "Your machine" as the lab sees it (`milab env --as local`): an app's DefaultAzureCredential
// probes IMDS (which the preload sends to the lab's absent-IMDS listener, where nobody answers)
// and then runs `az account get-access-token` (the lab's az on PATH, answered through the control
// endpoint). The lab joins what it sees of one chain — the probe, the az call — into one trace,
// timed, so the learner sees where the seconds went.
import type { Lab } from '../engine/lab/lab';
import { TraceBuilder } from '../engine/trace/builder';
import { momentOf, type Moment } from '../engine/base/clock';
import { fromBase64 } from '../engine/base/encoding';
import { isJsonObject } from '../engine/base/json';

/** How long after the probe gave up the lab waits for the chain's next attempt it can see (real time). */
const CHAIN_WINDOW_MS = 30_000;

interface OpenChain {
  builder: TraceBuilder;
  app: string;
  timer: NodeJS.Timeout;
}

export interface CliCall {
  argv: readonly string[];
  /** When the az process started (real time), as the lab's az reports it. */
  startedAt: Moment;
  endedAt: Moment;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** az's working directory: the SDKs run it in /bin. */
  cwd?: string;
}

/** The claims of the token az printed (never its signature), for the trace. */
function tokenClaims(stdout: string): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(stdout);
    const token = isJsonObject(body) ? body['accessToken'] : undefined;
    const bytes = typeof token === 'string' ? fromBase64(token.split('.')[1] ?? '') : undefined;
    const claims: unknown = bytes ? JSON.parse(new TextDecoder().decode(bytes)) : undefined;
    return isJsonObject(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

export class LocalChains {
  private open: OpenChain | undefined;

  constructor(private readonly lab: Lab) {}

  private start(title: string, startedAt: Moment): OpenChain {
    if (this.open) return this.open;
    const builder = new TraceBuilder(this.lab.clock, title, startedAt);
    builder.runsOnYourMachine();
    const app = builder.participant('app', 'App on your machine');
    const chain: OpenChain = { builder, app, timer: setTimeout(() => this.flush(), CHAIN_WINDOW_MS).unref() };
    this.open = chain;
    return chain;
  }

  /** A connection reached the absent IMDS (the managed-identity step). Returns what to call when the client gives up. */
  probe(): (ended: Moment, requestLine: string) => void {
    const started = momentOf(this.lab.clock);
    const chain = this.start('DefaultAzureCredential on your machine', started);
    return (ended, requestLine) => {
      const imds = chain.builder.participant('imds', 'IMDS 169.254.169.254 (none on your machine)');
      // The probe is a GET without query or Metadata header; a token request (no probe) has both.
      const isProbe = !requestLine.includes('?');
      chain.builder.add({
        from: chain.app,
        to: imds,
        kind: 'request',
        label: isProbe ? 'probe: GET /metadata/identity/oauth2/token (no Metadata header)' : 'token request (no probe first)',
        notes: [`request seen: ${requestLine.slice(0, 200) || '(nothing sent)'}`],
        at: started,
      });
      chain.builder.add({
        from: imds,
        to: chain.app,
        kind: 'response',
        failed: true,
        errorCode: 'NoResponse',
        label: `no answer: the SDK gave up after ${ended.real - started.real} ms`,
        notes: [
          isProbe
            ? "Your machine has no IMDS: the probe's 1 s timeout is what ManagedIdentityCredential costs here before the developer credentials get a turn."
            : 'Without a probe (ManagedIdentityCredential chosen alone) the request waits until the network gives up.',
          'AZURE_TOKEN_CREDENTIALS=dev (or AzureCliCredential) leaves this step out.',
        ],
        at: ended,
      });
      chain.builder.attempt('ManagedIdentityCredential', started, ended, 'unavailable');
      this.keepOpen(chain);
    };
  }

  /** The lab's az on PATH ran `az account get-access-token`: AzureCliCredential's attempt. */
  cli(call: CliCall): void {
    const fromSdk = call.cwd === '/bin' || call.cwd === '/usr/bin';
    const chain = this.start(
      fromSdk ? 'DefaultAzureCredential on your machine' : 'az account get-access-token on your machine',
      call.startedAt,
    );
    const { builder, app } = chain;
    const az = builder.participant('cli', "az (the lab's, on your PATH)");
    const entra = builder.participant('entra', 'Microsoft Entra ID');
    builder.add({
      from: app,
      to: az,
      kind: 'request',
      label: `az ${call.argv.join(' ').slice(0, 200)}`,
      notes: [fromSdk ? 'AzureCliCredential runs az in /bin, without a shell' : `run in ${call.cwd ?? 'an unknown directory'}`],
      at: call.startedAt,
    });
    const claims = call.exitCode === 0 ? tokenClaims(call.stdout) : undefined;
    if (claims) {
      builder.add({
        from: az,
        to: entra,
        kind: 'request',
        label: `token for ${this.lab.directory.user.userPrincipalName}`,
        at: call.endedAt,
      });
      builder.add({
        from: entra,
        to: az,
        kind: 'response',
        status: 200,
        label: `access token, aud=${String(claims['aud'])}`,
        token: { header: {}, claims },
        at: call.endedAt,
      });
    }
    builder.add({
      from: az,
      to: app,
      kind: 'response',
      failed: call.exitCode !== 0,
      ...(call.exitCode !== 0 ? { errorCode: `exit ${call.exitCode}` } : {}),
      label:
        call.exitCode === 0
          ? `exit 0: accessToken as ${this.lab.directory.user.userPrincipalName}`
          : call.stderr.trim().slice(0, 200) || `exit ${call.exitCode}`,
      notes: [`az took ${call.endedAt.real - call.startedAt.real} ms (from its start to its answer)`],
      at: call.endedAt,
    });
    builder.attempt('AzureCliCredential', call.startedAt, call.endedAt, call.exitCode === 0 ? 'answered' : 'unavailable');
    this.flush();
  }

  private keepOpen(chain: OpenChain): void {
    clearTimeout(chain.timer);
    chain.timer = setTimeout(() => this.flush(), CHAIN_WINDOW_MS).unref();
  }

  /** Records the chain seen so far. */
  flush(): void {
    const chain = this.open;
    if (!chain) return;
    this.open = undefined;
    clearTimeout(chain.timer);
    this.lab.traces.add(chain.builder.finish());
  }

  dispose(): void {
    this.flush();
  }
}
