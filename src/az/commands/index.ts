// Every command the lab's az knows, and the real ones it deliberately does not simulate.
import { CommandTable } from '../cli/registry';
import type { NotSimulated } from '../cli/spec';
import { ACCOUNT_COMMANDS, ACCOUNT_GROUPS } from './account';
import { GROUP_COMMANDS, GROUP_GROUPS } from './group';
import { IDENTITY_COMMANDS, IDENTITY_GROUPS } from './identity';
import { KEYVAULT_COMMANDS, KEYVAULT_GROUPS } from './keyvault';
import { RESOURCE_COMMANDS, RESOURCE_GROUPS } from './resource';
import { ROLE_COMMANDS, ROLE_GROUPS } from './role';
import { STORAGE_COMMANDS, STORAGE_GROUPS } from './storage';
import { VM_COMMANDS, VM_GROUPS } from './vm';
import { WEBAPP_COMMANDS, WEBAPP_GROUPS } from './webapp';
import { SECRET_COMMANDS, SECRET_GROUPS } from './secrets';
import { BLOB_COMMANDS, BLOB_GROUPS } from './blobs';
import { SQL_COMMANDS, SQL_GROUPS } from './sql';
import { FEDERATED_CREDENTIAL_COMMANDS, FEDERATED_CREDENTIAL_GROUPS } from './federatedCredential';
import { AD_COMMANDS, AD_GROUPS } from './ad';
import { AD_GROUP_COMMANDS, AD_GROUP_GROUPS } from './adGroup';

const OUTSIDE =
  'the lab simulates managed identities, Azure RBAC, resource groups, the compute that hosts identities, Key Vault secrets, Blob Storage and Azure SQL; this command is outside that.';
const COMPUTE = "the lab models a VM's identity, not its power state, disks, network or guest OS.";
const SITES = "the lab models an app's identity, not its code, configuration or deployments.";

const notSimulated = (names: string, why: string): NotSimulated[] => names.split(' ').map(name => ({ name: name.replace(/_/g, ' '), why }));

export const NOT_SIMULATED: NotSimulated[] = [
  { name: 'login', why: "in the lab you are always signed in as the learner (see 'az account show'); there is nothing to log in to." },
  { name: 'logout', why: 'in the lab you stay signed in as the learner.' },
  ...notSimulated(
    'aks acr network monitor deployment cosmosdb servicebus eventhubs appconfig containerapp container logicapp datafactory apim automation policy config configure extension upgrade version find interactive rest bicep cloud feedback provider lock tag disk image snapshot sig backup redis postgres mysql cognitiveservices ml search signalr spring staticwebapp batch hdinsight iot synapse databricks',
    OUTSIDE,
  ),
  ...notSimulated(
    'vm_start vm_stop vm_restart vm_deallocate vm_update vm_resize vm_open-port vm_run-command vm_ssh vm_list-sizes vm_get-instance-view vm_image vm_extension vm_disk vm_nic vm_user vm_boot-diagnostics vm_secret vm_list-ip-addresses vm_auto-shutdown vm_redeploy vm_reimage vm_capture vm_generalize vm_convert vm_encryption vm_wait',
    COMPUTE,
  ),
  ...notSimulated(
    'vmss_scale vmss_start vmss_stop vmss_restart vmss_update vmss_list-instances vmss_extension vmss_deallocate vmss_reimage vmss_update-instances vmss_wait',
    COMPUTE,
  ),
  ...notSimulated(
    'webapp_config webapp_deploy webapp_deployment webapp_log webapp_restart webapp_start webapp_stop webapp_up webapp_update webapp_list-runtimes webapp_browse webapp_ssh webapp_cors webapp_auth webapp_connection webapp_hybrid-connection webapp_traffic-routing webapp_vnet-integration webapp_webjob',
    SITES,
  ),
  ...notSimulated(
    'functionapp_config functionapp_deploy functionapp_deployment functionapp_function functionapp_keys functionapp_restart functionapp_start functionapp_stop functionapp_update functionapp_list-runtimes functionapp_list-consumption-locations functionapp_plan functionapp_app',
    SITES,
  ),
  ...notSimulated(
    'appservice_plan_list appservice_plan_show appservice_plan_delete appservice_plan_update appservice_list-locations',
    SITES,
  ),
  ...notSimulated(
    'keyvault_key keyvault_certificate keyvault_delete-policy keyvault_purge keyvault_recover keyvault_network-rule keyvault_role keyvault_secret_delete keyvault_secret_recover keyvault_secret_purge keyvault_secret_download keyvault_secret_backup keyvault_secret_restore keyvault_secret_set-attributes keyvault_secret_list-versions keyvault_secret_list-deleted',
    'the lab simulates Key Vault secrets (set, show, list), their access policies (set-policy) and the permission model (update), not keys, certificates or soft-delete recovery.',
  ),
  ...notSimulated(
    'storage_share storage_queue storage_table storage_file storage_fs storage_account_keys storage_account_update storage_account_generate-sas storage_account_show-connection-string storage_blob_delete storage_blob_copy storage_blob_sync storage_blob_generate-sas storage_blob_show storage_blob_exists storage_container_delete storage_container_list storage_container_show storage_container_exists storage_container_generate-sas',
    'the lab simulates blob containers and blobs (create, upload, download, list) with Microsoft Entra authorization (--auth-mode login).',
  ),
  ...notSimulated(
    'role_definition_update role_definition_delete role_assignment_update role_assignment_list-changelogs',
    'the lab does not simulate this part of Azure RBAC from az yet.',
  ),
  ...notSimulated('identity_list-operations identity_list-resources', 'the lab does not simulate this part of az identity.'),
  ...notSimulated(
    [
      'sql_mi sql_midb sql_dw sql_elastic-pool sql_failover-group sql_instance-pool sql_vm sql_virtual-cluster sql_server_update sql_server_delete',
      'sql_server_firewall-rule sql_server_vnet-rule sql_server_ad-only-auth sql_server_ad-admin_update sql_server_ad-admin_delete sql_server_conn-policy',
      'sql_server_key sql_server_tde-key sql_db_update sql_db_delete sql_db_copy sql_db_restore sql_db_rename sql_db_replica sql_db_export sql_db_import',
      'sql_db_list-editions sql_db_show-connection-string sql_db_audit-policy sql_db_ltr-policy sql_db_str-policy',
    ].join(' '),
    'the lab simulates SQL servers, their Microsoft Entra admin and databases (create, show, list), and serves them over TDS; not this.',
  ),
  ...notSimulated('group_update group_wait group_export group_lock group_deployment', OUTSIDE),
  ...notSimulated(
    'ad_app_list ad_app_delete ad_app_update ad_app_owner ad_app_permission ad_app_federated-credential ad_app_credential_list ad_app_credential_delete ad_group_update ad_group_owner ad_group_get-member-groups ad_sp_list ad_sp_delete ad_sp_credential ad_sp_owner ad_sp_update ad_user_list ad_user_create ad_user_delete ad_user_update ad_signed-in-user_list-owned-objects',
    "the lab's directory holds the learner, managed identities, app registrations made with 'az ad app create' or 'az ad sp create-for-rbac', and security groups (create, show, list, delete, members); this part of Microsoft Graph is not simulated.",
  ),
  ...notSimulated(
    'account_clear account_list-locations account_management-group account_lock account_alias account_tenant account_subscription',
    'the lab has one tenant and one subscription.',
  ),
];

export const COMMAND_TABLE = new CommandTable(
  [
    ...GROUP_GROUPS,
    ...ACCOUNT_GROUPS,
    ...AD_GROUPS,
    ...AD_GROUP_GROUPS,
    ...IDENTITY_GROUPS,
    ...FEDERATED_CREDENTIAL_GROUPS,
    ...ROLE_GROUPS,
    ...VM_GROUPS,
    ...WEBAPP_GROUPS,
    ...KEYVAULT_GROUPS,
    ...STORAGE_GROUPS,
    ...RESOURCE_GROUPS,
    ...SECRET_GROUPS,
    ...BLOB_GROUPS,
    ...SQL_GROUPS,
  ],
  [
    ...GROUP_COMMANDS,
    ...ACCOUNT_COMMANDS,
    ...AD_COMMANDS,
    ...AD_GROUP_COMMANDS,
    ...IDENTITY_COMMANDS,
    ...FEDERATED_CREDENTIAL_COMMANDS,
    ...ROLE_COMMANDS,
    ...VM_COMMANDS,
    ...WEBAPP_COMMANDS,
    ...KEYVAULT_COMMANDS,
    ...STORAGE_COMMANDS,
    ...RESOURCE_COMMANDS,
    ...SECRET_COMMANDS,
    ...BLOB_COMMANDS,
    ...SQL_COMMANDS,
  ],
  NOT_SIMULATED,
);
