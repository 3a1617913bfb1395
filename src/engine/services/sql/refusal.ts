// The facts a failed SQL login or statement leaves in its trace, the same for both doors (TDS
// and the JSON endpoint), so diagnosis reads a SQL failure the way it reads an HTTP one.
import type { Refusal, RefusalRule } from '../../trace/model';
import type { SqlError } from './sqlError';

const PERMISSION_DENIED = new Set([229, 262, 15247]);
const NOT_FOUND = new Set([4060, 40532, 208]);

function ruleOf(error: SqlError): RefusalRule {
  if (error.rule) return error.rule;
  if (error.number === 18456) return 'sqlLogin';
  if (PERMISSION_DENIED.has(error.number)) return 'sqlPermission';
  return NOT_FOUND.has(error.number) ? 'notFound' : 'other';
}

/** `claims`: the token's (verified or not), to say whose login it was. */
export function sqlRefusal(error: SqlError, claims?: Readonly<Record<string, unknown>>): Refusal {
  const oid = typeof claims?.['oid'] === 'string' ? claims['oid'] : undefined;
  const appid = typeof claims?.['appid'] === 'string' ? claims['appid'] : undefined;
  const scope = error.authorization?.scope;
  return {
    rule: ruleOf(error),
    by: 'sql',
    errorCode: String(error.number),
    ...(oid ? { principalId: oid } : {}),
    ...(appid ? { clientId: appid } : {}),
    ...(scope ? { targetResourceId: scope } : {}),
    detail: error.message.slice(0, 600),
  };
}
