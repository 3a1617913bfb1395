// Where the course material (../shared/seeds/) and Azure disagree, as the learner should read it
// at the moment it matters: in a failure's notification and diagram note, and in the role picker.
// The same points as README's "Where the course material and Azure disagree"; sources there and
// in explainEntra.ts (AADSTS700024), services/sql/login.ts (contained users), azure/builtInRoles.
import type { Refusal } from '../trace/model';

export type CourseDifference =
  | 'containerInstances'
  | 'devOpsPipelines'
  | 'assertionTimeRange'
  | 'sqlDbContributor'
  | 'keyVaultReader'
  | 'credentialUnavailable'
  | 'clientIdDoesNotSkipProbe'
  | 'outsideAzure';

/** What Azure does, said against what the course says; one sentence each. */
export const COURSE_DIFFERENCES: Readonly<Record<CourseDifference, string>> = {
  containerInstances:
    'Course vs Azure: Container Instances do support a system-assigned identity (Linux container groups), ' +
    'though the course marks them ❌.',
  devOpsPipelines:
    'Course vs Azure: Azure DevOps Pipelines are not an Azure resource and have no managed identity; ' +
    'they reach Azure through service connections (which can use workload identity federation).',
  assertionTimeRange:
    'Course vs Azure: AADSTS700024 means the client assertion is not within its valid time range (an expired federated token), ' +
    'not a wrong audience; a wrong audience is AKV10022 at Key Vault and InvalidAuthenticationTokenAudience at ARM.',
  sqlDbContributor:
    'Course vs Azure: "SQL DB Contributor" manages databases and grants no database login; a managed identity logs in to Azure SQL ' +
    "only as the server's Entra admin or as a contained user created FROM EXTERNAL PROVIDER, and database roles decide what it may read or write.",
  keyVaultReader:
    'Course vs Azure: "Key Vault Reader" cannot read secret values (it reads the vault\'s metadata); "Key Vault Secrets User" is the role that can.',
  credentialUnavailable:
    'Course vs Azure: "ManagedIdentityCredential authentication unavailable" is how @azure/identity 4.x reports every managed-identity failure ' +
    "(CredentialUnavailableError), so DefaultAzureCredential moves on to developer credentials; the endpoint's own answer (here) is the cause.",
  clientIdDoesNotSkipProbe:
    'Course vs Azure: AZURE_CLIENT_ID does not make a slow DefaultAzureCredential fast locally; it only chooses a user-assigned identity, ' +
    'and the managed-identity step still waits for IMDS. AZURE_TOKEN_CREDENTIALS=dev, or a specific credential such as AzureCliCredential, does.',
  outsideAzure: 'Course vs Azure: managed identities also work outside Azure on Azure Arc-enabled servers (the SDKs have an Arc source).',
};

/** The same, short enough for a diagram's note (the full sentence is in the notification and the picker). */
export const COURSE_NOTES: Readonly<Partial<Record<CourseDifference, string>>> = {
  assertionTimeRange:
    'Course vs Azure: AADSTS700024 is an expired client assertion (not within its valid time range), not a wrong audience',
  sqlDbContributor: 'Course vs Azure: SQL DB Contributor gives no login; a contained user FROM EXTERNAL PROVIDER (or the Entra admin) does',
  credentialUnavailable: 'Course vs Azure: "authentication unavailable" is how the SDKs report any IMDS failure; this answer is the cause',
};

/** The roles the course gets wrong, by Azure's role name. */
const BY_ROLE: Readonly<Record<string, CourseDifference>> = {
  'SQL DB Contributor': 'sqlDbContributor',
  'Key Vault Reader': 'keyVaultReader',
};

/** The difference a role's name calls for, in a picker or a role-fit warning. */
export function courseNoteForRole(roleName: string): string | undefined {
  const point = BY_ROLE[roleName];
  return point ? COURSE_DIFFERENCES[point] : undefined;
}

function pointForRefusal(refusal: Pick<Refusal, 'rule' | 'by' | 'errorCode'>): CourseDifference | undefined {
  if (refusal.by === 'entra' && refusal.errorCode === 'AADSTS700024') return 'assertionTimeRange';
  if (refusal.by === 'sql' && refusal.rule === 'sqlLogin') return 'sqlDbContributor';
  if (refusal.rule === 'noManagedIdentity' || refusal.rule === 'identityNotAssigned') return 'credentialUnavailable';
  return undefined;
}

/** The difference a refusal calls for: an expired assertion (AADSTS700024), a SQL login refused (18456), an identity the endpoint does not find. */
export function courseNoteForRefusal(
  refusal: Pick<Refusal, 'rule' | 'by' | 'errorCode'>,
  length: 'sentence' | 'note' = 'sentence',
): string | undefined {
  const point = pointForRefusal(refusal);
  if (!point) return undefined;
  return length === 'note' ? (COURSE_NOTES[point] ?? COURSE_DIFFERENCES[point]) : COURSE_DIFFERENCES[point];
}
