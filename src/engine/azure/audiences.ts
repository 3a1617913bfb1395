// Which `aud` each service accepts in an access token, compared as the service compares it: the
// exact string (no trimming, no slash folding), GUIDs (app ids) without regard to case.
// Sources (research notes /work/research/time-and-chain.md §2, which cite each):
//  - ARM: its 401 InvalidAuthenticationTokenAudience lists exactly four, and says "It should
//    exactly match": management.core.windows.net and management.azure.com, each with and without
//    the slash. Its app id is not in that list (treated as refused; unverified).
//  - Key Vault: AKV10022 "Expected https://vault.azure.net or cfa8b339-82a2-471a-a3c9-0fc0be7a4093"
//    (2024): no trailing slash, and never a vault-specific URL.
//  - Azure SQL: https://database.windows.net/ (its identifier URI, with the slash, which Entra's
//    v1.0-resources guidance says it expects) and https://database.windows.net: the Azure SDKs
//    strip `/.default` from `https://database.windows.net/.default`, so the tokens tedious, mssql
//    and every DefaultAzureCredential app present carry it without the slash, and they log in.
//    Its app id as `aud`: unverified, refused.
//  - Storage: the real list is unpublished; the lab takes Microsoft's own emulator's
//    (Azurite, VALID_BLOB_AUDIENCES): https://storage.azure.com with or without the slash, the
//    app id, and the account's own blob endpoint with or without the slash (that account only).
import { SERVICE_DOMAINS } from './serviceDomains';

export const ARM_AUDIENCES = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
] as const;

export const KEY_VAULT_AUDIENCES = ['https://vault.azure.net', 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093'] as const;

export const SQL_AUDIENCES = ['https://database.windows.net/', 'https://database.windows.net'] as const;

export const storageAudiences = (account: string): string[] => {
  const endpoint = `https://${account.toLowerCase()}.${SERVICE_DOMAINS.blob}`;
  return ['https://storage.azure.com', 'https://storage.azure.com/', 'e406a681-f3d4-42a8-90b6-c2b029497af1', endpoint, `${endpoint}/`];
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a token's `aud` is one of `accepted`: exactly, except that a GUID matches in any case. */
export const isAcceptedAudience = (accepted: readonly string[], audience: string): boolean =>
  accepted.some(a => a === audience || (GUID.test(a) && a.toLowerCase() === audience.toLowerCase()));
