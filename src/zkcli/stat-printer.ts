/**
 * StatPrinter.print: the 11-line stat block of `get -s`, `ls -s`, `stat`, `set -s`, `getAcl -s`.
 * Ids print as Long.toHexString (two's complement, lowercase, unpadded); times as
 * java.util.Date.toString() in UTC.
 */
import { hex } from '../engine/protocol/ids.ts';
import type { Stat } from '../engine/protocol/records.ts';
import { formatJavaDate } from '../engine/util/java-date.ts';

export function describeStat(stat: Stat): string {
  return [
    `cZxid = ${hex(stat.czxid)}`,
    `ctime = ${formatJavaDate(stat.ctime)}`,
    `mZxid = ${hex(stat.mzxid)}`,
    `mtime = ${formatJavaDate(stat.mtime)}`,
    `pZxid = ${hex(stat.pzxid)}`,
    `cversion = ${stat.cversion}`,
    `dataVersion = ${stat.version}`,
    `aclVersion = ${stat.aversion}`,
    `ephemeralOwner = ${hex(stat.ephemeralOwner)}`,
    `dataLength = ${stat.dataLength}`,
    `numChildren = ${stat.numChildren}`,
  ].join('\n') + '\n';
}
