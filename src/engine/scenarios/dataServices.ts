// Two scenarios about the data services' own rules: Blob Storage's data roles (a reader cannot
// write; Owner of the account has no data actions at all) and Azure SQL, where no Azure role
// lets a token in — a contained user created FROM EXTERNAL PROVIDER and a database role do.
// Sources: the seeds' grants (001 §3.5, "SQL DB Contributor"; 004 "Using Managed Identity with
// Azure SQL"); Storage's AuthorizationPermissionMismatch and SQL's 18456/229 in Microsoft Learn.
import type { ScenarioDefinition } from './types';
import { LAB_CALLER } from '../lab/authorization';
import { createOrUpdateResource } from '../operations/resources';
import { setSqlEntraAdmin } from '../services/sql/servers';
import { sqlUsersOf } from '../services/sql/login';
import { GROUP, grant, groundwork, named, resource, storageWith, systemPrincipalOf, vm } from './kit';
import { allOk, broaderThanNeeded, firstFailure, goal, stepsOf, verdict } from './verdict';

const CHAPTER_3 = '001_c9de0b23652fd1b1.txt';
const BLOB = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';
const ACCOUNT = 'stscenarioetl';

const principal = (host: string) => `PRINCIPAL=$(az vm identity show -g ${GROUP} -n ${host} --query principalId -o tsv)`;
const accountLine = `ACCOUNT=$(az storage account show -n ${ACCOUNT} --query id -o tsv)`;
const assign = (role: string, scope = '"$ACCOUNT"') =>
  `az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal --role "${role}" --scope ${scope}`;

export const storageBlobData: ScenarioDefinition = {
  id: 'storage-blob-data',
  title: 'Read with Storage Blob Data Reader, write with Contributor',
  seed: { file: CHAPTER_3, section: '3.5 Granting Access to Azure Resources' },
  story: [
    `The ETL job on **vm-etl** reads **reports/input.csv** from the storage account **${ACCOUNT}** and writes **reports/summary.txt** back.`,
    'The course grants *Storage Blob Data Reader* for Storage — enough to read, not to write. And being *Owner* of the account does not help either:',
    'Owner manages the account; blobs are data, and Storage answers `AuthorizationPermissionMismatch` to anyone without a data role.',
  ].join('\n'),
  setup(lab) {
    groundwork(lab);
    vm(lab, 'vm-etl', { systemAssigned: true });
    storageWith(lab, ACCOUNT, 'reports', { 'input.csv': 'region,total\nwest,42\neast,17\n' });
  },
  workload: {
    runsAs: 'vm-etl',
    credential: 'DefaultAzureCredential',
    action: {
      kind: 'sequence',
      steps: [
        { kind: 'readBlob', account: ACCOUNT, container: 'reports', blob: 'input.csv' },
        { kind: 'writeBlob', account: ACCOUNT, container: 'reports', blob: 'summary.txt', text: 'total,59\n' },
      ],
    },
    description: `The ETL job on vm-etl reads reports/input.csv and writes reports/summary.txt in ${ACCOUNT} (BlobClient with DefaultAzureCredential).`,
  },
  hints: [
    'Storage answers 403 AuthorizationPermissionMismatch: the token is fine, the principal has no data action for the blob.',
    'Reading needs …/blobs/read (Storage Blob Data Reader); writing needs …/blobs/write (Storage Blob Data Contributor). Owner and Contributor have neither.',
    "Assign Storage Blob Data Contributor to vm-etl's identity on the account (or the reports container).",
  ],
  solution: {
    terminal: [principal('vm-etl'), accountLine, assign('Storage Blob Data Contributor')],
    note: "Assign Storage Blob Data Contributor to vm-etl's identity on the storage account: it reads and writes blobs, and nothing more.",
  },
  wrongFixes: [
    {
      tried: 'Owner of the storage account',
      terminal: [principal('vm-etl'), accountLine, assign('Owner')],
      outcome: 'not-yet',
      says: 'AuthorizationPermissionMismatch.*Owner has no dataActions',
    },
    {
      tried: "Storage Blob Data Reader (the course's role)",
      terminal: [principal('vm-etl'), accountLine, assign('Storage Blob Data Reader')],
      outcome: 'not-yet',
      says: 'writes reports/summary.txt.*AuthorizationPermissionMismatch.*Storage Blob Data Reader does not include',
    },
    {
      tried: 'Storage Blob Data Owner',
      terminal: [principal('vm-etl'), accountLine, assign('Storage Blob Data Owner')],
      outcome: 'too-broad',
      says: 'Storage Blob Data Owner grants far more than .*Storage Blob Data Contributor on',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'vm-etl');
    const [reads, writes] = [steps.filter(s => /reads/.test(s.did)), steps.filter(s => /writes/.test(s.did))];
    const account = named(lab, 'storage', ACCOUNT);
    const who = systemPrincipalOf(lab, 'vm-etl');
    const goals = [
      goal('the job reads reports/input.csv', allOk(reads), firstFailure(lab, reads)),
      goal('the job writes reports/summary.txt', allOk(writes), firstFailure(lab, writes)),
    ];
    const container = account ? `${account.id}/blobServices/default/containers/reports` : '';
    const needs = account
      ? [
          { action: `${BLOB}/read`, scope: `${container}/blobs/input.csv` },
          { action: `${BLOB}/write`, scope: `${container}/blobs/summary.txt` },
        ]
      : [];
    const broad = who && account ? broaderThanNeeded(lab, who, needs, 'the ETL job') : undefined;
    return verdict(this.id, goals, 'Storage Blob Data Contributor reads and writes the blobs; no control-plane role was needed.', broad);
  },
};

const SERVER = 'sql-scenario';
const DATABASE = 'appdb';
const READ_ROLES = ['db_datareader'];

export const sqlContainedUser: ScenarioDefinition = {
  id: 'sql-contained-user',
  title: '"SQL DB Contributor" and still "Login failed"',
  seed: { file: CHAPTER_3, section: '3.5 Granting Access to Azure Resources' },
  disagreement: '"SQL DB Contributor" grants no data access',
  story: [
    `The app on **vm-sql** reads the **Products** table of **${SERVER}/${DATABASE}** with a managed-identity token, as Service Connector sets it up.`,
    'Following the course, its identity has *SQL DB Contributor* on the server — and Azure SQL answers ' +
      "`Login failed for user '<token-identified principal>'.` (18456).",
    '',
    "Azure roles manage servers and databases; they let nobody *into* a database. A token logs in as the server's Microsoft Entra admin, or as a",
    "*contained user* created `FROM EXTERNAL PROVIDER`, whose database roles decide what it reads. You are the server's Entra admin: run the T-SQL with `sql`.",
  ].join('\n'),
  async setup(lab) {
    groundwork(lab);
    const host = vm(lab, 'vm-sql', { systemAssigned: true });
    const server = resource(lab, 'sqlserver', SERVER);
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: GROUP, type: 'sqldb', name: `${SERVER}/${DATABASE}` });
    setSqlEntraAdmin(lab, LAB_CALLER, server.id, lab.directory.user.userPrincipalName);
    grant(lab, host.identity!.systemAssigned!.principalId, 'SQL DB Contributor', server.id);
  },
  workload: {
    runsAs: 'vm-sql',
    credential: 'DefaultAzureCredential',
    action: { kind: 'sqlQuery', server: SERVER, database: DATABASE, query: 'SELECT TOP 3 * FROM Products' },
    description: `The app on vm-sql logs in to ${SERVER}/${DATABASE} with a token for https://database.windows.net/ and reads Products.`,
  },
  hints: [
    "18456 with '<token-identified principal>': the token was valid, but the database has no user for that principal. No Azure role creates one.",
    `As the server's Entra admin (you), create a contained user for the VM's identity: sql ${SERVER}/${DATABASE} "CREATE USER [vm-sql] FROM EXTERNAL PROVIDER"`,
    'Then give it the database role it needs for reading: ALTER ROLE db_datareader ADD MEMBER [vm-sql] (not db_owner).',
  ],
  solution: {
    terminal: [`sql ${SERVER}/${DATABASE} "CREATE USER [vm-sql] FROM EXTERNAL PROVIDER; ALTER ROLE db_datareader ADD MEMBER [vm-sql];"`],
    note: "Create a contained user for vm-sql's identity FROM EXTERNAL PROVIDER and add it to db_datareader.",
  },
  wrongFixes: [
    {
      tried: 'a bigger Azure role on the server (SQL Server Contributor)',
      terminal: [
        principal('vm-sql'),
        `SERVER=$(az sql server show -g ${GROUP} -n ${SERVER} --query id -o tsv)`,
        'az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ' +
          'ServicePrincipal --role "SQL Server Contributor" --scope "$SERVER"',
      ],
      outcome: 'not-yet',
      says: "18456.*Login failed for user '<token-identified principal>'",
    },
    {
      tried: 'the contained user, with no database role',
      terminal: [`sql ${SERVER}/${DATABASE} "CREATE USER [vm-sql] FROM EXTERNAL PROVIDER"`],
      outcome: 'not-yet',
      says: '229.*SELECT permission was denied',
    },
    {
      tried: 'the contained user as db_owner',
      terminal: [`sql ${SERVER}/${DATABASE} "CREATE USER [vm-sql] FROM EXTERNAL PROVIDER; ALTER ROLE db_owner ADD MEMBER [vm-sql]"`],
      outcome: 'too-broad',
      says: 'db_owner.*db_datareader is enough',
    },
  ],
  check(lab, run) {
    const steps = stepsOf(run, 'vm-sql');
    const database = named(lab, 'sqldb', `${SERVER}/${DATABASE}`);
    const who = systemPrincipalOf(lab, 'vm-sql');
    const goals = [goal(`vm-sql's app reads Products in ${DATABASE}`, allOk(steps), firstFailure(lab, steps))];
    const user = database && who ? sqlUsersOf(lab, database.id).find(u => u.objectId.toLowerCase() === who.toLowerCase()) : undefined;
    const extra = (user?.roles ?? []).filter(r => !READ_ROLES.includes(r.toLowerCase()));
    const broad = extra.length
      ? `the contained user [${user!.name}] is in ${extra.join(', ')}; for reading, db_datareader is enough.`
      : undefined;
    return verdict(this.id, goals, "a contained user for vm-sql's identity, in db_datareader: the token logs in and reads.", broad);
  },
};

export const DATA_SERVICE_SCENARIOS: readonly ScenarioDefinition[] = [storageBlobData, sqlContainedUser];
