// How az prints the errors of Key Vault's and Blob Storage's data planes.
import { ServiceError } from '../../engine/services/dataCaller';
import { AzCliError, AzServiceError } from '../cli/errors';

/** A Key Vault or Storage error as az prints it. */
export function serviceFailure(error: unknown): never {
  if (!(error instanceof ServiceError)) throw error;
  if (error.code === 'AuthorizationPermissionMismatch') {
    // azure-cli storage: its own text for a 403 with --auth-mode login (the message starts on a new line).
    throw new AzCliError(
      '\nYou do not have the required permissions needed to perform this operation.\nDepending on your operation, you may need to be assigned one of the following roles:\n    "Storage Blob Data Owner"\n    "Storage Blob Data Contributor"\n    "Storage Blob Data Reader"\n    "Storage Queue Data Contributor"\n    "Storage Queue Data Reader"\n    "Storage Table Data Contributor"\n    "Storage Table Data Reader"\n\nIf you want to use the old authentication method and allow querying for the right account key, please use the "--auth-mode" parameter and "key" value.',
    );
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
