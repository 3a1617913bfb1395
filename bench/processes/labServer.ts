// Bench child: the lab as `milab serve` runs it — LabHost over a state directory of its own, so
// saving (durable before acknowledged) is in place — with the sample lab and IMDS throttling off
// on the VM (a load test is exactly what IMDS's 20 requests/s limit exists to stop). Prints
// where it listens; stops (and removes its directory) on SIGTERM.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAMPLE } from '../../src/engine/operations/sampleLab';
import { setHostFaults } from '../../src/engine/operations/faults';
import { LabHost } from '../../src/host/labHost';

async function main(): Promise<void> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-bench-'));
  const host = await LabHost.start({ stateDir, owner: 'bench' });
  const vm = host.lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
  setHostFaults(host.lab, vm.id, { throttle: false });
  await host.persist();
  const imds = `${host.server.imdsAuthorityHost(vm.id)}/metadata/identity/oauth2/token?api-version=2018-02-01`;
  process.stdout.write(
    JSON.stringify({
      tokenUrl: `${imds}&resource=${encodeURIComponent('https://vault.azure.net')}`,
      storageTokenUrl: `${imds}&resource=${encodeURIComponent('https://storage.azure.com/')}`,
      httpsUrl: host.server.httpsUrl,
      vaultHost: `${SAMPLE.vault}.vault.azure.net:${host.server.port}`,
      url: host.server.url,
      controlToken: host.controlToken,
      stateFile: host.stateFile,
      pid: process.pid,
    }) + '\n',
  );
  process.once('SIGTERM', () => {
    void host.close().finally(() => {
      fs.rmSync(stateDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}
void main();
