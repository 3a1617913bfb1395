// Bad input is answered the way az answers it — argparse usage errors with exit code 2, CLI
// and Azure errors with exit code 1 — and changes nothing.
import { mutable } from '../../../src/engine/lab/mutable';
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { az, azFails, azJson } from './helpers';

describe('az errors: usage, CLI and Azure errors, as az prints them', () => {
  it('usage errors exit 2 with argparse-style text', async () => {
    const lab = await createLab();
    const required = await azFails(lab, 'az vm identity assign', 2);
    assert.equal(required.stderr, 'ERROR: the following arguments are required: --resource-group/-g, --name/-n\n');
    assert.equal(
      (await azFails(lab, 'az group create', 2)).stderr,
      'ERROR: the following arguments are required: --name/--resource-group/-n/-g, --location/-l\n',
    );
    assert.equal((await azFails(lab, 'az group show -n rg-lab --colour blue', 2)).stderr, 'ERROR: unrecognized arguments: --colour blue\n');
    assert.equal((await azFails(lab, 'az group show -n rg-lab extra words', 2)).stderr, 'ERROR: unrecognized arguments: extra words\n');
    assert.equal(
      (await azFails(lab, 'az group show --name', 2)).stderr,
      'ERROR: argument --name/-n/--resource-group/-g: expected one argument\n',
    );
    assert.equal(
      (await azFails(lab, 'az group show -n rg-lab -o xml', 2)).stderr,
      "ERROR: az group show: 'xml' is not a valid value for '--output'. Allowed values: json, jsonc, yaml, yamlc, table, tsv, none.\n",
    );
    const misspelled = await azFails(lab, 'az vm idenity show -g rg-lab -n vm-web', 2);
    assert.equal(misspelled.stderr, "ERROR: 'idenity' is misspelled or not recognized by the system.\nDid you mean 'identity' ?\n");
    const query = await azFails(lab, 'az group list --query "[?name=="', 2);
    assert.match(query.stderr, /^ERROR: argument --query: invalid jmespath_type value: '\[\?name=='\nTo learn more about --query/);
  });

  it('accepts what argparse accepts: --opt=value, -ovalue, unique prefixes, any case of command words and choices', async () => {
    const lab = await createLab();
    assert.equal((await az(lab, 'az group show --name=rg-lab --query name -otsv')).stdout, 'rg-lab\n');
    assert.equal((await az(lab, 'az GROUP Show --resource-g rg-lab --query location --out TSV')).stdout, 'eastus\n');
    const prefix = await azFails(lab, 'az role assignment create --assign x --role Reader', 2);
    assert.equal(
      prefix.stderr,
      'ERROR: ambiguous option: --assign could match --assignee, --assignee-object-id, --assignee-principal-type\n',
    );
  });

  it('Azure errors print as azure-core formats them: (Code) Message, then Code: and Message: lines', async () => {
    const lab = await createLab();
    const missingGroup = await azFails(lab, 'az group show -n nope', 1);
    assert.equal(
      missingGroup.stderr,
      "ERROR: (ResourceGroupNotFound) Resource group 'nope' could not be found.\nCode: ResourceGroupNotFound\nMessage: Resource group 'nope' could not be found.\n",
    );
    const missingVm = await azFails(lab, 'az vm identity show -g rg-lab -n nope', 1);
    assert.match(
      missingVm.stderr,
      /^ERROR: \(ResourceNotFound\) The Resource 'Microsoft\.Compute\/virtualMachines\/nope' under resource group 'rg-lab' was not found\. For more details please go to https:\/\/aka\.ms\/ARMResourceNotFoundFix\nCode: ResourceNotFound\n/,
    );
    const badLocation = await azFails(lab, 'az group create -n other -l atlantis', 1);
    assert.match(badLocation.stderr, /^ERROR: \(InvalidArgument\) The provided location 'atlantis' is not available/);
  });

  it('CLI errors from az itself print as ERROR: message', async () => {
    const lab = await createLab();
    const sub = lab.defaultSubscriptionId;
    assert.equal(
      (await azFails(lab, `az role assignment create --assignee nobody --role Reader --scope /subscriptions/${sub}`, 1)).stderr,
      "ERROR: Cannot find user or service principal in graph database for 'nobody'. If the assignee is an appId, make sure the corresponding service principal is created with 'az ad sp create --id nobody'.\n",
    );
    assert.equal(
      (
        await azFails(
          lab,
          `az role assignment create --assignee learner@contosolab.onmicrosoft.com --role "Chief Wizard" --scope /subscriptions/${sub}`,
          1,
        )
      ).stderr,
      "ERROR: Role 'Chief Wizard' doesn't exist.\n",
    );
    assert.equal(
      (await azFails(lab, 'az role assignment delete --assignee learner@contosolab.onmicrosoft.com --role Reader', 1)).stderr,
      'ERROR: No matched assignments were found to delete\n',
    );
    assert.equal(
      (await azFails(lab, 'az role assignment create --role Reader', 1)).stderr,
      'WARNING: --scope argument will become required for creating a role assignment in the breaking change release of the fall of 2023. Please explicitly specify --scope.\nERROR: usage error: --assignee STRING | --assignee-object-id GUID\n',
    );
    assert.equal(
      (await azFails(lab, 'az group delete -n rg-lab', 1)).stderr,
      'ERROR: Unable to prompt for confirmation as no tty available. Use --yes.\n',
    );
    assert.equal(
      (
        await azFails(
          lab,
          `az role assignment create --assignee-object-id 8a1e9bbd-0dbd-4b6a-8c0f-1a2b3c4d5e6f --assignee-principal-type ServicePrincipal --role Reader -g rg-lab --scope /subscriptions/${sub}`,
          1,
        )
      ).stderr.split('\n')[0],
      'ERROR: Resource group "rg-lab" is redundant because scope is supplied',
    );
  });

  it("an unknown GUID as --assignee-object-id without a type is ARM's PrincipalNotFound", async () => {
    const lab = await createLab();
    const result = await azFails(
      lab,
      `az role assignment create --assignee-object-id 8a1e9bbd-0dbd-4b6a-8c0f-1a2b3c4d5e6f --role Reader --scope /subscriptions/${lab.defaultSubscriptionId}`,
      1,
    );
    assert.match(result.stderr, /^WARNING: RBAC service might reject creating role assignment without --assignee-principal-type/);
    assert.match(result.stderr, /ERROR: \(PrincipalNotFound\) Principal 8a1e9bbd0dbd4b6a8c0f1a2b3c4d5e6f does not exist in the directory/);
  });

  it('the learner is authorized like anyone else: without a role, ARM answers AuthorizationFailed', async () => {
    const lab = await createLab();
    const owner = lab.assignments.all.find(a => a.principalId === lab.directory.user.objectId)!;
    mutable(lab).assignments.remove(owner.name);
    lab.access.invalidate();
    const result = await azFails(lab, 'az group create -n blocked -l eastus', 1);
    assert.match(
      result.stderr,
      /^ERROR: \(AuthorizationFailed\) The client 'learner@contosolab\.onmicrosoft\.com' with object id '[0-9a-f-]{36}' does not have authorization to perform action 'Microsoft\.Resources\/subscriptions\/resourceGroups\/write'/,
    );
  });

  it("colours errors and warnings with the terminal's basic colours, without the level prefix (knack/log.py)", async () => {
    const lab = await createLab();
    const error = await az(lab, 'az group show -n nope', { color: true });
    assert.match(error.stderr, /^\x1b\[91m\(ResourceGroupNotFound\)[\s\S]*\x1b\[0m\n$/);
    const warning = await az(lab, 'az vm create -g rg-lab -n vm-two --image Ubuntu2204 --generate-ssh-keys --assign-identity', {
      color: true,
    });
    assert.match(warning.stderr, /^\x1b\[93mNo access was given yet/);
    const jsonc = await az(lab, 'az group show -n rg-lab -o jsonc', { color: true });
    assert.match(jsonc.stdout, /\x1b\[94m"name"\x1b\[39;49;00m: \x1b\[33m"rg-lab"\x1b\[39;49;00m/);
    assert.equal(
      (await az(lab, 'az group show -n rg-lab -o jsonc')).stdout,
      (await az(lab, 'az group show -n rg-lab')).stdout,
      'without colour jsonc is json',
    );
  });

  it('commands the lab does not simulate say so (exit 1), never a silent success', async () => {
    const lab = await createLab();
    for (const line of [
      'az login',
      'az vm start -g rg-lab -n vm-web',
      'az aks create -g rg-lab -n k8s',
      'az keyvault key create --vault-name kv-lab -n k1',
      'az storage blob list --account-name x -c y',
    ]) {
      const result = await azFails(lab, line, 1);
      assert.match(result.stderr, /does not simulate|simulates Microsoft Entra authorization/, line);
    }
  });

  it('--help and -h answer for every group and command (exit 0)', async () => {
    const lab = await createLab();
    const { COMMAND_TABLE } = await import('../../../src/az/commands');
    for (const group of COMMAND_TABLE.groups.keys()) {
      const result = await az(lab, `az ${group} --help`);
      assert.equal(result.exitCode, 0, group);
      assert.match(result.stdout, new RegExp(`^\\nGroup\\n    az${group ? ` ${group}` : ''}`), group);
    }
    for (const name of COMMAND_TABLE.commands.keys()) {
      const result = await az(lab, `az ${name} -h`);
      assert.equal(result.exitCode, 0, name);
      assert.match(result.stdout, new RegExp(`^\\nCommand\\n    az ${name} : `), name);
      assert.match(result.stdout, /\nGlobal Arguments\n/, name);
    }
  });

  it('a command that fails part-way leaves the lab exactly as it was', async () => {
    const lab = await createLab();
    const sub = lab.defaultSubscriptionId;
    // Each of these gets past some checks before failing on a later one.
    await azFails(
      lab,
      `az vm create -g rg-lab -n vm-new --image Ubuntu2204 --generate-ssh-keys --assign-identity --role "No Such Role" --scope /subscriptions/${sub}`,
      1,
    );
    await azFails(
      lab,
      'az vm create -g rg-lab -n vm-new --image Ubuntu2204 --generate-ssh-keys --assign-identity [system] ghost-identity',
      1,
    );
    await azFails(
      lab,
      `az vm identity assign -g rg-lab -n vm-web --identities [system] ghost --role Reader --scope /subscriptions/${sub}`,
      1,
    );
    await azFails(
      lab,
      `az vm create -g rg-lab -n vm-new --image Ubuntu2204 --generate-ssh-keys --assign-identity --role Reader --scope /subscriptions/${sub}/resourceGroups/missing`,
      1,
    );
    await azFails(lab, 'az vm identity remove -g rg-lab -n vm-web --identities [system] not-attached', 1);
    await azFails(lab, 'az webapp create -g rg-lab -n some-app -p no-plan', 1);
    await azFails(lab, 'az keyvault secret set --vault-name kv-lab -n s --value v', 1);
    await azFails(lab, 'az vm create -g rg-lab -n bad_name! --image Ubuntu2204 --generate-ssh-keys', 1);
    const deleted = await azJson(lab, 'az vm identity show -g rg-lab -n vm-web');
    assert.equal(deleted['type'], 'SystemAssigned', 'the identity is still on');
  });

  it('should a command still fail half-way, the lab is put back as it was (as an undoable step)', async () => {
    const lab = await createLab();
    const { COMMAND_TABLE } = await import('../../../src/az/commands');
    const { createOrUpdateResourceGroup } = await import('../../../src/engine/operations/resources');
    COMMAND_TABLE.commands.set('group half-way', {
      name: 'group half-way',
      summary: 'A command that changes the lab and then fails (test only).',
      mutates: true,
      options: [],
      run: ctx => {
        createOrUpdateResourceGroup(ctx.lab, ctx.caller, { name: 'left-behind', location: 'eastus' });
        throw new Error('boom');
      },
    });
    try {
      const result = await azFails(lab, 'az group half-way', 1);
      assert.equal(result.stderr, 'ERROR: The command failed with an unexpected error in the lab: boom\n');
      assert.equal(lab.arm.group(lab.defaultSubscriptionId, 'left-behind'), undefined);
      assert.equal(lab.undoLabels[0], "Roll back the failed 'az group half-way'");
    } finally {
      COMMAND_TABLE.commands.delete('group half-way');
    }
  });
});
