/** HostSpawner for Node: servers in-process over MemoryDisks (one per sid, kept across restarts). */
import type { Sid } from '../../engine/protocol/ids.ts';
import { MemoryDisk } from '../storage/memory-disk.ts';
import { ServerHost, type HostConfig, type HostInput, type HostOutput } from '../worker/server-host.ts';
import type { HostLink, HostSpawner } from './host-link.ts';

export class InProcessSpawner implements HostSpawner {
  readonly disks = new Map<Sid, MemoryDisk>();

  spawn(config: HostConfig, inputs: readonly HostInput[], nowMs: number): Promise<{ link: HostLink; first: HostOutput }> {
    let disk = this.disks.get(config.sid);
    if (!disk) {
      disk = new MemoryDisk();
      this.disks.set(config.sid, disk);
    }
    const d = disk;
    let host: ServerHost | null = new ServerHost(config, d, nowMs);
    const link: HostLink = {
      handle: (ins, now) => {
        if (!host) return Promise.reject(new Error(`server ${config.sid} is dead`));
        return Promise.resolve(host.handle(ins, now));
      },
      kill: () => {
        host = null;
        d.crash();
      },
    };
    return Promise.resolve({ link, first: host.handle(inputs, nowMs) });
  }

  wipe(): Promise<void> {
    this.disks.clear();
    return Promise.resolve();
  }
}
