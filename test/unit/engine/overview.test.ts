// The engine's views for people: identities with their assignments, deletion summaries,
// the role to recommend after a denial, and traces as the Token Flow view and exports get them.
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { createOrUpdateResource, previewDeletion } from '../../../src/engine/operations/resources';
import { assignUserIdentities, disableSystemAssigned } from '../../../src/engine/operations/identities';
import { createRoleAssignment } from '../../../src/engine/operations/roleAssignments';
import { listManagedIdentities, orphanedAssignments } from '../../../src/engine/readModels/overview/identities';
import { describeDeletion } from '../../../src/engine/readModels/overview/deletion';
import { lastDenial, recommendRole, roleChoices } from '../../../src/engine/readModels/overview/denials';
import { describeScope } from '../../../src/engine/readModels/overview/scopes';
import { presentTrace } from '../../../src/engine/readModels/traceDiagram/present';
import { traceToMarkdown } from '../../../src/engine/readModels/traceDiagram/markdown';
import { shortenArmIds, traceToMermaid } from '../../../src/engine/readModels/traceDiagram/mermaid';
import type { Trace } from '../../../src/engine/trace/model';
import { resourceGroupId } from '../../../src/engine/azure/resourceId';

const GET_SECRET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function sample(): Promise<{ lab: Lab; vm: string; vault: string; principal: string }> {
  const lab = await createLab();
  const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
  const vault = lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
  return { lab, vm: vm.id, vault: vault.id, principal: vm.identity!.systemAssigned!.principalId };
}

/** The Key Vault flow's last two messages as the endpoint records them: the request with its (redacted) bearer token and the 403. */
function deniedTrace(oid: string, vault: string, hostId?: string): Trace {
  const token = `${b64url({ alg: 'RS256' })}.${b64url({ oid, aud: 'https://vault.azure.net' })}.[signature redacted]`;
  const http = { method: 'GET', url: '/secrets/db-password', requestHeaders: { authorization: `Bearer ${token}` } };
  return {
    id: 't-denied',
    title: 'Key Vault kv-lab: GET secrets/db-password',
    startedAt: 0,
    durationMs: 3,
    outcome: 'failure',
    status: 403,
    errorCode: 'ForbiddenByRbac',
    participants: [
      { id: 'app', kind: 'app', label: 'App on vm-web' },
      { id: 'keyvault', kind: 'keyvault', label: 'Key Vault kv-lab' },
    ],
    messages: [
      {
        from: 'app',
        to: 'keyvault',
        kind: 'request',
        label: 'GET /secrets/db-password (with token)',
        failed: false,
        at: 0,
        labTime: 0,
        http,
      },
      {
        from: 'keyvault',
        to: 'app',
        kind: 'response',
        status: 403,
        errorCode: 'ForbiddenByRbac',
        label: 'Forbidden',
        failed: true,
        at: 2,
        labTime: 2,
        http: { ...http, status: 403 },
        authorization: {
          allowed: false,
          action: GET_SECRET,
          scope: `${vault}/secrets/db-password`,
          reasons: ['the principal has no role assignments'],
        },
      },
    ],
    ...(hostId ? { hostResourceId: hostId } : {}),
  };
}

describe('engine: overview for people', () => {
  it('lists system- and user-assigned identities with what they are attached to and their assignments; orphans apart', async () => {
    const { lab, vm, vault, principal } = await sample();
    const uami = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'identity', name: 'shared-id' });
    assignUserIdentities(lab, LAB_CALLER, vm, [uami.id]);
    createRoleAssignment(lab, LAB_CALLER, { scope: vault, role: 'Key Vault Secrets User', principalId: principal });
    createRoleAssignment(lab, LAB_CALLER, {
      scope: resourceGroupId(lab.defaultSubscriptionId, SAMPLE.resourceGroup),
      role: 'Reader',
      principalId: uami.managedIdentity!.principalId,
    });

    const identities = listManagedIdentities(lab);
    assert.deepEqual(
      identities.map(i => [i.kind, i.name]),
      [
        ['SystemAssigned', 'vm-web'],
        ['UserAssigned', 'shared-id'],
      ],
    );
    assert.deepEqual(
      identities[1]!.attachedTo.map(a => a.name),
      ['vm-web'],
    );
    assert.equal(identities[0]!.assignments[0]!.roleName, 'Key Vault Secrets User');
    assert.equal(identities[0]!.assignments[0]!.scope.text, 'kv-lab (Key Vault)');
    assert.equal(identities[0]!.assignments[0]!.scope.inheritedBelow, false);
    assert.equal(identities[1]!.assignments[0]!.scope.text, 'resource group rg-lab');
    assert.equal(identities[1]!.assignments[0]!.scope.inheritedBelow, true);
    assert.deepEqual(orphanedAssignments(lab), []);

    disableSystemAssigned(lab, LAB_CALLER, vm);
    const orphans = orphanedAssignments(lab);
    assert.equal(orphans.length, 1);
    assert.equal(orphans[0]!.principalId, principal.toLowerCase());
    assert.equal(orphans[0]!.assignments[0]!.roleName, 'Key Vault Secrets User');
    assert.deepEqual(
      listManagedIdentities(lab).map(i => i.name),
      ['shared-id'],
    );
  });

  it('says what a deletion does to identities and assignments before it happens', async () => {
    const { lab, vm, vault, principal } = await sample();
    createRoleAssignment(lab, LAB_CALLER, { scope: vault, role: 'Key Vault Secrets User', principalId: principal });
    const summary = describeDeletion(lab, vm, previewDeletion(lab, vm));
    assert.equal(summary.question, 'Delete vm-web (virtualMachines)?');
    const text = summary.consequences.join('\n');
    assert.match(text, new RegExp(`system-assigned identity of vm-web \\(principal \\(object\\) id ${principal}\\) is deleted`));
    assert.match(
      text,
      /1 role assignment of that identity stays behind as "Identity not found": Key Vault Secrets User on kv-lab \(Key Vault\)/,
    );

    const group = resourceGroupId(lab.defaultSubscriptionId, SAMPLE.resourceGroup);
    const groupSummary = describeDeletion(lab, group, previewDeletion(lab, group));
    assert.equal(groupSummary.question, 'Delete resource group rg-lab and everything in it?');
    assert.match(groupSummary.consequences.join('\n'), /2 resources go with it: (vm-web, kv-lab|kv-lab, vm-web)/);
    assert.match(groupSummary.consequences.join('\n'), /1 role assignment scoped to what is deleted is deleted with it/);
  });

  it('recommends the least-privileged role for what a principal was last denied, at the vault', async () => {
    const { lab, vm, vault, principal } = await sample();
    assert.equal(recommendRole(lab, principal), undefined, 'nothing denied yet');
    lab.traces.add(deniedTrace(principal, vault));
    assert.deepEqual(lastDenial(lab, principal), {
      principalId: principal,
      action: GET_SECRET,
      scope: `${vault}/secrets/db-password`,
      traceId: 't-denied',
      traceTitle: 'Key Vault kv-lab: GET secrets/db-password',
    });
    const recommendation = recommendRole(lab, principal)!;
    assert.equal(recommendation.role.roleName, 'Key Vault Secrets User');
    assert.equal(recommendation.scope, vault);
    const choices = roleChoices(lab, principal);
    assert.equal(choices.roles[0]!.roleName, 'Key Vault Secrets User');
    assert.equal(new Set(choices.roles.map(r => r.name)).size, choices.roles.length, 'each role once');
    assert.equal(lastDenial(lab, '00000000-0000-0000-0000-000000000000'), undefined, 'another principal was not denied');

    // Without a bearer token in the trace, the host's identities are who was denied.
    const other = await sample();
    const trace = deniedTrace('ignored', other.vault, other.vm);
    delete trace.messages[1]!.http;
    lab.traces.clear();
    other.lab.traces.add(trace);
    assert.equal(lastDenial(other.lab, other.principal)?.action, GET_SECRET);

    createRoleAssignment(lab, LAB_CALLER, { scope: vault, role: 'Key Vault Secrets User', principalId: principal });
    lab.traces.add(deniedTrace(principal, vault));
    assert.equal(recommendRole(lab, principal), undefined, 'no recommendation once the role grants it');
    void vm;
  });

  it('describes scopes in words', async () => {
    const { lab, vault } = await sample();
    assert.equal(describeScope(lab, vault).text, 'kv-lab (Key Vault)');
    assert.equal(describeScope(lab, `/subscriptions/${lab.defaultSubscriptionId}`).text, 'subscription Lab Subscription');
    assert.equal(describeScope(lab, `${vault}/secrets/s1`).text, 'kv-lab/s1 secrets');
  });
});

describe('engine: traces for the Token Flow view and exports', () => {
  it('sends the webview message details with participants named and every token signature redacted', async () => {
    const { lab, vault, principal } = await sample();
    const trace = deniedTrace(principal, vault);
    const leaked = `${b64url({ alg: 'RS256' })}.${b64url({ oid: principal })}.c2lnbmF0dXJlLWJ5dGVz`;
    trace.messages[0]!.http!.requestHeaders['x-forwarded-token'] = leaked;
    const view = presentTrace(trace, 'compact');
    assert.equal(view.messages[0]!.number, 1);
    assert.equal(view.messages[0]!.from, 'App on vm-web');
    assert.equal(view.messages[1]!.authorization!.allowed, false);
    assert.equal(view.detail, 'compact');
    const text = JSON.stringify(view);
    assert.ok(!text.includes('c2lnbmF0dXJlLWJ5dGVz'), 'the signature never leaves the engine');
    assert.ok(text.includes('.[signature redacted]'));
    void lab;
  });

  it('draws a recovered challenge as a step and the failure that ends the flow inside a highlighted break', () => {
    const trace: Trace = {
      id: 't',
      title: 'Key Vault',
      startedAt: 0,
      durationMs: 1,
      outcome: 'failure',
      participants: [
        { id: 'app', kind: 'app', label: 'App on end' },
        { id: 'kv', kind: 'keyvault', label: 'Key Vault <img src=x onerror=alert(1)>' },
      ],
      messages: [
        { from: 'app', to: 'kv', kind: 'request', label: 'GET /secrets/s', failed: false, at: 0, labTime: 0 },
        {
          from: 'kv',
          to: 'app',
          kind: 'response',
          status: 401,
          errorCode: 'AKV10000',
          label: 'challenge',
          failed: true,
          at: 1,
          labTime: 1,
          notes: ['challenge note'],
        },
        { from: 'app', to: 'kv', kind: 'request', label: 'GET /secrets/s (with token)', failed: false, at: 2, labTime: 2 },
        {
          from: 'kv',
          to: 'app',
          kind: 'response',
          status: 403,
          errorCode: 'ForbiddenByRbac',
          label: 'Forbidden',
          failed: true,
          at: 3,
          labTime: 3,
          authorization: {
            allowed: false,
            action: GET_SECRET,
            scope: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/secrets/s',
            reasons: [],
          },
        },
      ],
    };
    const full = traceToMermaid(trace);
    assert.match(full, /kv-->>-app: 401 AKV10000 challenge/, 'the challenge the app recovered from is an ordinary reply');
    assert.match(
      full,
      /rect rgba\(220, 38, 38, 0\.15\)\n {4}break failed#58; 403 ForbiddenByRbac\n {6}kv--x-app: 403 ForbiddenByRbac Forbidden/,
    );
    assert.match(
      full.replace(/<br\/>/g, ' '),
      /Note over kv,app: RBAC denied#58; Microsoft.KeyVault\/vaults\/secrets\/ ?getSecret\/action on #8230;\/vaults\/kv\/secrets\/s/,
    );
    assert.ok(full.includes('participant kv as Key Vault #60;img src=x<br/>onerror=alert(1)#62;'), full);
    assert.equal((full.match(/^\s*end$/gm) ?? []).length, 2, 'break and rect closed');
    const compact = traceToMermaid(trace, { detail: 'compact' });
    assert.doesNotMatch(compact, /Note over/);
    assert.match(compact, /break failed/);
  });

  it('shortens ARM ids in notes to the names that matter', () => {
    assert.equal(
      shortenArmIds(
        'at /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-lab/providers/Microsoft.KeyVault/vaults/kv-lab',
      ),
      'at …/vaults/kv-lab',
    );
    assert.equal(shortenArmIds('/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-lab'), 'resource group rg-lab');
  });

  it('exports Markdown in which a hostile name stays text', async () => {
    const { vault, principal } = await sample();
    const trace = deniedTrace(principal, vault);
    trace.title = 'Token for <img src=x onerror=alert(1)> | x';
    const md = traceToMarkdown(trace);
    assert.match(md, /^# Token for &#60;img src=x onerror=alert\(1\)&#62; &#124; x$/m);
    assert.doesNotMatch(md.replace(/```mermaid[\s\S]*?```/, ''), /<img/);
    assert.match(md, /```mermaid\nsequenceDiagram/);
    assert.match(md, /\| 2 \| Key Vault kv-lab \| App on vm-web \| Forbidden \| 403 ForbiddenByRbac \|/);
  });
});
