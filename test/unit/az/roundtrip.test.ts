// Round trip: a lab exported as an az script and replayed into an empty lab is the same lab —
// resources, their identities and which identities are attached, custom roles, and role
// assignments by (whose, which role, where) — with only the ids Azure assigns differing.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { managedIdentityResourceId } from '../../../src/engine/state/directory';
import { roleGuidOf } from '../../../src/engine/state/roleDefinitions';
import { exportAzScript } from '../../../src/az/export';
import { logicalLines, replayAzScript } from '../../../src/az/replay';
import { az, emptyLab } from './helpers';

interface Normalized {
  groups: string[];
  resources: string[];
  customRoles: string[];
  assignments: string[];
}

function normalize(lab: Lab): Normalized {
  const sub = lab.defaultSubscriptionId;
  const portable = (id: string) => id.toLowerCase().split(sub.toLowerCase()).join('{sub}');
  const principalName = (principalId: string): string => {
    if (principalId.toLowerCase() === lab.directory.user.objectId.toLowerCase()) return 'the learner';
    const sp = lab.directory.byObject(principalId);
    if (!sp) return `deleted principal ${principalId}`;
    const resourceId = managedIdentityResourceId(sp);
    return resourceId ? `identity of ${portable(resourceId)}` : `service principal ${sp.displayName}`;
  };
  return {
    groups: lab.arm.groups.map(g => `${g.name}|${g.location}|${JSON.stringify(g.tags)}`).sort(),
    resources: lab.arm.resources
      .map(r => {
        const identity = r.identity;
        const kinds = [
          identity?.systemAssigned ? 'SystemAssigned' : '',
          ...(identity?.userAssigned ?? []).map(u => `UserAssigned:${portable(u.resourceId)}`).sort(),
        ].filter(Boolean);
        return `${portable(r.id)}|${r.type}|${r.kind ?? ''}|${r.location}|${JSON.stringify(r.tags)}|${kinds.join(',') || 'no identity'}`;
      })
      .sort(),
    customRoles: lab.roles.customRoles
      .map(r => `${r.roleName}|${JSON.stringify(r.permissions)}|${r.assignableScopes.map(portable).join(',')}`)
      .sort(),
    assignments: lab.assignments.all
      .map(a => `${principalName(a.principalId)}|${lab.roles.get(roleGuidOf(a.roleDefinitionId)!)?.roleName}|${portable(a.scope)}`)
      .sort(),
  };
}

async function must(lab: Lab, line: string): Promise<void> {
  const result = await az(lab, line);
  assert.equal(result.exitCode, 0, `${line}\n${result.stderr}`);
}

/** The sample lab grown into something worth exporting: every way an identity can be attached, grants at every scope. */
async function richLab(): Promise<Lab> {
  const lab = await createLab();
  const sub = lab.defaultSubscriptionId;
  await must(lab, 'az group create -n app-rg -l westeurope --tags env=test owner=lab');
  await must(lab, 'az identity create -g app-rg -n shared-id');
  await must(lab, 'az identity create -g rg-lab -n other-id --tags team=blue');
  await must(
    lab,
    'az vm create -g app-rg -n vm-both --image Ubuntu2204 --size Standard_B2s --generate-ssh-keys --assign-identity [system] shared-id --only-show-errors',
  );
  await must(
    lab,
    `az vm create -g app-rg -n vm-user --image Win2022Datacenter --admin-password Str0ng-Passw0rd --assign-identity /subscriptions/${sub}/resourceGroups/rg-lab/providers/Microsoft.ManagedIdentity/userAssignedIdentities/other-id shared-id`,
  );
  await must(lab, 'az vmss create -g app-rg -n scale-set --image Ubuntu2204 --generate-ssh-keys --assign-identity --only-show-errors');
  await must(lab, 'az appservice plan create -g app-rg -n plan --is-linux');
  await must(lab, 'az webapp create -g app-rg -n roundtrip-web -p plan --assign-identity [system] shared-id');
  await must(lab, 'az storage account create -g app-rg -n rtstore');
  await must(lab, 'az functionapp create -g app-rg -n roundtrip-func -s rtstore -c westeurope');
  await must(
    lab,
    `az functionapp identity assign -g app-rg -n roundtrip-func --identities /subscriptions/${sub}/resourceGroups/rg-lab/providers/Microsoft.ManagedIdentity/userAssignedIdentities/other-id`,
  );
  await must(lab, 'az keyvault create -g app-rg -n rt-vault --enable-rbac-authorization false');
  await must(
    lab,
    `az resource create -g app-rg -n rt-container-app --resource-type Microsoft.App/containerApps --is-full-object --properties '{"location": "westeurope", "identity": {"type": "SystemAssigned"}, "properties": {"configuration": {}}}'`,
  );
  await must(
    lab,
    'az role definition create --role-definition \'{"Name": "Secret Peeker", "Actions": [], "DataActions": ["Microsoft.KeyVault/vaults/secrets/getSecret/action"], "AssignableScopes": ["/subscriptions/' +
      sub +
      '"]}\'',
  );

  const principal = (name: string) => {
    const r = lab.arm.resources.find(x => x.name === name)!;
    return r.identity?.systemAssigned?.principalId ?? r.managedIdentity!.principalId;
  };
  const vault = lab.arm.resources.find(r => r.name === 'rt-vault')!.id;
  const kvLab = lab.arm.resources.find(r => r.name === 'kv-lab')!.id;
  await must(
    lab,
    `az role assignment create --assignee-object-id ${principal('vm-both')} --assignee-principal-type ServicePrincipal --role Reader --scope /subscriptions/${sub}`,
  );
  await must(
    lab,
    `az role assignment create --assignee-object-id ${principal('shared-id')} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope ${vault}`,
  );
  await must(
    lab,
    `az role assignment create --assignee ${lab.arm.resources.find(r => r.name === 'other-id')!.managedIdentity!.clientId} --role "Storage Blob Data Reader" -g app-rg`,
  );
  await must(
    lab,
    `az role assignment create --assignee-object-id ${principal('roundtrip-web')} --assignee-principal-type ServicePrincipal --role "Secret Peeker" --scope ${kvLab}/secrets/db-password`,
  );
  await must(
    lab,
    `az role assignment create --assignee-object-id ${principal('vm-web')} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope ${kvLab}`,
  );
  await must(
    lab,
    `az role assignment create --assignee-object-id ${principal('rt-container-app')} --assignee-principal-type ServicePrincipal --role Contributor -g app-rg`,
  );
  await must(
    lab,
    `az role assignment create --assignee learner@contosolab.onmicrosoft.com --role "Key Vault Administrator" --scope ${vault}`,
  );
  // An orphan: vm-web's identity is turned off after it was granted a role; the grant stays behind.
  await must(lab, 'az vm identity remove -g rg-lab -n vm-web');
  // A resource type that has no az command group of its own, with a user-assigned identity.
  createOrUpdateResource(lab, LAB_CALLER, {
    resourceGroup: 'app-rg',
    type: 'logicapp',
    name: 'rt-logic',
    identity: { userAssigned: [lab.arm.resources.find(r => r.name === 'shared-id')!.id] },
  });
  return lab;
}

describe('az export and replay: the lab as a script that rebuilds it', function () {
  this.timeout(120_000);

  it('rebuilds the same lab in an empty subscription', async () => {
    const original = await richLab();
    const script = exportAzScript(original);
    assert.doesNotMatch(script, new RegExp(original.defaultSubscriptionId), 'no subscription id is written down');
    assert.doesNotMatch(script, /P@ssw0rd-from-the-lab/, 'no secret value is written down');
    const fresh = await emptyLab();
    const replay = await replayAzScript(fresh, script);
    assert.ok(replay.ok, `the script stopped at: ${replay.failed?.line}\n${replay.failed?.result.stderr}`);
    const before = normalize(original);
    const after = normalize(fresh);
    assert.deepEqual(after, before);
    // The comparison looks at what matters: identities are attached, roles granted at several scopes.
    assert.ok(before.resources.some(r => r.includes('vm-both') && r.includes('SystemAssigned,UserAssigned:')));
    assert.ok(
      before.assignments.some(a => a.startsWith('deleted principal ')),
      'an orphaned grant is carried over',
    );
    assert.ok(before.assignments.some(a => a.includes('|Secret Peeker|') && a.endsWith('/secrets/db-password')));
    assert.equal(
      new Set(before.assignments.map(a => a.split('|')[2]!.split('/').length)).size >= 4,
      true,
      'grants at subscription, group, resource and child scopes',
    );
  });

  it('the comparison notices when any line of the script is left out', async () => {
    const original = await richLab();
    const script = exportAzScript(original);
    const lines = logicalLines(script).filter(l => !/^(set |SUBSCRIPTION=|LEARNER=)/.test(l));
    const expected = normalize(original);
    let checked = 0;
    for (const dropped of lines) {
      if (dropped.includes('--assignee-object-id "$LEARNER" --assignee-principal-type User --role Owner')) continue; // the empty lab's owner already has it
      const fresh = await emptyLab();
      const replay = await replayAzScript(fresh, script.replace(`${dropped}\n`, ''));
      assert.ok(
        !replay.ok || JSON.stringify(normalize(fresh)) !== JSON.stringify(expected),
        `leaving out this line went unnoticed:\n${dropped}`,
      );
      checked++;
    }
    assert.ok(checked >= 20, `checked ${checked} lines`);
  });
});
