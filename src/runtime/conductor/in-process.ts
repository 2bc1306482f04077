/** HostSpawner for Node: servers in-process over MemoryDisks (one per sid, kept across restarts). */
import type { Sid } from '../../engine/protocol/ids.ts';
import { checkpointServer, dataDirFiles, restoreServer, writeDataDir, type DataDirFiles, type ServerCheckpoint } from '../host/server-checkpoint.ts';
import { MemoryDisk } from '../storage/memory-disk.ts';
import { ServerHost, type HostConfig, type HostInput, type HostOutput } from '../worker/server-host.ts';
import type { HostLink, HostSpawner } from './host-link.ts';

export class InProcessSpawner implements HostSpawner {
  readonly disks = new Map<Sid, MemoryDisk>();

  private disk(sid: Sid): MemoryDisk {
    let disk = this.disks.get(sid);
    if (!disk) {
      disk = new MemoryDisk();
      this.disks.set(sid, disk);
    }
    return disk;
  }

  spawn(config: HostConfig, inputs: readonly HostInput[], nowMs: number, noFirstHandle = false): Promise<{ link: HostLink; first: HostOutput }> {
    const host = new ServerHost(config, this.disk(config.sid), nowMs);
    return Promise.resolve({ link: this.link(config.sid, host), first: noFirstHandle ? host.output() : host.handle(inputs, nowMs) });
  }

  restore(sid: Sid, cp: ServerCheckpoint): Promise<HostLink> {
    const disk = new MemoryDisk();
    this.disks.set(sid, disk);
    return Promise.resolve(this.link(sid, restoreServer(cp, disk)));
  }

  dataDir(sid: Sid): Promise<DataDirFiles | null> {
    const disk = this.disks.get(sid);
    return Promise.resolve(disk ? dataDirFiles(disk) : null);
  }

  writeDataDir(sid: Sid, files: DataDirFiles): Promise<void> {
    const disk = new MemoryDisk();
    this.disks.set(sid, disk);
    writeDataDir(disk, files);
    return Promise.resolve();
  }

  private link(sid: Sid, server: ServerHost): HostLink {
    const d = this.disks.get(sid)!;
    let host: ServerHost | null = server;
    return {
      handle: (ins, now) => {
        if (!host) return Promise.reject(new Error(`server ${sid} is dead`));
        return Promise.resolve(host.handle(ins, now));
      },
      flush: (now) => {
        if (!host) return Promise.reject(new Error(`server ${sid} is dead`));
        return Promise.resolve(host.flush(now));
      },
      kill: () => {
        host = null;
        d.crash();
      },
      checkpoint: () => {
        if (!host) return Promise.reject(new Error(`server ${sid} is dead`));
        return Promise.resolve(checkpointServer(host, d));
      },
      restore: (cp) => {
        if (!host) return Promise.reject(new Error(`server ${sid} is dead`));
        host = restoreServer(cp, d);
        return Promise.resolve();
      },
    };
  }

  wipe(): Promise<void> {
    this.disks.clear();
    return Promise.resolve();
  }
}
