// The credential-chain sections of DefaultAzureCredential / ChainedTokenCredential errors, per
// SDK: JS 4.x ("ChainedTokenCredential authentication failed." then one `CredentialUnavailableError:`
// line per credential), Python ("Attempted credentials:" then `\tXCredential: message`, or log
// lines `XCredential.get_token failed: message`), .NET ("- XCredential authentication unavailable…"),
// Java (log lines naming the credential). Formats: /work/research/time-and-chain.md §7.
import type { ChainEntry, Symptom } from './symptoms';
import { CHAIN_HEADERS, CREDENTIAL_TEXTS, DEVELOPER_SIGNALS } from './messages';

/** Lines looked at (a chain has a dozen; a huge paste is mostly stack frames). */
const MAX_LINES = 5_000;
/** Of each line, the start is enough to recognise an entry. */
const HEAD = 300;
const MAX_MESSAGE = 600;

const PYTHON_ENTRY = /\b([a-z][a-z0-9]{0,40}credential)(?:\.get_token failed)?: /;
const DEVELOPER_TOOLS = new Set([
  'AzureCliCredential',
  'AzurePowerShellCredential',
  'AzureDeveloperCliCredential',
  'VisualStudioCredential',
  'VisualStudioCodeCredential',
  'IntelliJCredential',
  'SharedTokenCacheCredential',
]);

function credentialNamed(lowerHead: string): string | undefined {
  const python = PYTHON_ENTRY.exec(lowerHead)?.[1];
  if (python && !python.startsWith('chainedtoken') && !python.startsWith('defaultazure')) {
    const known = CREDENTIAL_TEXTS.find(([text]) => text === python);
    if (known) return known[1];
  }
  return CREDENTIAL_TEXTS.find(([text]) => lowerHead.includes(text))?.[1];
}

const has = (text: string, words: readonly string[]) => words.some(w => text.includes(w));

export function entryOutcome(message: string): ChainEntry['outcome'] {
  const m = message.toLowerCase();
  if (m.includes('multiple user assigned identities')) return 'multipleIdentities';
  if (has(m, ['not been assigned', 'no identity has been assigned', "isn't assigned", 'no available identity', 'identity not found'])) {
    return 'identityNotAssigned';
  }
  if (
    has(m, [
      'no managed identity endpoint',
      'no response from the imds',
      'no response received from the managed identity',
      'multiple attempts failed to obtain a token from the managed identity',
      'imds endpoint, but it is not available',
      'connection to imds endpoint',
      'imds token request timed out',
      'all managed identity sources are unavailable',
    ])
  ) {
    return 'noEndpoint';
  }
  if (
    has(m, [
      'not installed',
      'could not be found',
      "couldn't be found",
      'not found on path',
      'unable to execute',
      'failed to invoke',
      'no module named',
      'error while finding module',
      "can't be accessed",
      'requires the',
    ])
  ) {
    return 'notInstalled';
  }
  if (
    has(m, [
      "az login'",
      'az login"',
      'connect-azaccount',
      'azd auth login',
      'please log in',
      'failed to get azure user details',
      'not configured to acquire tokens for tenant',
      'aadsts70008',
      'ts003',
      'interactive login is required',
    ])
  ) {
    return 'notLoggedIn';
  }
  if (
    has(m, [
      'not fully configured',
      'incomplete environment configuration',
      'missing required environment variable',
      'no underlying credential could be used',
      'required parameter',
      'no accounts were found',
      'multiple accounts',
      'stored credentials not found',
      'not configured',
    ])
  ) {
    return 'notConfigured';
  }
  return m.includes('fail') ? 'failed' : 'other';
}

function isEntryStart(lowerHead: string): boolean {
  const start = lowerHead.trimStart();
  if (start.startsWith('credentialunavailableerror:') || start.startsWith('authenticationerror:')) return true;
  if (start.startsWith('- ')) return true;
  const python = PYTHON_ENTRY.exec(lowerHead)?.[1];
  if (python && !python.startsWith('chainedtoken') && !python.startsWith('defaultazure')) return true;
  // Java logs: "ERROR in EnvironmentCredential", "IntelliJ Authentication not available", "… authentication unavailable".
  return /\b(error in [a-z]+credential|authentication not available|authentication unavailable)/.test(lowerHead);
}

/**
 * The chain, when the text has one: a chain header with its entries, or (headerless pastes)
 * two or more credentials each reporting itself unavailable. A "chain" of one managed-identity
 * entry is not a chain: its own message says what happened.
 */
export function readCredentialChain(lines: string, lowerFlat: string): (Symptom & { kind: 'chain' }) | undefined {
  const header = CHAIN_HEADERS.some(h => lowerFlat.includes(h));
  const entries: ChainEntry[] = [];
  let current: ChainEntry | undefined;
  let from = 0;
  for (let count = 0; count < MAX_LINES && from <= lines.length; count++) {
    const end = lines.indexOf('\n', from);
    const line = lines.slice(from, end === -1 ? Math.min(lines.length, from + 4 * HEAD) : Math.min(end, from + 4 * HEAD));
    from = end === -1 ? lines.length + 1 : end + 1;
    const head = line.slice(0, HEAD).toLowerCase();
    const credential = isEntryStart(head) ? credentialNamed(head) : undefined;
    if (credential) {
      const existing = entries.find(e => e.credential === credential);
      current = existing ?? { credential, outcome: 'other', message: '' };
      if (!existing) entries.push(current);
      current.message = `${current.message} ${line.trim()}`.trim().slice(0, MAX_MESSAGE);
    } else if (current && line.trim() && !CHAIN_HEADERS.some(h => head.includes(h))) {
      if (current.message.length < MAX_MESSAGE) current.message = `${current.message} ${line.trim()}`.slice(0, MAX_MESSAGE);
    }
  }
  for (const entry of entries) entry.outcome = entryOutcome(entry.message);
  const onlyManagedIdentity = entries.length === 1 && entries[0]!.credential === 'ManagedIdentityCredential';
  if (onlyManagedIdentity || (!header && entries.length < 2)) return undefined;
  const signals = DEVELOPER_SIGNALS.filter(s => lowerFlat.includes(s));
  const signedOut = entries.filter(e => DEVELOPER_TOOLS.has(e.credential) && e.outcome === 'notLoggedIn').map(e => e.credential);
  return {
    kind: 'chain',
    header,
    entries,
    developerMachine: signals.length > 0 || signedOut.length > 0,
    signals: [...signals, ...signedOut.map(c => `${c}: installed but not signed in`)],
    evidence: entries.map(e => ({ label: 'credential', value: `${e.credential}: ${describeOutcome(e.outcome)}` })),
  };
}

export function describeOutcome(outcome: ChainEntry['outcome']): string {
  switch (outcome) {
    case 'notConfigured':
      return 'not configured';
    case 'notInstalled':
      return 'not installed or not reachable';
    case 'notLoggedIn':
      return 'installed, not signed in';
    case 'noEndpoint':
      return 'no managed-identity endpoint answered';
    case 'identityNotAssigned':
      return 'the endpoint answered: identity not assigned';
    case 'multipleIdentities':
      return 'the endpoint answered: several identities, none named';
    case 'failed':
      return 'failed';
    default:
      return 'unavailable';
  }
}
