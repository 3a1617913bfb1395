// Course material is full of placeholders (`<principal-id>`, `{sub}`, `mySubscription`,
// `<RESOURCE GROUP>`). Pasted as written, real az would send them to Azure and get a confusing
// answer back; the lab stops first and says what it expected, with the lab's real values.
import type { Lab } from '../engine/lab/lab';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import type { ArgValue, OptionSpec } from './cli/spec';
import { AzCliError } from './cli/errors';

/** Words the seeds use for "your subscription". */
const SUBSCRIPTION_WORDS =
  /^(?:mysubscription|subscription|subscription-?id|subscriptionid|sub|your-?subscription(?:-?id)?|subscripton id|subscription id)$/i;

const BRACKETED = /<[^<>]+>|\{[A-Za-z][\w\s-]*\}/g;

interface Finding {
  option: string;
  value: string;
  token: string;
}

export function findPlaceholders(values: Iterable<[OptionSpec, ArgValue]>): Finding[] {
  const findings: Finding[] = [];
  for (const [option, value] of values) {
    if (option.freeText || typeof value === 'boolean') continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      const bracketed = v.match(BRACKETED);
      if (bracketed) for (const token of bracketed) findings.push({ option: option.names[0]!, value: v, token });
      else if (SUBSCRIPTION_WORDS.test(v)) findings.push({ option: option.names[0]!, value: v, token: v });
    }
  }
  return findings;
}

/** Throws the lab's explanation of every placeholder found; does nothing when there is none. */
export function rejectPlaceholders(lab: Lab, values: Iterable<[OptionSpec, ArgValue]>): void {
  const findings = findPlaceholders(values);
  if (findings.length === 0) return;
  const lines = findings.flatMap(({ option, value, token }) => {
    const inner = token.replace(/^[<{]|[>}]$/g, '');
    const fixed = suggestion(lab, option, value, token, inner);
    return [
      `${option} '${value}': '${token}' is a placeholder from the course material, not a value. The lab expected ${expectation(lab, option, inner)}.`,
      ...(fixed ? [`Did you mean: ${option} '${fixed}'`] : []),
    ];
  });
  throw new AzCliError(lines[0]!, lines.slice(1));
}

type Kind = 'subscription' | 'principal' | 'group' | 'identity' | 'role' | 'vault' | 'vm' | 'other';

function kindOf(option: string, inner: string): Kind {
  const word = inner.toLowerCase();
  if (/sub/.test(word) && !/subnet/.test(word)) return 'subscription';
  if (
    /principal|object|managed-identity-id|identity-id|assignee/.test(word) ||
    option === '--assignee' ||
    option === '--assignee-object-id'
  ) {
    return 'principal';
  }
  if (/user assigned identity|identity name|uami/.test(word) || option === '--identities' || option === '--assign-identity') {
    return 'identity';
  }
  if (/resource ?group|^rg$|groupname/.test(word) || option === '--resource-group') return 'group';
  if (/role/.test(word) || option === '--role') return 'role';
  if (/^kv$|vault/.test(word)) return 'vault';
  if (/vm|virtual ?machine/.test(word)) return 'vm';
  return 'other';
}

function expectation(lab: Lab, option: string, inner: string): string {
  const names = (key: string) => lab.arm.resources.filter(r => resourceTypeOf(r.type, r.kind)?.key === key).map(r => r.name);
  const list = (items: string[], none: string) => (items.length ? items.slice(0, 8).join(', ') : none);
  switch (kindOf(option, inner)) {
    case 'subscription':
      return `a subscription; this lab's subscription id is ${lab.defaultSubscriptionId} (scope /subscriptions/${lab.defaultSubscriptionId})`;
    case 'principal': {
      const principals = lab.arm.resources.flatMap(r => [
        ...(r.identity?.systemAssigned ? [`${r.name} (system-assigned) ${r.identity.systemAssigned.principalId}`] : []),
        ...(r.managedIdentity ? [`${r.name} (user-assigned) ${r.managedIdentity.principalId}`] : []),
      ]);
      const none = 'no managed identities yet (turn one on with az vm identity assign or create one with az identity create)';
      return `the principal (object) id of an identity; in this lab: ${list(principals, none)}`;
    }
    case 'group':
      return `a resource group name; in this lab: ${list(
        lab.arm.groups.map(g => g.name),
        'none yet (az group create -n NAME -l eastus)',
      )}`;
    case 'identity':
      return `the name or resource id of a user-assigned identity; in this lab: ${list(names('identity'), 'none yet (az identity create -g GROUP -n NAME)')}`;
    case 'role':
      return "a role name or id, e.g. 'Key Vault Secrets User', 'Reader' or 'Contributor' (az role definition list --query [].roleName)";
    case 'vault':
      return `a key vault name; in this lab: ${list(names('keyvault'), 'none yet (az keyvault create -g GROUP -n NAME)')}`;
    case 'vm':
      return `a virtual machine name; in this lab: ${list(names('vm'), 'none yet')}`;
    case 'other':
      return 'a real value in its place';
  }
}

/** For a placeholder inside a longer value (a scope), the value with the lab's own value put in. */
function suggestion(lab: Lab, option: string, value: string, token: string, inner: string): string | undefined {
  if (kindOf('', inner) !== 'subscription') return undefined;
  if (value !== token) return value.replace(token, lab.defaultSubscriptionId);
  return option === '--scope' ? `/subscriptions/${lab.defaultSubscriptionId}` : lab.defaultSubscriptionId;
}
