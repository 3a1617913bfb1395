// What "run as a resource" commands share: which compute resource the app runs on, and which
// of its identities it asks for (none named: what an SDK does without AZURE_CLIENT_ID).
import type { Lab } from '../../engine/lab/lab';
import type { ReadonlyResource } from '../../engine/state/labState';
import { hasTokenEndpoint, resourceTypeOf } from '../../engine/azure/resourceTypes';
import type { IdentityChoice } from '../../host/appClient';
import { ArgumentError } from '../feedback/outcome';
import type { FlowStep } from '../input/flow';
import { resourceItems, type ValueItem } from '../input/items';
import { optionalText } from '../input/args';
import { identityIds } from '../../engine/readModels/idWords';

export interface RunAsAnswers {
  hostId?: string;
  /** Null: the endpoint's default. */
  identity?: IdentityChoice | null;
}

export function requireTokenHost(lab: Lab, hostId: string): ReadonlyResource {
  const host = lab.arm.resource(hostId);
  if (!host) throw new ArgumentError(`There is no resource '${hostId}' in the lab.`);
  const info = resourceTypeOf(host.type, host.kind);
  if (!hasTokenEndpoint(info)) {
    throw new ArgumentError(
      info?.tokenEndpoint === 'serviceManaged'
        ? `A ${info.displayName} uses its identity inside the service; there is no token endpoint for code on it.`
        : `${host.name} is a ${info?.displayName ?? host.type}: code does not run on it, so it cannot request tokens.`,
    );
  }
  return host;
}

/** `{ by, value }` from script arguments, checked. */
export function readIdentityArg(args: object): IdentityChoice | undefined {
  const value = (args as { identity?: unknown }).identity;
  if (value === undefined) return undefined;
  const by = typeof value === 'object' && value !== null ? (value as { by?: unknown }).by : undefined;
  if (by !== 'clientId' && by !== 'objectId' && by !== 'resourceId') {
    throw new ArgumentError("'identity' must be { by: 'clientId' | 'objectId' | 'resourceId', value: '…' }.");
  }
  return { by, value: optionalText(value as object, 'value', 'the identity’s client id, object id or resource id') ?? '' };
}

export function hostStep(lab: Lab, title: string, answers: RunAsAnswers): FlowStep {
  return {
    applies: () => !answers.hostId,
    ask: async (input, at) => {
      const items = resourceItems(lab, (_r, info) => hasTokenEndpoint(info));
      if (!items.length) {
        throw new ArgumentError('The lab has no compute resource with a token endpoint (a VM, an App Service app…): create one first.');
      }
      answers.hostId = (await input.showQuickPick({ title, ...at, items, placeholder: 'The code runs on…' })).value;
    },
  };
}

/** Asked only when the host has a user-assigned identity (else there is nothing to choose). */
export function identityStep(lab: Lab, title: string, answers: RunAsAnswers): FlowStep {
  return {
    applies: () => answers.identity === undefined,
    when: () => (lab.arm.resource(answers.hostId ?? '')?.identity?.userAssigned.length ?? 0) > 0,
    ask: async (input, at) => {
      const host = lab.arm.resource(answers.hostId!)!;
      const items: Array<ValueItem<IdentityChoice | null>> = [
        {
          label: 'Default identity',
          description: 'no client id in the request (DefaultAzureCredential without AZURE_CLIENT_ID)',
          value: null,
        },
      ];
      if (host.identity?.systemAssigned) {
        items.push({
          label: '$(vm-active) System-assigned',
          description: identityIds(host.identity.systemAssigned),
          value: { by: 'objectId', value: host.identity.systemAssigned.principalId },
        });
      }
      for (const u of host.identity?.userAssigned ?? []) {
        items.push({
          label: `$(person) ${u.resourceId.split('/').pop()}`,
          description: identityIds(u),
          value: { by: 'clientId', value: u.clientId },
        });
      }
      answers.identity = (await input.showQuickPick({ title, ...at, items, placeholder: 'As which identity?' })).value;
    },
  };
}
