// Web Crypto types named in a way that resolves the same under the engine's own platform
// declarations, Node's types and the DOM's.
export type WebCryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

export interface RsaJwk {
  kty: 'RSA';
  n: string;
  e: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  alg?: string;
  kid?: string;
}
