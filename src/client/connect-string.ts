/**
 * ConnectStringParser: "host:port,host:port/chroot". A host without a port gets 2181.
 * The chroot is validated like any path (IllegalArgumentException in Java).
 */
import { validatePath } from '../engine/datatree/path.ts';

export interface ConnectString {
  readonly hosts: readonly string[];
  /** null when there is none ("/" alone also means none) */
  readonly chroot: string | null;
}

export type ConnectStringResult = ConnectString | { readonly error: string };

export function parseConnectString(text: string): ConnectStringResult {
  let hostsPart = text;
  let chroot: string | null = null;
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const root = text.slice(slash);
    hostsPart = text.slice(0, slash);
    if (root.length > 1) {
      const problem = validatePath(root);
      if (problem !== null) return { error: problem };
      chroot = root;
    }
  }
  const hosts: string[] = [];
  for (const raw of hostsPart.split(',')) {
    const host = raw.trim();
    if (host === '') continue;
    hosts.push(host.includes(':') && !host.endsWith(']') ? host : `${host}:2181`);
  }
  if (hosts.length === 0) return { error: 'A HostProvider may not be empty!' };
  return { hosts, chroot };
}

export function prependChroot(chroot: string | null, clientPath: string): string {
  if (chroot === null) return clientPath;
  return clientPath === '/' ? chroot : chroot + clientPath;
}

/** The server path without the chroot; a path outside the chroot is returned unchanged. */
export function stripChroot(chroot: string | null, serverPath: string): string {
  if (chroot === null) return serverPath;
  if (serverPath === chroot) return '/';
  if (serverPath.startsWith(chroot + '/')) return serverPath.slice(chroot.length);
  return serverPath;
}
