// Whether a role can do what a principal was denied, and which plane it covers — the warning
// before a role is assigned that would not fix the 403 (Key Vault Reader or Owner for reading a
// secret: control-plane roles, the secret is a data action; SQL DB Contributor manages the
// database but is no login). Engine RBAC only (azure/permissions.ts, azure/actions.ts).
import type { RoleDefinition } from '../../state/roleDefinitions';
import { evaluatePermissions, type Plane } from '../../azure/permissions';
import { planeOf } from '../../azure/actions';
import { courseNoteForRole } from '../courseDifferences';

export interface RoleFit {
  /** The role grants the action on its plane. */
  grants: boolean;
  /** The planes the role has permissions on. */
  planes: Plane[];
  action: string;
  plane: Plane;
  /** One sentence for the learner; present when the role does not grant the action. */
  warning?: string;
  /** A few words for a picker, when it does not: "control plane only", "no data action for it". */
  short?: string;
  /** Where the course material says otherwise about this role (Key Vault Reader, SQL DB Contributor): Azure's reading. */
  course?: string;
}

const PLANE_WORDS: Record<Plane, string> = {
  control: 'the control plane (managing resources through Azure Resource Manager)',
  data: 'the data plane (what is inside a resource: secrets, blobs)',
};

export function planesOf(role: Pick<RoleDefinition, 'permissions'>): Plane[] {
  const control = role.permissions.some(p => p.actions.length > 0);
  const data = role.permissions.some(p => p.dataActions.length > 0);
  return [...(control ? (['control'] as const) : []), ...(data ? (['data'] as const) : [])];
}

export function roleFit(role: Pick<RoleDefinition, 'roleName' | 'permissions'>, action: string, plane: Plane = planeOf(action)): RoleFit {
  const planes = planesOf(role);
  const verdict = evaluatePermissions(role.permissions, action, plane);
  const course = courseNoteForRole(role.roleName);
  if (verdict.granted) return { grants: true, planes, action, plane, ...(course ? { course } : {}) };
  const covers = planes.length ? `covers ${planes.map(p => PLANE_WORDS[p]).join(' and ')}` : 'grants nothing';
  const why = verdict.excludedBy
    ? `it excludes it (${verdict.excludedBy})`
    : !planes.includes(plane)
      ? `${action} is a ${plane === 'data' ? 'data' : 'management'} action`
      : `none of its ${plane === 'data' ? 'data actions' : 'actions'} match ${action}`;
  const short = verdict.excludedBy
    ? `excludes it (${verdict.excludedBy})`
    : !planes.includes(plane)
      ? `${planes[0] ?? 'no'} plane only`
      : `no ${plane === 'data' ? 'data action' : 'action'} for it`;
  return {
    grants: false,
    planes,
    action,
    plane,
    short,
    warning: `${role.roleName} cannot do what was denied: it ${covers}, and ${why}.`,
    ...(course ? { course } : {}),
  };
}
