// The `az` twin of each diagnosis fix: the command line that does the same on Azure. Most are
// the UI's own twins (twin.ts, which also run in the lab); three are real az commands the lab's
// az does not simulate (federated credentials, app secrets, Key Vault access policies) — shown
// for use on Azure. A fix with placeholders gets its line with the placeholders in it.
import type { Lab } from '../engine/lab/lab';
import type { FixAction } from '../engine/diagnosis/model';
import { parseResourceId } from '../engine/azure/resourceId';
import { TOKEN_EXCHANGE_AUDIENCE } from '../engine/operations/applications';
import { shellQuote } from '../engine/base/shellQuote';
import {
  attachUserAssignedTwin,
  createRoleAssignmentTwin,
  deleteRoleAssignmentTwin,
  enableSystemAssignedTwin,
  requestTokenTwin,
  showSecretTwin,
} from './twin';

const az = (...words: string[]): string => ['az', ...words.map(w => (/^--?[a-z-]+$/.test(w) ? w : shellQuote(w)))].join(' ');

/** The `az` line of a fix, or undefined when it has none (T-SQL, or a change to the app's request). */
export function fixTwin(action: FixAction | undefined, lab?: Lab): string | undefined {
  if (!action) return undefined;
  try {
    switch (action.kind) {
      case 'createRoleAssignment':
        return createRoleAssignmentTwin(action);
      case 'deleteRoleAssignment':
        return deleteRoleAssignmentTwin(action);
      case 'enableSystemAssigned':
        return enableSystemAssignedTwin(action.resourceId, lab?.arm.resource(action.resourceId)?.kind);
      case 'assignUserIdentities':
        return attachUserAssignedTwin(action.resourceId, action.identityIds, lab?.arm.resource(action.resourceId)?.kind);
      case 'addFederatedCredential': {
        if (action.target.startsWith('/')) {
          const parsed = parseResourceId(action.target);
          return az(
            'identity',
            'federated-credential',
            'create',
            '--name',
            action.name,
            '--identity-name',
            parsed.names[0]!,
            '--resource-group',
            parsed.resourceGroup ?? '',
            '--issuer',
            action.issuer,
            '--subject',
            action.subject,
            '--audiences',
            TOKEN_EXCHANGE_AUDIENCE,
          );
        }
        const parameters = JSON.stringify({
          name: action.name,
          issuer: action.issuer,
          subject: action.subject,
          audiences: [TOKEN_EXCHANGE_AUDIENCE],
        });
        return az('ad', 'app', 'federated-credential', 'create', '--id', action.target, '--parameters', parameters);
      }
      case 'addClientSecret':
        return az('ad', 'app', 'credential', 'reset', '--id', action.appId, '--append');
      case 'setKeyVaultAccessPolicy':
        return az(
          'keyvault',
          'set-policy',
          '--name',
          action.vaultName,
          '--object-id',
          action.objectId,
          '--secret-permissions',
          ...action.secretPermissions,
        );
      case 'rerun': {
        const w = action.workload;
        // az's nearest commands act as the signed-in user, not as the resource (as the UI's own twins say).
        if (w.kind === 'token') return requestTokenTwin(w.resource);
        if (w.kind === 'readSecret') return showSecretTwin(w.vault, w.secret);
        return undefined;
      }
      case 'createSqlUser':
      case 'clearEndpointFault':
        return undefined;
    }
  } catch {
    // A resource id the text redacted cannot be split into a group and a name: no line.
    return undefined;
  }
}
