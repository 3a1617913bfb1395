// `milab`: the lab without VS Code. See `milab --help`.
import { runCli } from './cli';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.stderr.write(`milab: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
