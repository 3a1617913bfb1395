import { toBase64Url } from './encoding';

/** A new random GUID in Azure's lower-case 8-4-4-4-12 form. */
export const newGuid = (): string => crypto.randomUUID();

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (value: string): boolean => GUID.test(value);

/** Opaque identifiers (`uti`, `aio`, `rh`) are base64url strings, as Entra's are. */
export const opaqueId = (bytes = 16): string => toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
