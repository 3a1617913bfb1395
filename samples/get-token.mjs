// An unmodified Azure SDK app: asks for a Key Vault token with ManagedIdentityCredential.
// On an Azure VM it reaches IMDS at 169.254.169.254; here, the lab's environment (`milab env`)
// points it at the lab instead. Past the guard it imports first, nothing knows about the lab.
import './requireLab.mjs';
import { ManagedIdentityCredential } from '@azure/identity';

const credential = new ManagedIdentityCredential(process.env.AZURE_CLIENT_ID ? { clientId: process.env.AZURE_CLIENT_ID } : {});
const token = await credential.getToken('https://vault.azure.net/.default');
const claims = JSON.parse(Buffer.from(token.token.split('.')[1], 'base64url').toString());
console.log(
  JSON.stringify(
    {
      expiresOn: new Date(token.expiresOnTimestamp).toISOString(),
      aud: claims.aud,
      oid: claims.oid,
      appid: claims.appid,
      xms_mirid: claims.xms_mirid,
    },
    null,
    2,
  ),
);
