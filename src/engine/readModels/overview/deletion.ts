// What a deletion will do, in sentences, from `previewDeletion`: which resources go, which
// identities go with them, which role assignments are deleted and which stay behind orphaned
// ("Identity not found"), and which resources keep pointing at a deleted identity.
import type { Lab } from '../../lab/lab';
import type { DeletionReport } from '../../operations/resources';
import { parseResourceId } from '../../azure/resourceId';
import { assignmentOverview } from './identities';
import { labelledId } from '../idWords';

export interface DeletionSummary {
  /** e.g. `Delete vm-web (Virtual Machine)?` */
  question: string;
  /** One sentence per consequence, most important first. */
  consequences: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function nameOf(id: string): string {
  const parsed = parseResourceId(id);
  return parsed.kind === 'resourceGroup' ? parsed.resourceGroup! : parsed.names.join('/');
}

export function describeDeletion(lab: Lab, scope: string, report: DeletionReport): DeletionSummary {
  const parsed = parseResourceId(scope);
  const consequences: string[] = [];
  let question: string;
  if (parsed.kind === 'resourceGroup') {
    question = `Delete resource group ${parsed.resourceGroup} and everything in it?`;
    consequences.push(
      report.resources.length
        ? `${plural(report.resources.length, 'resource')} go with it: ${report.resources.map(nameOf).join(', ')}.`
        : 'It is empty.',
    );
  } else {
    const resource = lab.arm.resource(scope);
    question = `Delete ${nameOf(scope)}${resource ? ` (${resource.type.split('/').slice(-1)[0]})` : ''}?`;
    const children = report.resources.filter(id => id.toLowerCase() !== scope.toLowerCase());
    if (children.length) consequences.push(`Its ${plural(children.length, 'child resource')} go too: ${children.map(nameOf).join(', ')}.`);
  }
  for (const p of report.principals) {
    const own = lab.arm.resources.find(r => r.managedIdentity?.principalId.toLowerCase() === p.objectId.toLowerCase());
    consequences.push(
      own
        ? `The user-assigned identity ${p.displayName} (${labelledId('principal', p.objectId)}) is deleted from Microsoft Entra ID.`
        : `The system-assigned identity of ${p.displayName} (${labelledId('principal', p.objectId)}) is deleted with it; ` +
            'enabling one again later creates a new principal with a new id.',
    );
  }
  if (report.orphanedAssignments.length) {
    const list = report.orphanedAssignments.map(a => {
      const o = assignmentOverview(lab, a);
      return `${o.roleName} on ${o.scope.text}`;
    });
    const whose = report.principals.length === 1 ? 'that identity' : 'those identities';
    const stay = report.orphanedAssignments.length === 1 ? 'stays' : 'stay';
    consequences.push(
      `${plural(report.orphanedAssignments.length, 'role assignment')} of ${whose} ${stay} behind as "Identity not found": ${list.join('; ')}.`,
    );
  }
  if (report.removedAssignments.length) {
    const are = report.removedAssignments.length === 1 ? 'is' : 'are';
    consequences.push(`${plural(report.removedAssignments.length, 'role assignment')} scoped to what is deleted ${are} deleted with it.`);
  }
  if (report.danglingReferences.length) {
    const hosts = [...new Set(report.danglingReferences.map(d => nameOf(d.hostId)))];
    const listVerb = hosts.length === 1 ? 'lists' : 'list';
    consequences.push(
      `${hosts.join(', ')} still ${listVerb} the deleted identity; token requests for it will fail with "Identity not found" until it is detached.`,
    );
  }
  if (report.principals.length === 0 && parsed.kind === 'resource') consequences.push('It has no managed identity of its own.');
  return { question, consequences };
}
