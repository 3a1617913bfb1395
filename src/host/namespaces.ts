// Whether this machine can give a program a network of its own (`milab run`): Linux network
// and mount namespaces through util-linux's `unshare` — directly as root, or inside a user
// namespace (`--user --map-root-user`) for everyone else — and iproute2's `ip` to bring up the
// namespace's loopback. The CLI and VS Code ask the same question here.
import { spawnSync } from 'node:child_process';

/** The unshare flags that work here: as root a network and mount namespace; otherwise inside a user namespace too. */
export function unshareFlags(): string[] {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? ['--net', '--mount'] : ['--user', '--map-root-user', '--net', '--mount'];
}

/** Why runs cannot work on this machine (a phrase to end a sentence with), or undefined when they can. */
export function namespaceProblem(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux's, and this is ${process.platform}`;
  const probe = spawnSync('unshare', [...unshareFlags(), 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) {
    return (probe.error as NodeJS.ErrnoException).code === 'ENOENT'
      ? "the 'unshare' command (util-linux) is not installed"
      : `unshare could not run (${probe.error.message})`;
  }
  if (probe.status !== 0) {
    const why = (probe.stderr || '').trim().split('\n')[0] || `exit ${probe.status}`;
    return `this kernel or its policy does not allow it (${why})`;
  }
  if (spawnSync('ip', ['-V'], { encoding: 'utf8', timeout: 10_000 }).error) return "the 'ip' command (iproute2) is not installed";
  return undefined;
}
