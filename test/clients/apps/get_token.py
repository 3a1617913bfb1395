# A managed-identity token, as an app on a VM or in App Service asks for one: ManagedIdentityCredential
# (or DefaultAzureCredential), optionally for a user-assigned identity's client id.
from azure.identity import DefaultAzureCredential, ManagedIdentityCredential
from outcome import args, claims, failure, report

a = args()
try:
    if a.get("credential") == "default":
        credential = DefaultAzureCredential(managed_identity_client_id=a.get("clientId"))
    else:
        credential = ManagedIdentityCredential(client_id=a.get("clientId")) if a.get("clientId") else ManagedIdentityCredential()
    token = credential.get_token(a.get("scope", "https://vault.azure.net/.default"))
    report({"ok": True, "claims": claims(token.token), "expiresOn": token.expires_on})
except Exception as error:  # the outcome is what the test looks at
    report(failure(error))
