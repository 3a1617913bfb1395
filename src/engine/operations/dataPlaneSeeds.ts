// The lab itself putting data in place — a secret in a vault, a blob in a container — when it
// builds a sample or a reproduction. Not a data-plane request: no caller and no RBAC check
// (people add data through the services, where RBAC applies).
import type { Lab } from '../lab/lab';
import { newGuid } from '../base/ids';
import { toBase64, utf8 } from '../base/encoding';
import { requireResource } from './resources';

export function seedSecret(lab: Lab, vaultId: string, name: string, value: string): void {
  const vault = requireResource(lab, vaultId);
  const now = lab.clock.now();
  const secrets = (lab.dataFor(vault.id).secrets ??= []);
  const version = { version: newGuid().replace(/-/g, ''), value, enabled: true, created: now, updated: now, tags: {} };
  const existing = secrets.find(s => s.name.toLowerCase() === name.toLowerCase());
  if (existing) existing.versions.push(version);
  else secrets.push({ name, versions: [version] });
  lab.notify('dataPlane');
}

export function seedBlob(lab: Lab, accountId: string, container: string, blob: string, text: string): void {
  const account = requireResource(lab, accountId);
  const now = lab.clock.now();
  const containers = (lab.dataFor(account.id).containers ??= []);
  let target = containers.find(c => c.name === container);
  if (!target) containers.push((target = { name: container, created: now, blobs: [] }));
  target.blobs = [
    ...target.blobs.filter(b => b.name !== blob),
    {
      name: blob,
      content: toBase64(utf8(text)),
      contentType: 'text/plain',
      lastModified: now,
      etag: `"0x${now.toString(16).toUpperCase()}"`,
    },
  ];
  lab.notify('dataPlane');
}
