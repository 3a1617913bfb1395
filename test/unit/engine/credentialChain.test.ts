// The Credential Chain read model: each SDK language's order, what each credential finds where
// the app runs, how long it takes, which one answers, and what AZURE_TOKEN_CREDENTIALS and
// AZURE_CLIENT_ID change; the diagram escapes every name it draws.
import * as assert from 'node:assert/strict';
import { credentialChain } from '../../../src/engine/readModels/credentialChain/evaluate';
import { chainToMermaid, chainView } from '../../../src/engine/readModels/credentialChain/present';
import { chainEnvironmentOf, chainRequestForTrace } from '../../../src/engine/readModels/credentialChain/fromLab';
import { LANGUAGE_CHAINS } from '../../../src/engine/readModels/credentialChain/languages';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import type { Trace } from '../../../src/engine/trace/model';

const local = { kind: 'local', cli: 'lab', learner: 'learner@contosolab.onmicrosoft.com' } as const;

describe('engine: the Credential Chain', () => {
  it('on your machine (JS 4.x): the IMDS probe costs its 1 s, then AzureCliCredential answers as you', () => {
    const chain = credentialChain({ language: 'js', environment: local });
    const outcomes = chain.steps.map(s => `${s.credential}:${s.outcome}`);
    assert.deepEqual(outcomes, [
      'EnvironmentCredential:unavailable',
      'WorkloadIdentityCredential:skipped',
      'ManagedIdentityCredential:unavailable',
      'VisualStudioCodeCredential:unavailable',
      'AzureCliCredential:answers',
      'AzurePowerShellCredential:not reached',
      'AzureDeveloperCliCredential:not reached',
      'BrokerCredential:not reached',
    ]);
    const mi = chain.steps.find(s => s.credential === 'ManagedIdentityCredential')!;
    assert.equal(mi.ms, 1000);
    assert.equal(chain.answeredBy, 'AzureCliCredential');
    assert.ok(chain.totalMs >= 1000);
    assert.match(chain.notes.join('\n'), /AZURE_TOKEN_CREDENTIALS=dev/);
  });

  it('AZURE_TOKEN_CREDENTIALS=dev leaves the managed-identity step out, and the time drops', () => {
    const all = credentialChain({ language: 'js', environment: local });
    const dev = credentialChain({ language: 'js', environment: local, variables: { AZURE_TOKEN_CREDENTIALS: ' DEV ' } });
    assert.equal(dev.steps.find(s => s.credential === 'ManagedIdentityCredential')!.outcome, 'excluded');
    assert.equal(dev.answeredBy, 'AzureCliCredential');
    assert.ok(dev.totalMs < all.totalMs - 900, `${dev.totalMs} vs ${all.totalMs}`);
    const cli = credentialChain({ language: 'js', environment: local, variables: { AZURE_TOKEN_CREDENTIALS: 'azureclicredential' } });
    assert.deepEqual(
      cli.steps.filter(s => s.outcome !== 'excluded').map(s => s.credential),
      ['AzureCliCredential'],
    );
  });

  it('an unknown AZURE_TOKEN_CREDENTIALS makes the constructor throw, in the SDK’s words', () => {
    const chain = credentialChain({ language: 'js', environment: local, variables: { AZURE_TOKEN_CREDENTIALS: 'ManagedIdentity' } });
    assert.equal(
      chain.tokenCredentials.constructorError,
      "Invalid value for AZURE_TOKEN_CREDENTIALS = ManagedIdentity. Valid values are 'prod' or 'dev' or any of these credentials - EnvironmentCredential, WorkloadIdentityCredential, ManagedIdentityCredential, VisualStudioCodeCredential, AzureCliCredential, AzurePowerShellCredential, AzureDeveloperCliCredential.",
    );
    assert.equal(chain.answeredBy, undefined);
    assert.ok(chain.steps.every(s => s.outcome === 'excluded'));
  });

  it('on a VM: the managed identity answers; an AZURE_CLIENT_ID it does not have falls through and the chain fails', async () => {
    const lab = await createLab();
    const env = chainEnvironmentOf(lab, SAMPLE.vm);
    assert.ok(env.ok);
    const ok = credentialChain({ language: 'js', environment: env.environment });
    assert.equal(ok.answeredBy, 'ManagedIdentityCredential');
    assert.ok(ok.steps.filter(s => s.outcome === 'not reached').length >= 4);
    const wrong = credentialChain({
      language: 'js',
      environment: env.environment,
      variables: { AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001' },
    });
    assert.equal(wrong.answeredBy, undefined);
    assert.match(wrong.clientIdEffect!, /AZURE_CLIENT_ID=00000000-0000-0000-0000-000000000001/);
    const lines = wrong.failure!.split('\n');
    assert.equal(lines[0], 'ChainedTokenCredential authentication failed.');
    assert.match(lines[1]!, /^CredentialUnavailableError: EnvironmentCredential is unavailable/);
    assert.ok(
      lines.some(l => /Description: Identity not found/.test(l)),
      wrong.failure,
    );
    assert.ok(lines.some(l => /Azure CLI could not be found/.test(l)));
    assert.equal(lines.length, 7, 'as the live SDK prints it: no line for WorkloadIdentity or the broker');
  });

  it('Python and .NET: their own order and words', () => {
    assert.deepEqual(LANGUAGE_CHAINS.python.order.slice(3, 4), ['SharedTokenCacheCredential']);
    assert.deepEqual(LANGUAGE_CHAINS.dotnet.order.slice(3, 4), ['VisualStudioCredential']);
    const py = credentialChain({ language: 'python', environment: { kind: 'local', cli: 'none', learner: 'x' } });
    assert.equal(py.answeredBy, undefined);
    assert.match(
      py.failure!,
      /^DefaultAzureCredential failed to retrieve a token from the included credentials\.\nAttempted credentials:\n\tEnvironmentCredential: /,
    );
    assert.match(py.failure!, /\tAzureCliCredential: Azure CLI not found on path/);
    const net = credentialChain({ language: 'dotnet', environment: local });
    assert.equal(net.steps.find(s => s.credential === 'ManagedIdentityCredential')!.ms, 1000);
    assert.equal(net.answeredBy, 'AzureCliCredential');
  });

  it('uses what the lab measured when it saw the chain, and escapes every name in the diagram', async () => {
    const lab = await createLab();
    createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: SAMPLE.resourceGroup,
      type: 'vm',
      name: 'vm-a-b.c',
      identity: { systemAssigned: true },
    });
    const trace: Trace = {
      id: 't',
      title: 'DefaultAzureCredential on your machine',
      startedAt: Date.now(),
      durationMs: 1600,
      participants: [],
      messages: [],
      outcome: 'success',
      yourMachine: true,
      chainAttempts: [
        { credential: 'ManagedIdentityCredential', startedMs: 0, durationMs: 1003, outcome: 'unavailable' },
        { credential: 'AzureCliCredential', startedMs: 1010, durationMs: 580, outcome: 'answered' },
      ],
    };
    const request = chainRequestForTrace(lab, trace)!;
    const chain = credentialChain(request);
    const mi = chain.steps.find(s => s.credential === 'ManagedIdentityCredential')!;
    assert.equal(mi.ms, 1003);
    assert.equal(mi.measured, true);
    const mermaid = chainToMermaid(chain);
    assert.match(mermaid, /^sequenceDiagram\n/);
    for (const line of mermaid.split('\n')) {
      const label = line.includes(': ') ? line.slice(line.indexOf(': ') + 2) : '';
      assert.doesNotMatch(label.replace(/<br\/>/g, '').replace(/#\d+;/g, ''), /[<>;]/, `raw markup in a label: ${line}`);
    }
    const env = chainEnvironmentOf(lab, 'vm-a-b.c');
    assert.ok(env.ok);
    const view = chainView(
      credentialChain({ language: 'js', environment: env.environment, variables: { AZURE_TOKEN_CREDENTIALS: 'x;y-->>end' } }),
      'c1',
      Date.now(),
    );
    assert.equal(view.kind, 'chain');
    assert.match(view.mermaid, /x#59;y#45;#45;#62;#62;end/);
    for (const line of view.mermaid.split('\n').slice(1)) assert.doesNotMatch(line.replace(/#\d+;/g, ''), /;|x-->>end/, line);
  });
});
