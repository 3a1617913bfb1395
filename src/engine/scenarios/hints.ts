// A scenario's hints, gentlest first, with the lab's own reading of what failed slotted in after
// the first: the diagnosis of the latest failed request the workload's hosts made since the
// scenario started (its root cause, from the trace's refusal facts, in the lab's words).
import type { Lab } from '../lab/lab';
import type { ScenarioDefinition } from './types';
import { diagnoseTrace } from '../diagnosis/diagnose';
import { named } from './kit';

const COMPUTE = ['vm', 'webapp', 'functionapp', 'aks', 'vmss', 'containerapp', 'containerinstance'];

/** The hints in the order they are given. */
export function hintsFor(lab: Lab, scenario: ScenarioDefinition): string[] {
  const [first, ...rest] = scenario.hints;
  const diagnosis = diagnosisHint(lab, scenario);
  return [first, diagnosis, ...rest].filter((h): h is string => Boolean(h));
}

function diagnosisHint(lab: Lab, scenario: ScenarioDefinition): string | undefined {
  const since = lab.scenarios.active?.id === scenario.id ? lab.scenarios.active.startedAt : 0;
  const hosts = new Set(
    [scenario.workload.runsAs, ...(scenario.workload.alsoRunsOn ?? [])]
      .map(name =>
        COMPUTE.map(type => named(lab, type, name))
          .find(Boolean)
          ?.id.toLowerCase(),
      )
      .filter((id): id is string => Boolean(id)),
  );
  const failed = [...lab.traces.all]
    .reverse()
    .find(t => t.outcome === 'failure' && t.startedAt >= since && (!t.hostResourceId || hosts.has(t.hostResourceId.toLowerCase())));
  if (!failed) return undefined;
  const finding = diagnoseTrace(lab, failed).findings[0];
  if (!finding || finding.category === 'unknown') return undefined;
  const firstSentence = /^.*?[.!?](\s|$)/.exec(finding.explanation)?.[0]?.trim() ?? finding.explanation;
  return `What the lab sees in the last failed request (${failed.title}): ${finding.title}. ${firstSentence}`;
}
