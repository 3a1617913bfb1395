// App registrations and their credentials — the non-managed identities the lab contrasts
// managed identities with: client secrets, certificates and federated credentials
// (workload identity). Secrets are shown once and stored only as a hash, as Entra does.
import type { Lab } from '../lab/lab';
import type {
  ApplicationState,
  FederatedCredentialState,
  KeyCredentialState,
  PasswordCredentialState,
  ReadonlyFederatedCredential,
  ReadonlyResource,
  ServicePrincipalState,
} from '../state/labState';
import { LabError } from '../base/errors';
import { mutable } from '../lab/mutable';
import { newGuid } from '../base/ids';
import { fromBase64, sha1, sha256, toBase64, toHex, utf8 } from '../base/encoding';
import { sameId } from '../azure/resourceId';
import { USER_ASSIGNED_TYPE } from './identities';

export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const YEAR = 365 * 24 * 3600_000;

export function createApplication(
  lab: Lab,
  displayName: string,
): { application: ApplicationState; servicePrincipal: ServicePrincipalState } {
  const name = displayName.trim();
  if (!name || name.length > 120) {
    throw new LabError('InvalidArgument', 'An application needs a display name of 1-120 characters.', 400, 'displayName');
  }
  const now = lab.clock.now();
  const application: ApplicationState = {
    appId: newGuid(),
    objectId: newGuid(),
    displayName: name,
    createdAt: now,
    passwordCredentials: [],
    keyCredentials: [],
    federatedIdentityCredentials: [],
  };
  const servicePrincipal: ServicePrincipalState = {
    objectId: newGuid(),
    appId: application.appId,
    displayName: name,
    servicePrincipalType: 'Application',
    alternativeNames: [],
    createdAt: now,
  };
  const { directory } = mutable(lab);
  directory.addApplication(application);
  directory.add(servicePrincipal);
  lab.notify('identities');
  return { application, servicePrincipal };
}

/** The app registration to change (live: only operations get it). */
function requireApplication(lab: Lab, appId: string): ApplicationState {
  const app = mutable(lab).directory.application(appId);
  if (!app) throw new LabError('NotFound', `No application with app id '${appId}' in this lab.`, 404, 'appId');
  return app;
}

/** Entra's secret format: 40 characters, the fourth to sixth being a version marker like "8Q~". */
function newSecretText(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
  const random = crypto.getRandomValues(new Uint8Array(37));
  const chars = Array.from(random, b => alphabet[b % alphabet.length]!);
  return `${chars.slice(0, 3).join('')}8Q~${chars.slice(3, 37).join('')}`;
}

export async function hashSecret(secret: string): Promise<string> {
  return toBase64(await sha256(utf8(secret)));
}

export async function addPassword(
  lab: Lab,
  appId: string,
  displayName = 'lab secret',
  lifetimeMs = YEAR,
): Promise<{ secretText: string; credential: PasswordCredentialState }> {
  const app = requireApplication(lab, appId);
  const secretText = newSecretText();
  const now = lab.clock.now();
  const credential: PasswordCredentialState = {
    keyId: newGuid(),
    displayName,
    hint: secretText.slice(0, 3),
    secretHash: await hashSecret(secretText),
    startDateTime: now,
    endDateTime: now + lifetimeMs,
  };
  app.passwordCredentials.push(credential);
  lab.notify('identities');
  return { secretText, credential };
}

export async function addCertificate(
  lab: Lab,
  appId: string,
  certificateBase64: string,
  displayName = 'lab certificate',
): Promise<KeyCredentialState> {
  const app = requireApplication(lab, appId);
  const der = fromBase64(certificateBase64.replace(/-----[^-]+-----|\s/g, ''));
  if (!der || der.length < 100 || der[0] !== 0x30) {
    throw new LabError('InvalidArgument', 'The certificate must be a DER or PEM X.509 certificate.', 400, 'certificate');
  }
  const now = lab.clock.now();
  const credential: KeyCredentialState = {
    keyId: newGuid(),
    displayName,
    thumbprint: toHex(await sha1(der)).toUpperCase(),
    certificate: toBase64(der),
    startDateTime: now,
    endDateTime: now + YEAR,
  };
  app.keyCredentials.push(credential);
  lab.notify('identities');
  return credential;
}

const FIC_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/;

/** Adds a federated credential to an app registration (by app id) or a user-assigned identity (by ARM id). */
export function addFederatedCredential(
  lab: Lab,
  target: string,
  credential: Omit<FederatedCredentialState, 'audiences'> & { audiences?: string[] },
): FederatedCredentialState {
  if (!FIC_NAME.test(credential.name)) {
    throw new LabError(
      'InvalidArgument',
      'A federated credential name has 3-120 letters, digits, hyphens and underscores, starting with a letter or digit.',
      400,
      'name',
    );
  }
  if (!/^https:\/\/\S+$/.test(credential.issuer)) {
    throw new LabError('InvalidArgument', "The issuer must be an https URL (the workload's OIDC issuer).", 400, 'issuer');
  }
  if (!credential.subject.trim()) throw new LabError('InvalidArgument', 'The subject is required.', 400, 'subject');
  const full: FederatedCredentialState = {
    name: credential.name,
    issuer: credential.issuer,
    subject: credential.subject,
    audiences: credential.audiences?.length ? credential.audiences : [TOKEN_EXCHANGE_AUDIENCE],
  };
  const list = federatedCredentialsToChange(lab, target);
  if (list.some(f => f.name === full.name)) {
    throw new LabError('Conflict', `A federated credential named '${full.name}' already exists.`, 409, 'name');
  }
  if (list.some(f => f.issuer === full.issuer && f.subject === full.subject)) {
    throw new LabError('Conflict', 'A federated credential with the same issuer and subject already exists.', 409, 'subject');
  }
  list.push(full);
  lab.notify('identities');
  return full;
}

/** The federated credentials of an app (by app id) or user-assigned identity (by ARM id or client id). */
export function federatedCredentialsOf(lab: Lab, target: string): readonly ReadonlyFederatedCredential[] | undefined {
  const app = lab.directory.application(target);
  if (app) return app.federatedIdentityCredentials;
  const identity = userAssignedIdentityByIdOrClientId(lab, target);
  return identity ? (identity.federatedIdentityCredentials ?? []) : undefined;
}

/** The live list to add a federated credential to. */
function federatedCredentialsToChange(lab: Lab, target: string): FederatedCredentialState[] {
  const app = mutable(lab).directory.application(target);
  if (app) return app.federatedIdentityCredentials;
  const found = userAssignedIdentityByIdOrClientId(lab, target);
  const identity = found && mutable(lab).arm.resource(found.id);
  if (identity) return (identity.federatedIdentityCredentials ??= []);
  throw new LabError('NotFound', `No application or user-assigned identity '${target}' in this lab.`, 404, 'target');
}

export function userAssignedIdentityByIdOrClientId(lab: Lab, idOrClientId: string): ReadonlyResource | undefined {
  return lab.arm.resources.find(
    r =>
      r.type.toLowerCase() === USER_ASSIGNED_TYPE.toLowerCase() &&
      (sameId(r.id, idOrClientId) || r.managedIdentity?.clientId.toLowerCase() === idOrClientId.toLowerCase()),
  );
}
