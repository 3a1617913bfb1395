// The three ways an `az` command fails, as the Azure CLI reports them:
// - a usage error from its argument parser (argparse): exit code 2;
// - a CLI-side error (knack's CLIError and azure-cli's AzCLIError family): `ERROR: message`, exit 1;
// - an error response from Azure (azure-core's HttpResponseError): the OData error rendered
//   as `(Code) Message\nCode: Code\nMessage: Message` (azure-core exceptions.py,
//   ODataV4Format.__str__ / message_details), exit 1.
// azure-cli answers 404s with exit code 3 (core/util.py handle_exception); the lab's public
// contract is 0 | 1 | 2, so a 404 exits 1 here.
import type { LabError } from '../../engine/base/errors';

/** argparse's own errors: unrecognized or missing arguments, bad choices. */
export class AzUsageError extends Error {
  constructor(
    message: string,
    /** Extra lines azure-cli prints after the error (recommendations). */
    readonly recommendations: readonly string[] = [],
  ) {
    super(message);
    this.name = 'AzUsageError';
  }
}

/** A CLIError raised by a command or a validator: printed as is. */
export class AzCliError extends Error {
  constructor(
    message: string,
    readonly recommendations: readonly string[] = [],
  ) {
    super(message);
    this.name = 'AzCliError';
  }
}

/** An error answer from an Azure service, with the code it carried. */
export class AzServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** The error's `innererror` (Key Vault sends `{"code": "ForbiddenByRbac"}`). */
    readonly innerError?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AzServiceError';
  }
}

/** azure-core's rendering of an OData v4 error (an inner error as json.dumps(indent=4)). */
export function odataMessage(code: string, message: string, innerError?: Record<string, unknown>): string {
  const inner = innerError ? `\nInner error: ${JSON.stringify(innerError, null, 4)}` : '';
  return `(${code}) ${message}\nCode: ${code}\nMessage: ${message}${inner}`;
}

/** The engine speaks ARM's codes already; a few differ from what ARM itself sends. */
const ARM_CODES: Partial<Record<LabError['code'], string>> = {
  // ARM answers a role definition GUID that does not exist with RoleDefinitionDoesNotExist
  // (Azure/azure-cli#21961 shows its message).
  RoleDefinitionNotFound: 'RoleDefinitionDoesNotExist',
};

export function fromLabError(error: LabError): AzServiceError {
  return new AzServiceError(ARM_CODES[error.code] ?? error.code, error.message, error.status);
}
