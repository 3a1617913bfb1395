// Command ids, as declared in package.json `contributes.commands`.
const id = (name: string) => `managedIdentityLab.${name}`;

export const CREATE_RESOURCE = id('createResource');
export const DELETE_RESOURCE = id('deleteResource');
export const ENABLE_SYSTEM_IDENTITY = id('enableSystemIdentity');
export const DISABLE_SYSTEM_IDENTITY = id('disableSystemIdentity');
export const CREATE_USER_IDENTITY = id('createUserIdentity');
export const DELETE_USER_IDENTITY = id('deleteUserIdentity');
export const ATTACH_USER_IDENTITY = id('attachUserIdentity');
export const DETACH_USER_IDENTITY = id('detachUserIdentity');
export const ASSIGN_ROLE = id('assignRole');
export const REMOVE_ROLE_ASSIGNMENT = id('removeRoleAssignment');
export const CHECK_ACCESS = id('checkAccess');
export const REQUEST_TOKEN = id('requestToken');
export const CALL_SERVICE = id('callService');
export const RESET_LAB = id('resetLab');
export const UNDO = id('undo');
export const EXPORT_AZ_SCRIPT = id('exportAzScript');
export const SET_FAULTS = id('setFaults');
export const COPY_RESOURCE_ID = id('copyResourceId');
export const COPY_PRINCIPAL_ID = id('copyPrincipalId');
export const SHOW_TOKEN_FLOW = id('showTokenFlow');
export const SHOW_TRACE = id('showTrace');
export const EXPORT_DIAGRAM = id('exportDiagram');
export const SHOW_ENDPOINTS = id('showEndpoints');
export const COPY_ENVIRONMENT = id('copyEnvironment');
export const REFRESH = id('refresh');
export const SHOW_LOG = id('showLog');
