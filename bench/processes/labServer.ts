// Bench child: the lab's endpoints with the sample lab; IMDS throttling off on the VM (a
// load test is exactly what IMDS's 20 requests/s limit exists to stop). Prints where it listens.
import { createLab, SAMPLE } from '../../src/engine/operations/sampleLab';
import { startLabServer } from '../../src/server/labServer';
import { setHostFaults } from '../../src/engine/operations/faults';

async function main(): Promise<void> {
  const lab = await createLab();
  const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
  setHostFaults(lab, vm.id, { throttle: false });
  const server = await startLabServer(lab);
  const tokenUrl = `${server.imdsAuthorityHost(vm.id)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net`;
  process.stdout.write(JSON.stringify({ tokenUrl }) + '\n');
}
void main();
