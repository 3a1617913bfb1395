// `az keyvault secret …` and `az storage container|blob …`: filled in once the engine's data-plane
// services exist.
import type { CommandSpec, GroupSpec } from '../cli/spec';

export const DATA_PLANE_GROUPS: GroupSpec[] = [];
export const DATA_PLANE_COMMANDS: CommandSpec[] = [];
