// What the extension returns from activate(): used by its integration tests, and by anyone
// scripting the lab from another extension (its commands also take arguments).
import type * as vscode from 'vscode';
import type { Lab } from '../engine/lab/lab';
import type { ResourceNode } from './views/nodes';
import type { TokenFlowPanel } from './tokenFlow/tokenFlowPanel';
import type { ResourcesTreeProvider } from './views/resourcesTree';
import type { IdentitiesTreeProvider } from './views/identitiesTree';
import type { ActivityTreeProvider } from './views/activityTree';
import type { ScenariosTreeProvider } from './scenarios/scenariosTree';
import type { ShownMessage } from './feedback/outcome';
import type { EndpointsStatus } from './status/endpointsStatus';
import type { DiagnosisPanel } from './diagnosis/diagnosisPanel';
import type { ClockStatus } from './status/clockStatus';

export interface LabExtensionApi {
  /** How long activate() took, in milliseconds. */
  activationMs: number;
  /** The lab, once it has started. */
  ready(): Promise<Lab>;
  serverUrl(): Promise<string>;
  tokenFlow: TokenFlowPanel;
  /** The Diagnosis panel (what it shows, its last status, what its CSP blocked). */
  diagnosis: DiagnosisPanel;
  resourcesTree: ResourcesTreeProvider;
  /** The Resources view itself (its description and message say what the filter is). */
  resourcesView: vscode.TreeView<ResourceNode>;
  identitiesTree: IdentitiesTreeProvider;
  activityTree: ActivityTreeProvider;
  scenariosTree: ScenariosTreeProvider;
  status: EndpointsStatus;
  clockStatus: ClockStatus;
  /** Notifications shown to the person, oldest first (the last 50). */
  shownMessages: readonly ShownMessage[];
  /** The folder the lab's state is saved in. */
  stateDirectory: string;
}
