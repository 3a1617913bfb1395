// Finding the compute resource a command means: by ARM id or by name.
import type { Lab } from './lab';
import type { ReadonlyResource } from '../state/labState';
import { tryParseResourceId } from '../azure/resourceId';
import { resourceTypeOf } from '../azure/resourceTypes';

export type HostResolution = { ok: true; host: ReadonlyResource } | { ok: false; message: string };

export function resolveComputeResource(lab: Lab, text: string): HostResolution {
  const byId = tryParseResourceId(text) ? lab.arm.resource(text) : undefined;
  const candidates = byId ? [byId] : lab.arm.resources.filter(r => r.name.toLowerCase() === text.toLowerCase());
  const compute = candidates.filter(r => resourceTypeOf(r.type, r.kind)?.role === 'compute');
  if (compute.length === 1) return { ok: true, host: compute[0]! };
  if (compute.length > 1) {
    return {
      ok: false,
      message: `'${text}' names ${compute.length} resources; use its resource id:\n${compute.map(r => `  ${r.id}`).join('\n')}`,
    };
  }
  if (candidates.length) {
    return {
      ok: false,
      message: `'${text}' is a ${resourceTypeOf(candidates[0]!.type)?.displayName ?? candidates[0]!.type}, not a compute resource: code does not run "as" it.`,
    };
  }
  const names = lab.arm.resources.filter(r => resourceTypeOf(r.type, r.kind)?.role === 'compute').map(r => r.name);
  return {
    ok: false,
    message: `No compute resource '${text}' in this lab.${names.length ? ` Compute resources: ${names.join(', ')}.` : ''}`,
  };
}
