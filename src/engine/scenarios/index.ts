// The scenarios defined so far, by id, for the scenario catalogue (`milab scenario list`).
import type { ScenarioDefinition } from './types';
import { TIME_AND_CHAIN_SCENARIOS } from './timeAndChain';

export const SCENARIOS: readonly ScenarioDefinition[] = [...TIME_AND_CHAIN_SCENARIOS];

export const scenarioById = (id: string): ScenarioDefinition | undefined => SCENARIOS.find(s => s.id === id);
