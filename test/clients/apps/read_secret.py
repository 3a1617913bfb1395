# Reads a Key Vault secret with the vault's real URL and default options, as on Azure.
from azure.identity import DefaultAzureCredential
from azure.keyvault.secrets import SecretClient
from outcome import args, failure, report

a = args()
try:
    client = SecretClient(vault_url=a["vaultUrl"], credential=DefaultAzureCredential())
    secret = client.get_secret(a["name"])
    report({"ok": True, "value": secret.value})
except Exception as error:
    report(failure(error))
