// The lab's `az`: the same commands, options, output shapes and errors as the Azure CLI, for
// the part of Azure the lab simulates. Every surface (the lab terminal, `milab az`, tree and
// palette commands, tests) drives the lab through these.
export { runAz } from './run';
export type { AzFiles } from './cli/spec';
export type { AzResult, AzRunOptions } from './run';
export { shellJoin, shellQuote, shellWords } from './shell/words';
export { exportAzScript } from './export';
export { replayAzScript, runShellLine } from './replay';
export * from './twin';
