// The only platform APIs the engine may use. They exist in Node (>= 20), in browsers and in
// web workers alike, so the engine runs in all of them. Declared here, and only for the
// engine's own type check, because the engine's tsconfig has neither Node's types nor the
// DOM's: anything not declared below (sockets, files, `vscode`, `document`) is a compile error.

type BufferSourceLike = ArrayBuffer | ArrayBufferView<ArrayBuffer>;

interface CryptoKey {
  readonly algorithm: { name: string };
  readonly extractable: boolean;
  readonly type: 'private' | 'public' | 'secret';
  readonly usages: string[];
}

interface CryptoKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

interface JsonWebKey {
  kty?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  ext?: boolean;
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  [other: string]: unknown;
}

interface RsaHashedKeyGenParams {
  name: 'RSASSA-PKCS1-v1_5';
  modulusLength: number;
  publicExponent: Uint8Array;
  hash: 'SHA-256';
}

interface SubtleCrypto {
  digest(algorithm: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512', data: BufferSourceLike): Promise<ArrayBuffer>;
  generateKey(algorithm: RsaHashedKeyGenParams, extractable: boolean, usages: string[]): Promise<CryptoKeyPair>;
  exportKey(format: 'jwk', key: CryptoKey): Promise<JsonWebKey>;
  exportKey(format: 'spki' | 'pkcs8', key: CryptoKey): Promise<ArrayBuffer>;
  importKey(
    format: 'jwk',
    keyData: JsonWebKey,
    algorithm: { name: string; hash?: string },
    extractable: boolean,
    usages: string[],
  ): Promise<CryptoKey>;
  importKey(
    format: 'raw' | 'spki' | 'pkcs8',
    keyData: BufferSourceLike,
    algorithm: { name: string; hash?: string },
    extractable: boolean,
    usages: string[],
  ): Promise<CryptoKey>;
  sign(algorithm: { name: string } | string, key: CryptoKey, data: BufferSourceLike): Promise<ArrayBuffer>;
  verify(algorithm: { name: string } | string, key: CryptoKey, signature: BufferSourceLike, data: BufferSourceLike): Promise<boolean>;
}

interface Crypto {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends Uint8Array<ArrayBuffer> | Uint16Array<ArrayBuffer> | Uint32Array<ArrayBuffer>>(array: T): T;
  randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
}

declare let crypto: Crypto;

declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: BufferSourceLike): string;
}
