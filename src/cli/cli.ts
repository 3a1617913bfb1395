// Command dispatch for `milab`. Each command lives in its own file.
import { serve } from './serve';
import { checkAccess } from './checkAccess';
import { env } from './env';
import { az } from './az';
import { reset } from './reset';
import { diagnose } from './diagnose';
import { scenario } from './scenario';
import { sql } from './sql';
import { run } from './run';
import { insideNamespace } from './namespace';
import { exportLab } from './export';
import { clock } from './clock';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export const USAGE = `Usage: milab <command> [options]

Commands:
  serve [--state DIR] [--port N] [--sql-port N] [--json]
                                            Run the lab's endpoints on 127.0.0.1 until interrupted
  run --as RESOURCE [--identity ID] -- COMMAND [ARGS]
                                            Run any program as RESOURCE in a network of its own (Linux)
  env --as RESOURCE|local [--identity ID] [--database SERVER/DB] [--format sh|json]
                                            The environment to run an app as RESOURCE (local: your machine)
  check-access --assignee ID --action ACTION --scope SCOPE [--json]
                                            The RBAC decision, with its reasons
  az [--state DIR] COMMAND [ARGS]           An az command against the lab (see 'milab az --help')
  diagnose [--state DIR] [--json]           Diagnose an error text read from stdin: cause, evidence, fixes
  export [--state DIR] [--format az]        The lab as a bash script of az commands that rebuilds it
  clock show|advance DURATION|pause|resume|real [--state DIR]
                                            The lab's clock (tokens, caches, RBAC propagation follow it)
  scenario list|show|start ID|check|hint|solve|env|stop [--state DIR] [--json]
                                            Break it on purpose, fix it, and have the lab check the fix
  sql [--state DIR] SERVER/DATABASE "T-SQL" T-SQL as you in one of the lab's Azure SQL databases
  reset [--state DIR]                       Start over with a new sample lab (the old state file is kept)

Options:
  -h, --help                                Show help (also after each command: 'milab run --help')
`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    case 'serve':
      return serve(rest, io);
    case 'env':
      return env(rest, io);
    case 'check-access':
      return checkAccess(rest, io);
    case 'az':
      return az(rest, io);
    case 'export':
      return exportLab(rest, io);
    case 'reset':
      return reset(rest, io);
    case 'diagnose':
      return diagnose(rest, io);
    case 'scenario':
      return scenario(rest, io);
    case 'sql':
      return sql(rest, io);
    case 'run':
      return run(rest, io);
    case '__namespace':
      return insideNamespace(rest, io);
    case 'clock':
      return clock(rest, io);
    default:
      io.stderr.write(`milab: '${command}' is not a milab command. See 'milab --help'.\n`);
      return 2;
  }
}
