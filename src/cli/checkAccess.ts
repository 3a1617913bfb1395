// `milab check-access --assignee ID --action ACTION --scope SCOPE [--json] [--data-action]`:
// the RBAC decision with its reasons. Exit code 0 when allowed, 1 when denied or on error,
// 2 for usage errors.
import * as path from 'node:path';
import { openLab } from '../host/labHost';
import { resolvePrincipal } from '../engine/lab/resolvePrincipal';
import { isLabError } from '../engine/base/errors';
import type { Decision } from '../engine/state/accessDecisions';
import type { CliIo } from './cli';
import { parseOptions, UsageError } from './args';

export const CHECK_ACCESS_USAGE = `Usage: milab check-access --assignee ID --action ACTION --scope SCOPE [--data-action] [--state DIR] [--json]

  --assignee     object id, client id, user principal name, display name, or the ARM id of
                 the resource a managed identity belongs to
  --action       e.g. Microsoft.KeyVault/vaults/secrets/getSecret/action
  --scope        an ARM id: subscription, resource group, resource or below
  --data-action  treat ACTION as a data action (known data actions are detected)
  --state DIR    the lab's state directory (default ./.milab)
  --json         print the decision as JSON

Exit code: 0 allowed, 1 denied (or an error), 2 usage error.
`;

export async function checkAccess(argv: string[], io: CliIo): Promise<number> {
  let options: Map<string, string | true>;
  try {
    ({ options } = parseOptions(argv, [
      { name: 'assignee', value: true },
      { name: 'action', value: true },
      { name: 'scope', value: true },
      { name: 'data-action', value: false },
      { name: 'state', value: true },
      { name: 'json', value: false },
      { name: 'help', short: 'h', value: false },
    ]));
    if (options.has('help')) {
      io.stdout.write(CHECK_ACCESS_USAGE);
      return 0;
    }
    const missing = ['assignee', 'action', 'scope'].filter(k => !options.has(k));
    if (missing.length) throw new UsageError(`the following arguments are required: ${missing.map(m => `--${m}`).join(', ')}`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`milab check-access: error: ${error.message}\n${CHECK_ACCESS_USAGE}`);
    return 2;
  }

  const lab = await openLab(path.resolve(String(options.get('state') ?? '.milab')), 'milab check-access');
  const assignee = String(options.get('assignee'));
  const resolution = resolvePrincipal(lab, assignee);
  if (resolution.kind !== 'found') {
    const why =
      resolution.kind === 'ambiguous'
        ? `'${assignee}' matches ${resolution.matches.length} principals; use an object id`
        : `no principal '${assignee}' in this lab's directory`;
    io.stderr.write(`milab check-access: ${why}.\n`);
    return 1;
  }
  let decision: Decision;
  try {
    decision = lab.access.decide({
      principalId: resolution.principal.objectId,
      action: String(options.get('action')),
      scope: String(options.get('scope')),
      ...(options.has('data-action') ? { plane: 'data' as const } : {}),
      groupIds: lab.directory.memberOf(resolution.principal.objectId),
    });
  } catch (error) {
    if (!isLabError(error)) throw error;
    io.stderr.write(`milab check-access: ${error.message}\n`);
    return 1;
  }
  if (options.has('json')) {
    io.stdout.write(
      JSON.stringify(
        {
          principal: {
            objectId: resolution.principal.objectId,
            displayName: resolution.principal.displayName,
            type: resolution.principal.kind,
          },
          ...decision,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const type = resolution.principal.kind === 'User' ? 'User' : 'ServicePrincipal';
    io.stdout.write(formatDecision(decision, `${resolution.principal.displayName} (${type} ${resolution.principal.objectId})`, type));
  }
  return decision.allowed ? 0 : 1;
}

export function formatDecision(d: Decision, who: string, principalType: 'User' | 'ServicePrincipal'): string {
  const lines = [
    d.summary,
    '',
    `Principal: ${who}`,
    `Action:    ${d.action} (${d.plane === 'data' ? 'data action' : 'management action'})`,
    `Scope:     ${d.scope}`,
  ];
  if (d.grants.length) {
    lines.push('', 'Granted by:');
    for (const g of d.grants) lines.push(`  - ${g.roleName} at ${g.scope}${g.inherited ? ' (inherited)' : ''}, via '${g.grantedBy}'`);
  }
  if (d.considered.length) {
    lines.push('', d.allowed ? 'Also looked at:' : 'Looked at:');
    for (const c of d.considered) lines.push(`  - ${c.roleName} at ${c.scope}: ${c.reason}`);
  }
  if (d.suggestion) {
    lines.push('', `Would grant it: '${d.suggestion.roleName}' at ${d.suggestion.scope}`);
    lines.push(
      `  az role assignment create --assignee-object-id ${d.principalId} --assignee-principal-type ${principalType} ` +
        `--role "${d.suggestion.roleName}" --scope "${d.suggestion.scope}"`,
    );
  }
  return lines.join('\n') + '\n';
}
