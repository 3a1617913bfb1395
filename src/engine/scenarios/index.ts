// The scenario catalogue, by id, for every surface (`milab scenario list`, the Scenarios view,
// the walkthrough). Each group of scenarios lives in its own file.
import type { ScenarioDefinition } from './types';
import { KEY_VAULT_SCENARIOS } from './keyVaultAccess';
import { IDENTITY_SCENARIOS } from './identityLifecycle';
import { DATA_SERVICE_SCENARIOS } from './dataServices';
import { ENDPOINT_SCENARIOS } from './endpoints';
import { WORKLOAD_IDENTITY_SCENARIOS } from './workloadIdentity';
import { TIME_AND_CHAIN_SCENARIOS } from './timeAndChain';

export const SCENARIOS: readonly ScenarioDefinition[] = [
  ...KEY_VAULT_SCENARIOS,
  ...IDENTITY_SCENARIOS,
  ...DATA_SERVICE_SCENARIOS,
  ...ENDPOINT_SCENARIOS,
  ...WORKLOAD_IDENTITY_SCENARIOS,
  ...TIME_AND_CHAIN_SCENARIOS,
];

export const scenarioById = (id: string): ScenarioDefinition | undefined => SCENARIOS.find(s => s.id === id);
