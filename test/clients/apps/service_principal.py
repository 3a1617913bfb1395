# An app with its own credentials (a service principal's client secret) instead of a managed identity.
from azure.identity import ClientSecretCredential
from outcome import args, claims, failure, report

a = args()
try:
    credential = ClientSecretCredential(a["tenantId"], a["clientId"], a["secret"])
    token = credential.get_token(a.get("scope", "https://management.azure.com/.default"))
    report({"ok": True, "claims": claims(token.token)})
except Exception as error:
    report(failure(error))
