/** HostSpawner for Node: servers in-process over MemoryDisks (one per sid, kept across restarts). */
import type { Sid } from '../../engine/protocol/ids.ts';
import { MemoryDisk } from '../storage/memory-disk.ts';
import { ServerHost, type HostConfig, type HostInput, type HostOutput } from '../worker/server-host.ts';
import type { ZnodeView } from '../playground/api.ts';
import type { HostLink, HostSpawner } from './host-link.ts';

export class InProcessSpawner implements HostSpawner {
  readonly disks = new Map<Sid, MemoryDisk>();
  /** the running incarnation of each server (for znode / describeTree) */
  private readonly hosts = new Map<Sid, ServerHost>();

  spawn(config: HostConfig, inputs: readonly HostInput[], nowMs: number): Promise<{ link: HostLink; first: HostOutput }> {
    let disk = this.disks.get(config.sid);
    if (!disk) {
      disk = new MemoryDisk();
      this.disks.set(config.sid, disk);
    }
    const d = disk;
    let host: ServerHost | null = new ServerHost(config, d, nowMs);
    const me = host;
    this.hosts.set(config.sid, me);
    const link: HostLink = {
      handle: (ins, now) => {
        if (!host) return Promise.reject(new Error(`server ${config.sid} is dead`));
        return Promise.resolve(host.handle(ins, now));
      },
      kill: () => {
        host = null;
        if (this.hosts.get(config.sid) === me) this.hosts.delete(config.sid);
        d.crash();
      },
    };
    return Promise.resolve({ link, first: host.handle(inputs, nowMs) });
  }

  wipe(): Promise<void> {
    this.disks.clear();
    this.hosts.clear();
    return Promise.resolve();
  }

  znode(sid: Sid, path: string): Promise<ZnodeView | null> {
    return Promise.resolve(this.hosts.get(sid)?.znode(path) ?? null);
  }

  describeTree(sid: Sid): Promise<string | null> {
    return Promise.resolve(this.hosts.get(sid)?.describeTree() ?? null);
  }
}
