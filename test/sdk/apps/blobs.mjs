// An app that reads or writes a blob with the real @azure/storage-blob and DefaultAzureCredential,
// exactly as on Azure. Arguments (JSON): { accountUrl, container, blob, upload? }.
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';

const { accountUrl, container, blob, upload } = JSON.parse(process.argv[2] ?? '{}');
const client = new BlobServiceClient(accountUrl, new DefaultAzureCredential()).getContainerClient(container).getBlockBlobClient(blob);
try {
  if (upload !== undefined) {
    await client.upload(upload, Buffer.byteLength(upload), { blobHTTPHeaders: { blobContentType: 'text/plain' } });
    console.log(JSON.stringify({ ok: true }));
  } else {
    const content = (await client.downloadToBuffer()).toString('utf8');
    const names = [];
    for await (const item of new BlobServiceClient(accountUrl, new DefaultAzureCredential())
      .getContainerClient(container)
      .listBlobsFlat()) {
      names.push(item.name);
    }
    console.log(JSON.stringify({ ok: true, content, names }));
  }
} catch (error) {
  // A HEAD (downloadToBuffer starts with one) has no body: the SDK then gives the code in details.errorCode, as against Azure.
  console.log(
    JSON.stringify({
      ok: false,
      name: error.name,
      statusCode: error.statusCode,
      code: error.code ?? error.details?.errorCode,
      message: error.message,
    }),
  );
}
