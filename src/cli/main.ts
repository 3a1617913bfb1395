// `milab`: the lab without VS Code. See `milab --help`.
import { runCli } from './cli';

const argv = process.argv.slice(2);
runCli(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then(
  code => {
    process.exitCode = code;
    // Inside a run's namespace the program has ended: its forwarders' last connections must not keep this alive.
    if (argv[0] === '__namespace') process.exit(code);
  },
  error => {
    process.stderr.write(`milab: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
