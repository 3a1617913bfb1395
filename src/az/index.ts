// The lab's `az`: the same commands, options, output shapes and errors as the Azure CLI, for
// the part of Azure the lab simulates. The lab terminal and `milab az` run commands through
// it; tree and palette actions call engine operations directly and show their `az` twin
// (twin.ts), the command line that does the same here and on Azure.
export { runAz } from './run';
export type { AzFiles } from './cli/spec';
export type { AzResult, AzRunOptions } from './run';
export { shellWords } from './shell/words';
export { shellQuote } from '../engine/base/shellQuote';
export { exportAzScript } from './export';
export { replayAzScript, runShellLine } from './replay';
export * from './twin';
