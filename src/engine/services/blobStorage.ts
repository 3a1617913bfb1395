// Blob Storage's data plane: containers and blobs, authorized with Azure RBAC the way
// Storage does for Microsoft Entra (OAuth) requests. Codes and messages follow the Blob
// service REST API's error codes (learn.microsoft.com/rest/api/storageservices/blob-service-error-codes).
import type { Lab } from '../lab/lab';
import type { BlobState, ContainerState, ReadonlyResource } from '../state/labState';
import { resourceTypeOf } from '../azure/resourceTypes';
import type { DataCaller } from './dataCaller';
import { ServiceError } from './dataCaller';
import { authorizationNote } from '../lab/authorization';
import type { AuthorizationNote } from '../trace/model';
import { toBase64, fromBase64 } from '../base/encoding';

export const BLOB_ACTIONS = {
  listContainers: 'Microsoft.Storage/storageAccounts/blobServices/containers/read',
  createContainer: 'Microsoft.Storage/storageAccounts/blobServices/containers/write',
  deleteContainer: 'Microsoft.Storage/storageAccounts/blobServices/containers/delete',
  read: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
  write: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
  delete: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
} as const;

const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

export interface BlobResult<T> {
  result: T;
  authorization: AuthorizationNote;
}

export function requireStorageAccount(lab: Lab, accountId: string): ReadonlyResource {
  const account = lab.arm.resource(accountId);
  if (!account || resourceTypeOf(account.type)?.key !== 'storage') {
    throw new ServiceError(404, 'ResourceNotFound', 'The specified resource does not exist.');
  }
  return account;
}

export const findStorageAccountByName = (lab: Lab, name: string): ReadonlyResource | undefined =>
  lab.arm.resources.find(r => r.type.toLowerCase() === 'microsoft.storage/storageaccounts' && r.name.toLowerCase() === name.toLowerCase());

export const containerScope = (account: ReadonlyResource, container: string): string =>
  `${account.id}/blobServices/default/containers/${container}`;

function authorize(lab: Lab, caller: DataCaller, action: string, scope: string): AuthorizationNote {
  const decision = lab.access.decide({ principalId: caller.objectId, action, scope, groupIds: caller.groupIds });
  const note = authorizationNote(decision, lab);
  if (!decision.allowed) {
    throw new ServiceError(
      403,
      'AuthorizationPermissionMismatch',
      'This request is not authorized to perform this operation using this permission.',
      undefined,
      note,
    );
  }
  return note;
}

function requireContainerName(name: string): void {
  // Storage's own message, typo included.
  if (!CONTAINER_NAME.test(name)) {
    throw new ServiceError(400, 'InvalidResourceName', 'The specifed resource name contains invalid characters.');
  }
}

function requireBlobName(name: string): void {
  if (name.length < 1 || name.length > 1024) {
    throw new ServiceError(400, 'InvalidResourceName', 'The specifed resource name length is not within the permissible limits.');
  }
}

const containersOf = (lab: Lab, account: ReadonlyResource): ContainerState[] => (lab.dataFor(account.id).containers ??= []);

function requireContainer(lab: Lab, account: ReadonlyResource, name: string): ContainerState {
  const container = containersOf(lab, account).find(c => c.name === name);
  if (!container) throw new ServiceError(404, 'ContainerNotFound', 'The specified container does not exist.');
  return container;
}

export interface ContainerInfo {
  name: string;
  lastModified: number;
}

export interface BlobInfo {
  name: string;
  contentType: string;
  contentLength: number;
  lastModified: number;
  etag: string;
}

const info = (b: BlobState): BlobInfo => ({
  name: b.name,
  contentType: b.contentType,
  contentLength: fromBase64(b.content)?.length ?? 0,
  lastModified: b.lastModified,
  etag: b.etag,
});

export function listContainers(lab: Lab, caller: DataCaller, accountId: string): BlobResult<ContainerInfo[]> {
  const account = requireStorageAccount(lab, accountId);
  const authorization = authorize(lab, caller, BLOB_ACTIONS.listContainers, account.id);
  return { result: containersOf(lab, account).map(c => ({ name: c.name, lastModified: c.created })), authorization };
}

export function createContainer(lab: Lab, caller: DataCaller, accountId: string, name: string): BlobResult<ContainerInfo> {
  const account = requireStorageAccount(lab, accountId);
  requireContainerName(name);
  const authorization = authorize(lab, caller, BLOB_ACTIONS.createContainer, containerScope(account, name));
  const containers = containersOf(lab, account);
  if (containers.some(c => c.name === name)) {
    throw new ServiceError(409, 'ContainerAlreadyExists', 'The specified container already exists.');
  }
  const container: ContainerState = { name, created: lab.clock.now(), blobs: [] };
  containers.push(container);
  lab.notify('dataPlane');
  return { result: { name, lastModified: container.created }, authorization };
}

export function listBlobs(lab: Lab, caller: DataCaller, accountId: string, containerName: string, prefix = ''): BlobResult<BlobInfo[]> {
  const account = requireStorageAccount(lab, accountId);
  requireContainerName(containerName);
  const authorization = authorize(lab, caller, BLOB_ACTIONS.read, containerScope(account, containerName));
  const container = requireContainer(lab, account, containerName);
  return {
    result: container.blobs
      .filter(b => b.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map(info),
    authorization,
  };
}

export function putBlob(
  lab: Lab,
  caller: DataCaller,
  accountId: string,
  containerName: string,
  blobName: string,
  content: Uint8Array<ArrayBuffer>,
  contentType = 'application/octet-stream',
): BlobResult<BlobInfo> {
  const account = requireStorageAccount(lab, accountId);
  requireContainerName(containerName);
  requireBlobName(blobName);
  const authorization = authorize(lab, caller, BLOB_ACTIONS.write, containerScope(account, containerName));
  const container = requireContainer(lab, account, containerName);
  const now = lab.clock.now();
  const blob: BlobState = {
    name: blobName,
    content: toBase64(content),
    contentType,
    lastModified: now,
    etag: `"0x${now.toString(16).toUpperCase()}${Math.floor(Math.random() * 0xfff)
      .toString(16)
      .toUpperCase()}"`,
  };
  container.blobs = [...container.blobs.filter(b => b.name !== blobName), blob];
  lab.notify('dataPlane');
  return { result: info(blob), authorization };
}

export function getBlob(
  lab: Lab,
  caller: DataCaller,
  accountId: string,
  containerName: string,
  blobName: string,
): BlobResult<BlobInfo & { content: Uint8Array<ArrayBuffer> }> {
  const account = requireStorageAccount(lab, accountId);
  requireContainerName(containerName);
  const authorization = authorize(lab, caller, BLOB_ACTIONS.read, containerScope(account, containerName));
  const blob = requireContainer(lab, account, containerName).blobs.find(b => b.name === blobName);
  if (!blob) throw new ServiceError(404, 'BlobNotFound', 'The specified blob does not exist.');
  return { result: { ...info(blob), content: fromBase64(blob.content) ?? new Uint8Array(0) }, authorization };
}

export function deleteBlob(lab: Lab, caller: DataCaller, accountId: string, containerName: string, blobName: string): BlobResult<void> {
  const account = requireStorageAccount(lab, accountId);
  requireContainerName(containerName);
  const authorization = authorize(lab, caller, BLOB_ACTIONS.delete, containerScope(account, containerName));
  const container = requireContainer(lab, account, containerName);
  if (!container.blobs.some(b => b.name === blobName)) throw new ServiceError(404, 'BlobNotFound', 'The specified blob does not exist.');
  container.blobs = container.blobs.filter(b => b.name !== blobName);
  lab.notify('dataPlane');
  return { result: undefined, authorization };
}
