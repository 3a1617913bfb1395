// What a GUID is, in the same words everywhere it is shown (trees, pickers, notifications,
// diagrams): Azure's names for them — the principal's object id, the application (client) id,
// the tenant id, the ARM resource id.
export const ID_WORDS = {
  principal: 'principal (object) id',
  client: 'client id',
  tenant: 'tenant id',
  resource: 'resource id',
} as const;

export type IdKind = keyof typeof ID_WORDS;

export const labelledId = (kind: IdKind, value: string): string => `${ID_WORDS[kind]} ${value}`;

/** A managed identity's two ids together: where one is shown, the other is too. */
export function identityIds(ids: { principalId: string; clientId?: string | undefined }): string {
  return [labelledId('principal', ids.principalId), ids.clientId ? labelledId('client', ids.clientId) : undefined]
    .filter(Boolean)
    .join(', ');
}
