// `az ad group …` and `az ad group member …` against the lab's directory: Graph's shapes and
// errors, membership through nested groups, role assignments to groups, and groups in exports.
import * as assert from 'node:assert/strict';
import { az, azFails, azJson, emptyLab } from './helpers';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import { exportAzScript } from '../../../src/az/export';
import { replayAzScript } from '../../../src/az/replay';
import { isOrphaned } from '../../../src/engine/operations/roleAssignments';
import { asPrincipal } from '../../../src/engine/lab/authorization';
import { readableGroups, readableResources, visibleSubscriptions } from '../../../src/engine/lab/visibility';

describe('az ad group', () => {
  it('creates a security group as Graph returns it, and again returns the existing one (unless --force)', async () => {
    const lab = await createLab();
    const group = await azJson(lab, 'ad group create --display-name "KV Readers" --mail-nickname kv-readers --description "Read secrets"');
    assert.equal(group['@odata.context'], 'https://graph.microsoft.com/v1.0/$metadata#groups/$entity');
    assert.equal(group['securityEnabled'], true);
    assert.equal(group['mailEnabled'], false);
    assert.deepEqual(group['groupTypes'], []);
    assert.equal(group['description'], 'Read secrets');
    assert.match(String(group['securityIdentifier']), /^S-1-12-1-\d+-\d+-\d+-\d+$/);
    const again = await az(lab, 'ad group create --display-name "KV Readers" --mail-nickname kv-readers');
    assert.equal(again.exitCode, 0);
    assert.equal(JSON.parse(again.stdout).id, group['id']);
    assert.match(again.stderr, /^WARNING: A group with the same display name and mail nickname already exists, returning\.\n$/);
    await azJson(lab, 'ad group create --display-name "KV Readers" --mail-nickname kv-readers --force');
    assert.equal(lab.directory.groups.length, 2);
    const twice = await azFails(lab, 'ad group create --display-name "KV Readers" --mail-nickname kv-readers', 1);
    assert.match(
      twice.stderr,
      /^ERROR: There is more than one group with the same display and nick names: ".+, .+"\. Please delete them first\.\n$/,
    );
  });

  it("computes Graph's securityIdentifier from the object id", async () => {
    const lab = await createLab();
    await azJson(lab, 'ad group create --display-name ops --mail-nickname ops');
    // Graph's own example pairs 21d05557-b7b6-418f-86fa-a3118d751be4 with S-1-12-1-567301463-1099937718-295959174-3827004813.
    const { groupOutput } = await import('../../../src/az/commands/adGroup');
    const shaped = groupOutput({ ...lab.directory.groups[0]!, objectId: '21d05557-b7b6-418f-86fa-a3118d751be4' });
    assert.equal(shaped['securityIdentifier'], 'S-1-12-1-567301463-1099937718-295959174-3827004813');
  });

  it('finds a group by id, exact name or unique prefix, and says when it cannot', async () => {
    const lab = await createLab();
    const a = await azJson(lab, 'ad group create --display-name readers-east --mail-nickname re');
    await azJson(lab, 'ad group create --display-name readers-west --mail-nickname rw');
    assert.equal((await azJson(lab, `ad group show --group ${String(a['id'])}`))['displayName'], 'readers-east');
    assert.equal((await azJson(lab, 'ad group show -g readers-west'))['mailNickname'], 'rw');
    assert.equal((await azJson(lab, 'ad group show -g readers-e'))['displayName'], 'readers-east');
    assert.match((await azFails(lab, 'ad group show -g readers', 1)).stderr, /^ERROR: More than one group match the name of 'readers'\n$/);
    assert.match((await azFails(lab, 'ad group show -g nobody', 1)).stderr, /^ERROR: No group matches the name of 'nobody'\n$/);
    assert.match(
      (await azFails(lab, 'ad group show -g 00000000-0000-0000-0000-000000000009', 1)).stderr,
      /^ERROR: Resource '00000000-0000-0000-0000-000000000009' does not exist or one of its queried reference-property objects are not present\.\n$/,
    );
    assert.equal((await azJson<unknown[]>(lab, 'ad group list --display-name readers')).length, 2);
    assert.equal((await azJson<unknown[]>(lab, `ad group list --filter "displayName eq 'readers-west'"`)).length, 1);
  });

  it('adds, lists, checks (through nested groups) and removes members, with Graph’s errors', async () => {
    const lab = await createLab();
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    const principal = vm.identity!.systemAssigned!.principalId;
    await azJson(lab, 'ad group create --display-name inner --mail-nickname inner');
    const outer = await azJson(lab, 'ad group create --display-name outer --mail-nickname outer');
    const inner = lab.directory.groups.find(g => g.displayName === 'inner')!;
    assert.equal((await az(lab, `ad group member add -g inner --member-id ${principal}`)).exitCode, 0);
    assert.equal((await az(lab, `ad group member add -g outer --member-id ${inner.objectId}`)).exitCode, 0);
    assert.equal((await az(lab, `ad group member add -g inner --member-id ${lab.directory.user.objectId}`)).exitCode, 0);
    const members = await azJson<Array<Record<string, unknown>>>(lab, 'ad group member list -g inner');
    assert.deepEqual(
      members.map(m => m['@odata.type']),
      ['#microsoft.graph.servicePrincipal', '#microsoft.graph.user'],
    );
    assert.deepEqual(await azJson(lab, `ad group member check -g outer --member-id ${principal}`), { value: true });
    assert.match(
      (await azFails(lab, `ad group member add -g inner --member-id ${principal}`, 1)).stderr,
      /^ERROR: One or more added object references already exist for the following modified properties: 'members'\.\n$/,
    );
    assert.match(
      (await azFails(lab, `ad group member add -g inner --member-id ${String(outer['id'])}`, 1)).stderr,
      /cannot be a member of itself/,
    );
    assert.match(
      (await azFails(lab, 'ad group member add -g inner --member-id 00000000-0000-0000-0000-000000000009', 1)).stderr,
      /does not exist or one of its queried reference-property objects are not present/,
    );
    assert.equal((await az(lab, `ad group member remove -g inner --member-id ${principal}`)).exitCode, 0);
    assert.deepEqual(await azJson(lab, `ad group member check -g outer --member-id ${principal}`), { value: false });
    await azFails(lab, `ad group member remove -g inner --member-id ${principal}`, 1);
  });

  it('assigns roles to a group (by name), and a deleted group leaves its assignments orphaned', async () => {
    const lab = await createLab();
    const vault = lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
    await azJson(lab, 'ad group create --display-name kv-readers --mail-nickname kv-readers');
    const assignment = await azJson(
      lab,
      `role assignment create --assignee kv-readers --role "Key Vault Secrets User" --scope ${vault.id}`,
    );
    assert.equal(assignment['principalType'], 'Group');
    assert.equal((await az(lab, 'ad group delete -g kv-readers')).exitCode, 0);
    assert.equal(
      isOrphaned(
        lab,
        lab.assignments.all.find(a => a.principalType === 'Group')!,
      ),
      true,
    );
  });

  it('a role held through a group counts in lists, as the groups the caller carries say', async () => {
    const lab = await createLab();
    const identity = await azJson(lab, `identity create -g ${SAMPLE.resourceGroup} -n id-lister`);
    const principalId = String(identity['principalId']);
    const group = await azJson(lab, 'ad group create --display-name rg-readers --mail-nickname rg-readers');
    assert.equal((await az(lab, `ad group member add --group rg-readers --member-id ${principalId}`)).exitCode, 0);
    const rg = `/subscriptions/${lab.defaultSubscriptionId}/resourceGroups/${SAMPLE.resourceGroup}`;
    await azJson(lab, `role assignment create --assignee rg-readers --role Reader --scope ${rg}`);
    const sub = lab.defaultSubscriptionId;
    // Groups from the directory (no token): the membership counts.
    const member = asPrincipal(principalId);
    assert.deepEqual(
      readableGroups(lab, member, sub).map(g => g.name),
      [SAMPLE.resourceGroup],
    );
    assert.deepEqual(
      visibleSubscriptions(lab, member).map(s => s.subscriptionId),
      [sub],
    );
    assert.ok(readableResources(lab, member, { subscriptionId: sub }).some(r => r.name === SAMPLE.vault));
    // A token issued before the identity joined carries no groups: nothing to list.
    const before = asPrincipal(principalId, []);
    assert.deepEqual(readableGroups(lab, before, sub), []);
    assert.deepEqual(visibleSubscriptions(lab, before), []);
    // The token's groups claim, when it has one, is what counts.
    assert.ok(readableResources(lab, asPrincipal(principalId, [String(group['id'])]), { subscriptionId: sub }).length > 0);
  });

  it('exports groups with their members, and the script rebuilds them', async () => {
    const lab = await createLab();
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    const vault = lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
    await azJson(lab, 'ad group create --display-name "it\'s readers" --mail-nickname readers');
    await az(lab, `ad group member add -g "it's readers" --member-id ${vm.identity!.systemAssigned!.principalId}`);
    await azJson(
      lab,
      `role assignment create --assignee-object-id ${lab.directory.groups[0]!.objectId} --assignee-principal-type Group --role "Key Vault Secrets User" --scope ${vault.id}`,
    );
    const script = exportAzScript(lab);
    assert.ok(
      script.includes(`GROUP_IT_S_READERS=$(az ad group create --display-name "it's readers" --mail-nickname readers --query id -o tsv)`),
      script,
    );
    const fresh = await emptyLab();
    const replay = await replayAzScript(fresh, script);
    assert.ok(replay.ok, `${replay.failed?.line}\n${replay.failed?.result.stderr}`);
    const group = fresh.directory.groups[0]!;
    assert.equal(group.displayName, "it's readers");
    assert.equal(group.members.length, 1);
    assert.equal(fresh.assignments.all.filter(a => a.principalId === group.objectId).length, 1);
  });
});
