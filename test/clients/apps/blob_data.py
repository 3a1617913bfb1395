# Reads or writes a blob with the account's real URL and an Entra token (DefaultAzureCredential).
from azure.identity import DefaultAzureCredential
from azure.storage.blob import BlobServiceClient
from outcome import args, failure, report

a = args()
try:
    service = BlobServiceClient(account_url=a["accountUrl"], credential=DefaultAzureCredential())
    blob = service.get_blob_client(container=a["container"], blob=a["blob"])
    if a.get("write") is not None:
        blob.upload_blob(a["write"].encode("utf-8"), overwrite=True)
        report({"ok": True})
    else:
        report({"ok": True, "content": blob.download_blob().readall().decode("utf-8")})
except Exception as error:
    report(failure(error))
