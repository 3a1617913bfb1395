// Bench child: the lab with an Azure SQL server whose Entra admin is the sample VM, and a
// database; prints the TDS port, the lab's CA and a SQL token for the VM (from its IMDS).
import { createLab, SAMPLE } from '../../src/engine/operations/sampleLab';
import { startLabServer } from '../../src/server/labServer';
import { setHostFaults } from '../../src/engine/operations/faults';
import { createOrUpdateResource } from '../../src/engine/operations/resources';
import { LAB_CALLER } from '../../src/engine/lab/authorization';
import { setSqlEntraAdmin } from '../../src/engine/services/sql/servers';

async function main(): Promise<void> {
  const lab = await createLab();
  const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
  setHostFaults(lab, vm.id, { throttle: false });
  const server = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqlserver', name: 'sql-bench' });
  createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqldb', name: 'sql-bench/appdb' });
  setSqlEntraAdmin(lab, LAB_CALLER, server.id, SAMPLE.vm);
  const running = await startLabServer(lab);
  const url = `${running.imdsAuthorityHost(vm.id)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent('https://database.windows.net/')}`;
  const body = (await (await fetch(url, { headers: { Metadata: 'true' } })).json()) as { access_token: string };
  process.stdout.write(JSON.stringify({ sqlPort: running.sqlPort, ca: running.caPem, token: body.access_token }) + '\n');
}
void main();
