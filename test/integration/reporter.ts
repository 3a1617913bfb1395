// The extension host's console does not reach the terminal that runs the tests (with
// code-server it ends up in the browser), so this reporter also appends its lines to the
// file named by MILAB_TEST_LOG, which the runner prints as they come.
import * as fs from 'node:fs';
import Mocha from 'mocha';

const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

export class FileReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const file = process.env['MILAB_TEST_LOG'];
    let depth = 0;
    const write = (line: string) => {
      console.log(line);
      if (file) fs.appendFileSync(file, line + '\n');
    };
    let passed = 0;
    let failed = 0;
    let pending = 0;
    runner.on(EVENT_SUITE_BEGIN, suite => {
      if (suite.title) write(`${'  '.repeat(depth)}${suite.title}`);
      depth++;
    });
    runner.on('suite end', () => depth--);
    runner.on(EVENT_TEST_PASS, test => {
      passed++;
      write(`${'  '.repeat(depth)}✔ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, test => {
      pending++;
      write(`${'  '.repeat(depth)}- ${test.title} (pending)`);
    });
    runner.on(EVENT_TEST_FAIL, (test, error: Error) => {
      failed++;
      write(
        `${'  '.repeat(depth)}✘ ${test.title}\n${(error.stack ?? error.message)
          .split('\n')
          .map(l => '      ' + l)
          .join('\n')}`,
      );
    });
    runner.once(EVENT_RUN_END, () => write(`\n${passed} passing, ${failed} failing${pending ? `, ${pending} pending` : ''}`));
  }
}
