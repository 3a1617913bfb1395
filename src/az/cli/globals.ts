// The arguments every az command takes (knack's global arguments and azure-cli's
// --subscription), with their help texts.
import type { OptionSpec } from './spec';
import { OUTPUT_FORMATS } from '../output/format';

export const GLOBAL_GROUP = 'Global Arguments';

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { dest: '_debug', names: ['--debug'], kind: 'flag', group: GLOBAL_GROUP, help: 'Increase logging verbosity to show all debug logs.' },
  { dest: '_help', names: ['--help', '-h'], kind: 'flag', group: GLOBAL_GROUP, help: 'Show this help message and exit.' },
  {
    dest: '_only_show_errors',
    names: ['--only-show-errors'],
    kind: 'flag',
    group: GLOBAL_GROUP,
    help: 'Only show errors, suppressing warnings.',
  },
  { dest: '_output', names: ['--output', '-o'], choices: OUTPUT_FORMATS, default: 'json', group: GLOBAL_GROUP, help: 'Output format.' },
  {
    dest: '_query',
    names: ['--query'],
    freeText: true,
    group: GLOBAL_GROUP,
    help: 'JMESPath query string. See http://jmespath.org/ for more information and examples.',
  },
  {
    dest: '_verbose',
    names: ['--verbose'],
    kind: 'flag',
    group: GLOBAL_GROUP,
    help: 'Increase logging verbosity. Use --debug for full debug logs.',
  },
];

export const SUBSCRIPTION_OPTION: OptionSpec = {
  dest: '_subscription',
  names: ['--subscription'],
  group: GLOBAL_GROUP,
  help: 'Name or ID of subscription. You can configure the default subscription using `az account set -s NAME_OR_ID`.',
};
