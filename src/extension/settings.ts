// The extension's settings (package.json `contributes.configuration`), read in one place, and
// applied to the running lab through its settings operations (saved with the lab).
import * as vscode from 'vscode';
import type { Lab } from '../engine/lab/lab';
import type { DiagramDetail } from '../engine/readModels/traceDiagram/mermaid';
import { setDefaultThrottling, setRbacPropagation, setTokenLifetime, TOKEN_LIFETIME_SECONDS } from '../engine/operations/settings';
import { PROPAGATION_DELAY_SECONDS } from '../engine/state/propagation';
import { LEARNING_MODES, type LearningMode } from '../engine/scenarios/learning';

export const SECTION = 'managedIdentityLab';

export interface ExtensionSettings {
  /** 0: any free port. */
  port: number;
  /** Empty: the extension's global storage. */
  stateDirectory: string;
  tokenLifetimeHours: number;
  imdsThrottling: boolean;
  /** Only when set explicitly: otherwise the lab keeps its own (a scenario may have chosen realistic). */
  rbacPropagation: 'instant' | 'realistic' | undefined;
  rbacPropagationMinutes: number;
  diagramDetail: DiagramDetail;
  /** Only when set explicitly: otherwise learning while a scenario runs, practitioner outside (engine/scenarios/learning.ts). */
  learningMode: LearningMode | undefined;
}

export function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const hours = config.get<number>('tokenLifetimeHours', 24);
  return {
    port: config.get<number>('port', 0),
    stateDirectory: config.get<string>('stateDirectory', ''),
    tokenLifetimeHours: Number.isFinite(hours) ? Math.min(24, Math.max(0.1, hours)) : 24,
    imdsThrottling: config.get<boolean>('imdsThrottling', true),
    rbacPropagation: explicitly(config, 'rbacPropagation', ['instant', 'realistic'] as const),
    rbacPropagationMinutes: Number(config.get<number>('rbacPropagationMinutes', 10)) || 10,
    diagramDetail: config.get<string>('diagram.detail', 'full') === 'compact' ? 'compact' : 'full',
    learningMode: explicitly(config, 'learningMode', LEARNING_MODES),
  };
}

/** Applies what the settings say about the lab; the lab saves only when something actually changes. */
export function applySettings(lab: Lab, settings: ExtensionSettings): void {
  setDefaultThrottling(lab, settings.imdsThrottling);
  const seconds = Math.round(settings.tokenLifetimeHours * 3600);
  setTokenLifetime(lab, Math.min(TOKEN_LIFETIME_SECONDS.max, Math.max(TOKEN_LIFETIME_SECONDS.min, seconds)));
  if (settings.rbacPropagation) {
    const delay = Math.round(settings.rbacPropagationMinutes * 60);
    setRbacPropagation(
      lab,
      settings.rbacPropagation,
      Math.min(PROPAGATION_DELAY_SECONDS.max, Math.max(PROPAGATION_DELAY_SECONDS.min, delay)),
    );
  }
}

/** A setting's value when someone set it (user, workspace or folder), else undefined. */
function explicitly<T extends string>(config: vscode.WorkspaceConfiguration, key: string, choices: readonly T[]): T | undefined {
  const inspected = config.inspect<string>(key);
  const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
  return choices.find(c => c === value);
}

/** Settings that only take effect when the lab restarts. */
export const RESTART_SETTINGS = [`${SECTION}.port`, `${SECTION}.stateDirectory`];
