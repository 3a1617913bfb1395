// What the extension returns from activate(): used by its integration tests, and by
// anyone scripting the lab from another extension.
import type { Lab } from '../engine/lab';
import type { TokenFlowPanel } from './tokenFlow/tokenFlowPanel';
import type { ResourcesTreeProvider } from './views/resourcesTree';

export interface LabExtensionApi {
  /** How long activate() took, in milliseconds. */
  activationMs: number;
  /** The lab, once it has started. */
  ready(): Promise<Lab>;
  serverUrl(): Promise<string>;
  tokenFlow: TokenFlowPanel;
  resourcesTree: ResourcesTreeProvider;
}
