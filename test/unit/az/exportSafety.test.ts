// An exported script is safe to run: values planted in lab data (an image `x;touch PWNED`, a
// role named `$(touch …)`, hostile tags, sizes, SKUs, locations) reach `az` exactly as they are
// and run nothing. The script runs in a real bash with a stub `az` on PATH that records every
// argument it gets; the lab's own replayer rebuilds the same lab from the same script.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Lab } from '../../../src/engine/lab/lab';
import { runAz } from '../../../src/az';
import { exportAzScript } from '../../../src/az/export';
import { replayAzScript } from '../../../src/az/replay';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../../../src/engine/operations/resources';
import { createCustomRole } from '../../../src/engine/operations/roleAssignments';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { emptyLab } from './helpers';
import { hostileValue, plantedCommands, prng } from '../../support/hostileValues';

const STUB_SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';

/** Runs the script with a stub `az` that records each call's arguments (NUL-separated, one file per call). */
function runWithStubAz(script: string): { calls: string[][]; dir: string; status: number | null; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-export-run-'));
  const bin = path.join(dir, 'bin');
  const calls = path.join(dir, 'calls');
  fs.mkdirSync(bin);
  fs.mkdirSync(calls);
  fs.writeFileSync(
    path.join(bin, 'az'),
    [
      '#!/bin/bash',
      'n=$(( $(cat "$CALLS/count" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$CALLS/count"',
      `printf '%s\\0' "$@" > "$CALLS/$(printf '%06d' "$n")"`,
      `case " $* " in *" --query "*) echo ${STUB_SUBSCRIPTION} ;; esac`,
    ].join('\n') + '\n',
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(dir, 'rebuild.sh'), script);
  // Files an unquoted glob would match.
  for (const name of ['a', 's', 'x']) fs.writeFileSync(path.join(dir, name), '');
  const result = spawnSync('bash', ['rebuild.sh'], {
    cwd: dir,
    env: { PATH: `${bin}:/usr/bin:/bin`, CALLS: calls, HOME: dir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const files = fs
    .readdirSync(calls)
    .filter(f => /^\d+$/.test(f))
    .sort();
  return {
    calls: files.map(f => fs.readFileSync(path.join(calls, f), 'utf8').split('\0').slice(0, -1)),
    dir,
    status: result.status,
    stderr: result.stderr,
  };
}

const valueAfter = (call: readonly string[], option: string): string | undefined => call[call.indexOf(option) + 1];
const valuesAfter = (call: readonly string[], option: string): string[] => {
  const at = call.indexOf(option);
  if (at === -1) return [];
  const end = call.findIndex((w, i) => i > at && w.startsWith('--') && /^--[a-z-]+$/.test(w));
  return call.slice(at + 1, end === -1 ? undefined : end);
};

async function must(lab: Lab, argv: string[]): Promise<void> {
  const result = await runAz(lab, argv);
  assert.equal(result.exitCode, 0, `${argv.join(' ')}\n${result.stderr}`);
}

describe('az export: a script safe to run, whatever the lab holds', function () {
  this.timeout(120_000);

  it('passes planted values to az as data: image, size, SKU, location, role name, tags (the review’s reproductions)', async () => {
    const lab = await createLab();
    const marker = (n: number) => `PWNED${n}`;
    const image = `Canonical:x;touch ${marker(1)};#:server:latest`;
    await must(lab, [
      'vm',
      'create',
      '-g',
      'rg-lab',
      '-n',
      'vm-i1',
      '--image',
      image,
      '--generate-ssh-keys',
      '--tags',
      `note=$(touch ${marker(2)})`,
    ]);
    const role = `Reader $(touch ${marker(4)})`;
    await must(lab, [
      'role',
      'definition',
      'create',
      '--role-definition',
      JSON.stringify({
        Name: role,
        Description: '`touch PWNED5` and $SUBSCRIPTION and a "quote" and it\'s!',
        Actions: ['Microsoft.Resources/subscriptions/resourceGroups/read'],
        AssignableScopes: [`/subscriptions/${lab.defaultSubscriptionId}`],
      }),
    ]);
    // Values the az surface would not take, written straight into the lab (as an ARM PUT or a hand-edited file could).
    createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: 'rg-lab',
      type: 'vm',
      name: 'vm-i2',
      properties: {
        hardwareProfile: { vmSize: `Standard_B1s;touch ${marker(3)}` },
        storageProfile: { imageReference: { publisher: 'a', offer: 'b', sku: '$(touch PWNED6)', version: '`touch PWNED7`' } },
        osProfile: { adminUsername: "o'; touch PWNED8; '" },
      },
    });
    createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: 'rg-lab',
      type: 'appserviceplan',
      name: 'plan-i3',
      properties: { sku: { name: 'B1 $(touch PWNED9)' } },
    });
    createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: 'rg-lab',
      type: 'storage',
      name: 'stori4',
      properties: { sku: { name: '-$(id)' } },
    });
    createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: 'rg-lab',
      type: 'functionapp',
      name: 'fn-i5',
      properties: { storageAccount: 'stori4', consumptionPlanLocation: 'westeurope;touch PWNED10' },
    });

    const script = exportAzScript(lab);
    const run = runWithStubAz(script);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      fs.readdirSync(run.dir).filter(f => f.startsWith('PWNED')),
      [],
      'a planted command ran',
    );
    const vm1 = run.calls.find(c => c[1] === 'create' && valueAfter(c, '--name') === 'vm-i1')!;
    assert.equal(valueAfter(vm1, '--image'), image);
    assert.deepEqual(valuesAfter(vm1, '--tags'), [`note=$(touch ${marker(2)})`]);
    const vm2 = run.calls.find(c => c[1] === 'create' && valueAfter(c, '--name') === 'vm-i2')!;
    assert.equal(valueAfter(vm2, '--size'), `Standard_B1s;touch ${marker(3)}`);
    assert.equal(valueAfter(vm2, '--image'), 'a:b:$(touch PWNED6):`touch PWNED7`');
    assert.equal(valueAfter(vm2, '--admin-username'), "o'; touch PWNED8; '");
    assert.equal(
      valueAfter(
        run.calls.find(c => valueAfter(c, '--name') === 'plan-i3')!,
        '--sku',
      ),
      'B1 $(touch PWNED9)',
    );
    assert.equal(
      valueAfter(
        run.calls.find(c => valueAfter(c, '--name') === 'stori4')!,
        '--sku',
      ),
      '-$(id)',
    );
    assert.equal(
      valueAfter(
        run.calls.find(c => valueAfter(c, '--name') === 'fn-i5')!,
        '--consumption-plan-location',
      ),
      'westeurope;touch PWNED10',
    );
    const definition = JSON.parse(
      valueAfter(
        run.calls.find(c => c[1] === 'definition')!,
        '--role-definition',
      )!,
    );
    assert.equal(definition.Name, role);
    assert.equal(
      definition.Description,
      '`touch PWNED5` and $SUBSCRIPTION and a "quote" and it\'s!',
      'a $ in data is data, not the variable',
    );
    assert.deepEqual(definition.AssignableScopes, [`/subscriptions/${STUB_SUBSCRIPTION}`], 'the script variable still expands');
    const assignment = run.calls.find(c => c[1] === 'assignment' && valueAfter(c, '--assignee-object-id') === STUB_SUBSCRIPTION);
    assert.ok(assignment, 'variables assigned from $(az … -o tsv) expand');
  });

  it('2,000 random values in tags and custom roles reach az exactly, run nothing, and replay into the same lab', async () => {
    const lab = await emptyLab();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-export-marker-'));
    const marker = path.join(dir, 'PWNED');
    const random = prng(61);
    const value = () => hostileValue(random, plantedCommands(marker));
    const groups: Array<{ name: string; tags: Record<string, string> }> = [];
    for (let g = 0; g < 30; g++) {
      const tags = Object.fromEntries(Array.from({ length: 50 }, (_, t) => [`t${t}`, value()]));
      groups.push({ name: `rg-${g}`, tags });
      createOrUpdateResourceGroup(lab, LAB_CALLER, { name: `rg-${g}`, location: 'westeurope', tags });
    }
    const roles: Array<{ name: string; description: string }> = [];
    for (let r = 0; r < 250; r++) {
      const role = createCustomRole(lab, LAB_CALLER, {
        roleName: `role ${r} ${value()}`,
        description: value(),
        actions: ['Microsoft.Resources/subscriptions/resourceGroups/read'],
        assignableScopes: [`/subscriptions/${lab.defaultSubscriptionId}`],
      });
      roles.push({ name: role.roleName, description: role.description });
    }
    const script = exportAzScript(lab);
    assert.equal((script.match(/touch/g) ?? []).length > 100, true, 'payloads were planted');
    const run = runWithStubAz(script);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(fs.existsSync(path.join(run.dir, 'PWNED')) || fs.existsSync(marker), false, 'a planted command ran');
    for (const g of groups) {
      const tagged = run.calls.find(c => c[0] === 'group' && valueAfter(c, '--name') === g.name);
      assert.ok(tagged, `az group create --name ${g.name}`);
      const tagWords = tagged.slice(tagged.indexOf('--tags') + 1);
      assert.deepEqual(
        tagWords,
        Object.entries(g.tags).map(([k, v]) => `${k}=${v}`),
        `tags of ${g.name}`,
      );
    }
    const definitions = run.calls.filter(c => c[1] === 'definition').map(c => JSON.parse(valueAfter(c, '--role-definition')!));
    assert.deepEqual(
      definitions.map(d => ({ name: d.Name, description: d.Description })),
      roles,
    );

    const fresh = await emptyLab();
    const replay = await replayAzScript(fresh, script);
    assert.ok(replay.ok, `replay stopped at: ${replay.failed?.line.slice(0, 300)}\n${replay.failed?.result.stderr}`);
    for (const g of groups) {
      assert.deepEqual(fresh.arm.group(fresh.defaultSubscriptionId, g.name)?.tags, g.tags, `replayed tags of ${g.name}`);
    }
    assert.deepEqual(
      fresh.roles.customRoles.map(r => ({ name: r.roleName, description: r.description })),
      roles,
    );
  });
});
