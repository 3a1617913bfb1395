// Multi-step inputs keep one step count through a flow: the total is fixed from the command's
// arguments when the flow starts, and an answer that skips a question does not change it.
import * as assert from 'node:assert/strict';
import { planFlow } from '../../../src/extension/input/flowPlan';

/** Walks a plan as runFlow does, answering each question with `answer(index)`; returns the "n/total" shown at each. */
function walk(plan: ReturnType<typeof planFlow>, answer: (index: number) => void): string[] {
  const shown: string[] = [];
  for (let i = plan.next(0); i !== undefined; i = plan.next(i + 1)) {
    shown.push(`${plan.numberOf(i)}/${plan.totalSteps}`);
    answer(i);
  }
  return shown;
}

describe('multi-step input: a stable step count', () => {
  it('shows the same total on every step, though an answer adds or skips later questions', () => {
    // Create Resource's shape: kind, group, (new group's name and region), name, identity.
    const answers: { newGroup?: boolean } = {};
    const steps = [{}, {}, { when: () => answers.newGroup === true }, { when: () => answers.newGroup === true }, {}, {}];
    const existing = walk(planFlow(steps), i => {
      if (i === 1) answers.newGroup = false;
    });
    assert.deepEqual(existing, ['1/6', '2/6', '5/6', '6/6']);
    const fresh = walk(planFlow(steps), i => {
      if (i === 1) answers.newGroup = true;
    });
    assert.deepEqual(fresh, ['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
    assert.equal(new Set([...existing, ...fresh].map(s => s.split('/')[1])).size, 1);
  });

  it('leaves out what the arguments already answered, decided once: answering a question does not renumber the rest', () => {
    const known: { host?: string; identity?: string } = { identity: 'id-1' };
    const steps = [{ applies: () => !known.host }, { applies: () => !known.identity }, {}];
    const plan = planFlow(steps);
    assert.deepEqual(
      walk(plan, i => {
        if (i === 0) known.host = 'vm-web';
      }),
      ['1/2', '2/2'],
    );
  });
});
