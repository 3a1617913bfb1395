// A sample lab served on loopback for one describe block (before/after hooks), and what the
// tests over it share: reproducing a diagnosis category's failure through the real endpoints,
// and a diagram's text as Mermaid will show it.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { labServiceUrls } from '../../../src/engine/azure/serviceDomains';
import { reproduce } from '../../../src/engine/diagnosis/reproduce';
import { runWorkload } from '../../../src/host/workload';
import type { Category } from '../../../src/engine/diagnosis/categories';
import type { Lab } from '../../../src/engine/lab/lab';
import type { Trace } from '../../../src/engine/trace/model';

export interface LiveLab {
  readonly lab: Lab;
  readonly server: RunningLabServer;
  /** Sets up the category's failure, runs its workload and returns the refused request's trace. */
  failed(category: Category): Promise<Trace>;
}

/** A lab and its server, started before the block's tests and closed after them. */
export async function startLiveLab(): Promise<{ lab: Lab; server: RunningLabServer }> {
  const lab = await createLab();
  const server = await startLabServer(lab);
  lab.serviceUrls = labServiceUrls(server.httpsUrl);
  return { lab, server };
}

/** Registers the hooks in the calling describe block; read `lab`/`server` inside tests only. */
export function useLiveLab(): LiveLab {
  let started: { lab: Lab; server: RunningLabServer } | undefined;
  before(async () => {
    started = await startLiveLab();
  });
  after(() => started?.server.close());
  const live: LiveLab = {
    get lab() {
      return started!.lab;
    },
    get server() {
      return started!.server;
    },
    async failed(category) {
      const { workload } = await reproduce(live.lab, category);
      const result = await runWorkload(live.lab, live.server, workload);
      assert.equal(result.ok, false);
      return live.lab.traces.byId(result.traceId!)!;
    },
  };
  return live;
}

/** The diagram's text as Mermaid will show it: line breaks as spaces, entities as characters. */
export const shownText = (mermaid: string): string =>
  mermaid.replace(/<br\/>/g, ' ').replace(/#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)));
