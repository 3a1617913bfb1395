// The TLS material saved with a lab, checked before a server is built from it: a certificate
// or key that does not parse, or a key that does not match its certificate, is named by its
// field, instead of surfacing as an OpenSSL error from deep inside the HTTPS server.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { tlsPems, type TlsState } from '../engine/state/tlsMaterial';

/** What is wrong with the material, as `field: problem` lines, or undefined when it is usable. */
export function checkTlsMaterial(tls: TlsState): string | undefined {
  const pems = tlsPems(tls);
  const problems: string[] = [];
  const certificate = (field: string, pem: string): X509Certificate | undefined => {
    try {
      return new X509Certificate(pem);
    } catch (error) {
      problems.push(`tls.${field}: is not a valid X.509 certificate (${(error as Error).message})`);
      return undefined;
    }
  };
  const ca = certificate('caCertificate', pems.ca);
  const server = certificate('serverCertificate', pems.cert);
  let key;
  try {
    key = createPrivateKey(pems.key);
  } catch (error) {
    problems.push(`tls.serverKey: is not a valid PKCS#8 private key (${(error as Error).message})`);
  }
  if (server && key && !server.checkPrivateKey(key)) problems.push('tls.serverKey: does not belong to tls.serverCertificate');
  if (ca && server && !server.checkIssued(ca)) problems.push('tls.serverCertificate: was not issued by tls.caCertificate');
  return problems.length ? problems.join('\n') : undefined;
}
