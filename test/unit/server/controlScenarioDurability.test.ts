// `POST /_milab/scenario` is acknowledged like `/_milab/az`: a scenario command that changed the
// lab (start, check, solve, stop) answers only after its save, and a save that fails turns its
// exit code into az's error 1, in words. Real HTTP on loopback; the saving is a stub we control.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { ScenarioService } from '../../../src/host/scenarios';
import { runScenarioCommand } from '../../../src/host/scenarioCommand';
import { labShell } from '../../../src/cli/labShell';
import { CONTROL_HEADER, controlPath, type ControlResult } from '../../../src/server/controlProtocol';
import type { Lab } from '../../../src/engine/lab/lab';

const TOKEN = 'control-token-for-the-test';

describe('server: scenario control commands are acknowledged after their save', function () {
  this.timeout(60_000);
  let lab: Lab;
  let server: RunningLabServer;
  let changes = 0;
  const events: string[] = [];
  let failSave = false;

  before(async () => {
    lab = await createLab();
    lab.onDidChange(() => changes++);
    server = await startLabServer(lab, {
      controlToken: TOKEN,
      durability: {
        changeCount: () => changes,
        persist: async () => {
          await new Promise(resolve => setTimeout(resolve, 50));
          events.push('saved');
          if (failSave) throw new Error('ENOSPC: no space left on device');
        },
        failureMessage: error => `The change could not be saved: ${error.message}.`,
      },
    });
    const service = new ScenarioService({ lab, server: async () => server, shell: labShell });
    server.context.commands.set('scenario', argv => runScenarioCommand(service, argv));
  });
  after(async () => server?.close());

  const scenario = async (...argv: string[]): Promise<ControlResult> => {
    const response = await fetch(`${server.url}${controlPath('scenario')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CONTROL_HEADER]: TOKEN },
      body: JSON.stringify({ argv }),
    });
    const body = (await response.json()) as ControlResult;
    events.push('answered');
    return body;
  };

  it('start answers after the save; list (no change) does not wait for one', async () => {
    events.length = 0;
    const started = await scenario('start', 'propagation-delay');
    assert.equal(started.exitCode, 0, started.stderr);
    assert.deepEqual(events, ['saved', 'answered']);
    events.length = 0;
    assert.equal((await scenario('list')).exitCode, 0);
    assert.deepEqual(events, ['answered']);
  });

  it('a failed save is the command failing, in words (the lab keeps the change)', async () => {
    failSave = true;
    try {
      const stopped = await scenario('stop');
      assert.equal(stopped.exitCode, 1);
      assert.match(stopped.stderr, /ERROR: The change could not be saved: ENOSPC/);
      assert.equal(lab.scenarios.active, undefined);
    } finally {
      failSave = false;
    }
  });
});
