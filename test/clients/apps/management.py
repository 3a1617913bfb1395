# Resource Manager through the management SDKs (azure-mgmt-*), as a VM's identity: every resource it
# may read (all, and filtered by type), its resource groups, the vaults of a group, and the role
# assignments at a scope. Each call's outcome is reported on its own.
from azure.identity import ManagedIdentityCredential
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.resource import ResourceManagementClient
from outcome import args, failure, report

a = args()
credential = ManagedIdentityCredential()
resources = ResourceManagementClient(credential, a["subscriptionId"])
vaults = KeyVaultManagementClient(credential, a["subscriptionId"]).vaults
authorization = AuthorizationManagementClient(credential, a["subscriptionId"])
calls = {
    "resources": lambda: sorted(r.name for r in resources.resources.list()),
    "filtered": lambda: sorted(r.name for r in resources.resources.list(filter="resourceType eq 'Microsoft.KeyVault/vaults'")),
    "paged": lambda: sorted(r.name for r in resources.resources.list(top=1)),
    "groups": lambda: sorted(g.name for g in resources.resource_groups.list()),
    "vaults": lambda: [{"name": v.name, "vaultUri": v.properties.vault_uri} for v in vaults.list_by_resource_group(a["resourceGroup"])],
    "roleDefinitions": lambda: [
        {"name": d.name, "roleName": d.role_name, "actions": d.permissions[0].actions, "dataActions": d.permissions[0].data_actions}
        for d in authorization.role_definitions.list(a["scope"], filter="type eq 'BuiltInRole'")
    ],
    "roleAssignments": lambda: sorted(
        r.role_definition_id.split("/")[-1] for r in authorization.role_assignments.list_for_scope(a["scope"])
    ),
}
out = {"ok": True}
for name, call in calls.items():
    try:
        out[name] = call()
    except Exception as error:
        out[name] = failure(error)
report(out)
