// How az prints the errors of Key Vault's and Blob Storage's data planes.
import { ServiceError } from '../../engine/services/dataCaller';
import { AzCliError, AzServiceError } from '../cli/errors';
import { STORAGE_LOGIN_FORBIDDEN } from './messages';

/** A Key Vault or Storage error as az prints it. */
export function serviceFailure(error: unknown): never {
  if (!(error instanceof ServiceError)) throw error;
  if (error.code === 'AuthorizationPermissionMismatch') {
    throw new AzCliError(STORAGE_LOGIN_FORBIDDEN);
  }
  if (error.status === 403 || error.code === 'SecretNotFound' || error.code === 'BadParameter' || error.code === 'Conflict') {
    throw new AzServiceError(error.code, error.message, error.status, error.innerCode ? { code: error.innerCode } : undefined);
  }
  // azure-storage-blob's StorageErrorException text ends with the error code.
  throw new AzCliError(`${error.message}\nErrorCode:${error.code}`);
}

export function attempt<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    return serviceFailure(error);
  }
}
