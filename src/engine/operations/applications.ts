// App registrations and their credentials — the non-managed identities the lab contrasts
// managed identities with: client secrets, certificates and federated credentials
// (workload identity). Secrets are shown once and stored only as a hash, as Entra does.
// An app registration and its service principal are two objects, as in Entra: `az ad app
// create` makes the first, `az ad sp create` the second, `az ad sp create-for-rbac` both.
import type { Lab } from '../lab/lab';
import type {
  ApplicationState,
  FederatedCredentialState,
  KeyCredentialState,
  PasswordCredentialState,
  ReadonlyApplication,
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

/** An app registration and its service principal, in one step (what `az ad sp create-for-rbac` makes). */
export function createApplication(
  lab: Lab,
  displayName: string,
): { application: ApplicationState; servicePrincipal: ServicePrincipalState } {
  return lab.atomically(() => {
    const application = registerApplication(lab, displayName);
    return { application, servicePrincipal: createServicePrincipal(lab, application.appId) };
  });
}

/** An app registration only (`az ad app create`): no service principal yet, so nothing can sign in as it. */
export function registerApplication(lab: Lab, displayName: string): ApplicationState {
  const name = displayName.trim();
  if (!name || name.length > 120) {
    throw new LabError('InvalidArgument', 'An application needs a display name of 1-120 characters.', 400, 'displayName');
  }
  const application: ApplicationState = {
    appId: newGuid(),
    objectId: newGuid(),
    displayName: name,
    createdAt: lab.clock.now(),
    passwordCredentials: [],
    keyCredentials: [],
    federatedIdentityCredentials: [],
  };
  mutable(lab).directory.addApplication(application);
  lab.notify('identities');
  return application;
}

/** The service principal of an app registration in this tenant (`az ad sp create --id APP_ID`). */
export function createServicePrincipal(lab: Lab, appId: string): ServicePrincipalState {
  const application = requireApplication(lab, appId);
  if (lab.directory.byClientId(application.appId)) {
    // Microsoft Graph's 409 for a second service principal of the same app.
    throw new LabError('Conflict', 'Another object with the same value for property servicePrincipalNames already exists.', 409, 'appId');
  }
  const servicePrincipal: ServicePrincipalState = {
    objectId: newGuid(),
    appId: application.appId,
    displayName: application.displayName,
    servicePrincipalType: 'Application',
    alternativeNames: [],
    createdAt: lab.clock.now(),
  };
  mutable(lab).directory.add(servicePrincipal);
  lab.notify('identities');
  return servicePrincipal;
}

/** App registrations with this display name (Entra allows several). */
export const applicationsNamed = (lab: Lab, displayName: string): readonly ReadonlyApplication[] =>
  lab.directory.applications.filter(a => a.displayName === displayName);

/** Removes an app's client secrets (`az ad app credential reset` without --append does, before adding one). */
export function removePasswords(lab: Lab, appId: string): number {
  const app = requireApplication(lab, appId);
  const removed = app.passwordCredentials.length;
  app.passwordCredentials.splice(0);
  if (removed) lab.notify('identities');
  return removed;
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
