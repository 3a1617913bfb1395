// Unbounded growth: 40,000 token requests, each for a distinct spelling of a resource (surrounding
// spaces, runs of trailing slashes), must not grow the server. Entra names no application for such
// a spelling (AADSTS500011), so none gets a token or a cache entry; memory is measured after a full
// GC in a child process (test/fixtures/resourceFlood.ts). Stated bound: RSS grows by less than
// 48 MB and the heap by less than 8 MB (measured here: about +11 MB RSS, +0 MB heap).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const RSS_BOUND_MB = 48;
const HEAP_BOUND_MB = 8;

describe('server: per-request structures are bounded', function () {
  this.timeout(180_000);

  it('40,000 distinct resource values: only Entra’s spellings get tokens, and memory stays within its bound', () => {
    const run = spawnSync(process.execPath, ['--expose-gc', path.resolve(__dirname, '../../fixtures/resourceFlood.js')], {
      encoding: 'utf8',
      timeout: 170_000,
    });
    const facts = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}');
    assert.equal(facts.error, undefined, facts.error ?? run.stderr);
    console.log(
      `      40,000 requests in ${facts.seconds} s: RSS ${facts.rssBeforeMb} → ${facts.rssAfterMb} MB, heap ${facts.heapBeforeMb} → ${facts.heapAfterMb} MB, ` +
        `${facts.cachedTokens} cached tokens, ${facts.traces} traces kept`,
    );
    // 'https://vault.azure.net' and 'https://vault.azure.net/' are the two Entra takes; spaces or '//' are AADSTS500011.
    assert.deepEqual(facts.statuses, { 200: 2, 400: 39_998 });
    assert.ok(facts.cachedTokens <= 2, `${facts.cachedTokens} cached tokens`);
    assert.ok(facts.heapAfterMb - facts.heapBeforeMb < HEAP_BOUND_MB, `heap grew ${facts.heapAfterMb - facts.heapBeforeMb} MB`);
    assert.ok(facts.rssAfterMb - facts.rssBeforeMb < RSS_BOUND_MB, `RSS grew ${facts.rssAfterMb - facts.rssBeforeMb} MB`);
  });
});
