// The diagnosis engine on crafted inputs: noise it must see through, the credential chains of each
// SDK (verbatim from the research notes), binding to a lab (the lab's names and ids, runnable
// fixes), placeholders where the text gave nothing, and the unknown finding.
import * as assert from 'node:assert/strict';
import { diagnoseText } from '../../../src/engine/diagnosis/diagnose';
import { normalizeText } from '../../../src/engine/diagnosis/normalize';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { diagnosisJson } from '../../../src/az/diagnosisReport';
import type { Lab } from '../../../src/engine/lab/lab';

const kv403 = (oid: string, appid: string, scope: string, vault: string) =>
  `{"error":{"code":"Forbidden","message":"Caller is not authorized to perform action on resource.\\r\\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\\r\\nCaller: appid=${appid};oid=${oid};iss=https://sts.windows.net/t/\\r\\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\\r\\nResource: '${scope.toLowerCase()}'\\r\\nAssignment: (not found)\\r\\nDenyAssignmentId: null\\r\\nDecisionReason: 'DeniedWithNoValidRBAC' \\r\\nVault: ${vault};location=eastus\\r\\n","innererror":{"code":"ForbiddenByRbac"}}}`;

describe('diagnosis: reading noisy texts', () => {
  it('strips ANSI colours, CRLF, Terraform boxes, escaped \\r\\n and quotes, HTML entities and Markdown auto-links', () => {
    const n = normalizeText(
      '\x1b[31m│ Error:\x1b[0m a\r\n│ b \\"q\\" \\r\\nc &amp;amp;#39;x&amp;#39; **bold** AADSTS700[21](https://github.com/x)1',
    );
    assert.equal(n.flat, ' Error: a b "q" c \'x\' bold AADSTS700211');
    assert.equal(n.lower.length, n.flat.length, 'offsets line up');
  });

  it('reads a code split by a GitHub auto-link, and a Terraform box that wraps the message across lines', () => {
    const tf =
      "╷\n│ Error: invalid_client\n│ AADSTS700213: No matching federated identity record found for presented\n│ assertion subject 'repo:o/r:pull_request'. Please note\n│ that the matching is done using a case-sensitive comparison.\n╵";
    const f = diagnoseText(tf).findings[0]!;
    assert.equal(f.category, 'aadsts-no-federated-credential');
    assert.match(f.explanation, /Presented subject: repo:o\/r:pull_request\./);
    assert.equal(
      diagnoseText('Error: : AADSTS700[21](https://github.com/******)1: No matching federated identity record').findings[0]!.category,
      'aadsts-no-federated-credential',
    );
  });

  it('lets the body win over a misleading wrapper (AADSTS500011 inside "identity has not been assigned")', () => {
    const text =
      'ManagedIdentityCredential authentication unavailable. The requested identity has not been assigned to this resource.\nStatus: 400 (Bad Request)\nContent:\n{"error":"invalid_resource","error_description":"AADSTS500011: The resource principal named https://managements.azure.com was not found in the tenant named Contoso."}';
    const [best, second] = diagnoseText(text).findings;
    assert.equal(best!.category, 'aadsts-resource-not-found');
    assert.match(best!.explanation, /most likely meant https:\/\/management\.azure\.com\//);
    assert.equal(second!.category, 'imds-identity-not-found', 'the wrapper is the second guess');
  });
});

describe('diagnosis: credential chains, per SDK', () => {
  // Verbatim shapes from /work/research/time-and-chain.md §7.
  const js = `AggregateAuthenticationError: ChainedTokenCredential authentication failed.
CredentialUnavailableError: EnvironmentCredential is unavailable. No underlying credential could be used. To troubleshoot, visit https://aka.ms/azsdk/js/identity/environmentcredential/troubleshoot.
CredentialUnavailableError: ManagedIdentityCredential: Authentication failed. Message Attempted to use the IMDS endpoint, but it is not available.
CredentialUnavailableError: Visual Studio Code Authentication is not available. Ensure you have have Azure Resources Extension installed in VS Code.
CredentialUnavailableError: Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions and then, once installed, authenticate to your Azure account using 'az login'.
CredentialUnavailableError: Error: Unable to execute PowerShell. Ensure that it is installed in your system.
CredentialUnavailableError: Azure Developer CLI couldn't be found.`;
  const python = `DefaultAzureCredential failed to retrieve a token from the included credentials.
Attempted credentials:
\tEnvironmentCredential: EnvironmentCredential authentication unavailable. Environment variables are not fully configured.
\tManagedIdentityCredential: ManagedIdentityCredential authentication unavailable, no response from the IMDS endpoint.
\tSharedTokenCacheCredential: SharedTokenCacheCredential authentication unavailable. No accounts were found in the cache.
\tAzureCliCredential: Azure CLI not found on path
\tAzurePowerShellCredential: PowerShell is not installed`;
  const dotnet = `DefaultAzureCredential failed to retrieve a token from the included credentials. See the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/defaultazurecredential/troubleshoot
- EnvironmentCredential authentication unavailable. Environment variables are not fully configured.
- WorkloadIdentityCredential authentication unavailable. The workload options are not fully configured.
- ManagedIdentityCredential authentication unavailable. No response received from the managed identity endpoint.
- AzureCliCredential authentication failed: Azure CLI not installed
- AzurePowerShellCredential authentication failed: Az.Accounts module >= 2.2.0 is not installed.`;

  for (const [language, text, count] of [
    ['JavaScript 4.x', js, 6],
    ['Python', python, 5],
    ['.NET', dotnet, 5],
  ] as const) {
    it(`${language}: names every credential and how it failed; outside a developer machine it is default-credential-chain-all-failed`, () => {
      const f = diagnoseText(text).findings[0]!;
      assert.equal(f.category, 'default-credential-chain-all-failed');
      const credentials = f.evidence.filter(e => e.label === 'credential');
      assert.equal(credentials.length, count, credentials.map(e => e.value).join('; '));
      assert.ok(credentials.some(e => /^ManagedIdentityCredential: no managed-identity endpoint answered$/.test(e.value)));
    });
  }

  it('the same chain on a developer machine (a signed-out az, a debugger) is local-dev-no-credential', () => {
    const signedOut = python.replace('Azure CLI not found on path', "Please run 'az login' to set up an account");
    assert.equal(diagnoseText(signedOut).findings[0]!.category, 'local-dev-no-credential');
    const debuggerText = `An exception of type 'Azure.Identity.CredentialUnavailableException' occurred in System.Private.CoreLib.dll but was not handled in user code: '${dotnet}'`;
    const f = diagnoseText(debuggerText).findings[0]!;
    assert.equal(f.category, 'local-dev-no-credential');
    assert.ok(f.fixes.some(x => /az login/.test(x.title)));
  });
});

describe('diagnosis: bound to a lab', () => {
  let lab: Lab;
  before(async () => {
    lab = await createLab();
  });

  it("speaks the lab's words and offers a runnable fix with the lab's ids for a Key Vault 403 that names them", () => {
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    const vault = lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
    const { principalId, clientId } = vm.identity!.systemAssigned!;
    const d = diagnoseText(kv403(principalId, clientId, `${vault.id}/secrets/${SAMPLE.secret}`, vault.name), { lab });
    const f = d.findings[0]!;
    assert.equal(f.category, 'rbac-forbidden-keyvault');
    assert.equal(f.title, "vm-web's system-assigned identity may not getSecret on kv-lab (Key Vault 403)");
    assert.match(
      f.explanation,
      /vm-web's system-assigned identity \(object id [0-9a-f-]{36}\) may not getSecret at kv-lab\/db-password\. It has no role assignments at all\./,
    );
    assert.match(f.explanation, /'Key Vault Secrets User' at kv-lab would grant getSecret/);
    assert.ok(f.evidence.some(e => e.value === principalId && e.inLab === "vm-web's system-assigned identity"));
    const [fix] = f.fixes;
    assert.equal(fix!.runnable, true);
    assert.deepEqual(fix!.action, {
      kind: 'createRoleAssignment',
      principalId,
      principalType: 'ServicePrincipal',
      role: 'Key Vault Secrets User',
      scope: vault.id,
    });
    const json = diagnosisJson(d, lab);
    assert.equal(
      json.findings[0]!.fixes[0]!.az,
      `az role assignment create --assignee-object-id ${principalId} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope ${vault.id}`,
    );
  });

  it('names the least-privileged role for an action and scope the lab does not have, with placeholders only where the text gave nothing', () => {
    const text = `{"code": "AuthorizationFailed", "message": "The client '<client-id>' with object id '<object-id>' does not have authorization to perform action 'Microsoft.Web/sites/read' over scope '/subscriptions/aa958f19-5397-4638-9815-3eec0a9e9f6f/resourceGroups/web/providers/Microsoft.Web/sites/shop' or the scope is invalid."}`;
    const f = diagnoseText(text, { lab }).findings[0]!;
    assert.equal(f.category, 'rbac-forbidden-arm');
    const action = f.fixes[0]!.action;
    assert.deepEqual(action, {
      kind: 'createRoleAssignment',
      principalId: '<principal-object-id>',
      principalType: 'ServicePrincipal',
      role: 'Reader',
      scope: '/subscriptions/aa958f19-5397-4638-9815-3eec0a9e9f6f/resourceGroups/web/providers/Microsoft.Web/sites/shop',
    });
    assert.equal(f.fixes[0]!.runnable, false, 'a placeholder is shown, not run');
  });

  it('finds the host of a "Multiple user assigned identities" answer in the lab and offers to name one', () => {
    const a = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'identity', name: 'id-a' });
    const b = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'identity', name: 'id-b' });
    createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: SAMPLE.resourceGroup,
      type: 'vm',
      name: 'vm-two',
      identity: { userAssigned: [a.id, b.id] },
    });
    const f = diagnoseText(
      '{"error":"invalid_request","error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}',
      { lab },
    ).findings[0]!;
    assert.equal(f.category, 'multiple-user-assigned-no-selection');
    assert.equal(f.title, 'vm-two has 2 user-assigned identities and the request named none');
    const rerun = f.fixes[0]!;
    assert.equal(rerun.runnable, true);
    assert.equal(rerun.action?.kind, 'rerun');
  });
});

describe('diagnosis: nothing recognised', () => {
  it('answers one unknown finding that says what was looked for', () => {
    const d = diagnoseText('Hello world, the build passed.');
    assert.equal(d.findings.length, 1);
    assert.equal(d.findings[0]!.category, 'unknown');
    assert.match(d.findings[0]!.explanation, /^Looked for AADSTS codes, HTTP statuses/);
  });

  it('says what a non-identity failure is (a disabled secret is not an access problem)', () => {
    const f = diagnoseText(
      'Status=403 Code="Forbidden" Message="Operation get is not allowed on a disabled secret." InnerError={"code":"SecretDisabled"} keyvault.BaseClient#GetSecret',
    ).findings[0]!;
    assert.equal(f.category, 'unknown');
    assert.match(f.title, /^Not an identity problem: Key Vault: the secret is disabled/);
  });
});
