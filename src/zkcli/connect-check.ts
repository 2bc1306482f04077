/**
 * What `new ZooKeeperAdmin(host, ...)` throws for a bad connect string, with Java's trace.
 * ZooKeeperMain.connectToZK does not catch it, so `connect 127.0.0.1:2191/a/` (or such a
 * -server) kills zkCli, after the old session was closed (golden connect_string_errors.out).
 */
import { parseConnectString, type ConnectStringProblem } from '../client/connect-string.ts';
import { javaParseInt } from './java-number.ts';
import { JavaThrowable, mainFrame, pathUtilsFrame } from './java-throwable.ts';

const iae = 'java.lang.IllegalArgumentException';
const parserFrame = (line: number): string => `org.apache.zookeeper.client.ConnectStringParser.<init>(ConnectStringParser.java:${line})`;
const netUtilsFrame = (method: string, line: number): string => `org.apache.zookeeper.common.NetUtils.${method}(NetUtils.java:${line})`;
/** ZooKeeperAdmin's constructor down to connectToZK's `new ZooKeeperAdmin(...)`. */
const constructorFrames = [
  'org.apache.zookeeper.ZooKeeper.createDefaultHostProvider(ZooKeeper.java:1135)',
  'org.apache.zookeeper.ZooKeeper.<init>(ZooKeeper.java:802)',
  'org.apache.zookeeper.admin.ZooKeeperAdmin.<init>(ZooKeeperAdmin.java:172)',
  mainFrame('connectToZK', 281),
];

/**
 * The connect string in the form the client takes (`host:port,...` plus the chroot), or the
 * JavaThrowable ConnectStringParser / StaticHostProvider throws for it.
 */
export function checkConnectString(text: string): { readonly connectString: string } | { readonly error: JavaThrowable } {
  const r = parseConnectString(text, (s) => {
    const n = javaParseInt(s);
    return n.ok ? n.value : null;
  });
  if ('error' in r) return { error: throwable(r.problem) };
  return { connectString: r.hosts.join(',') + (r.chroot ?? '') };
}

function throwable(p: ConnectStringProblem): JavaThrowable {
  switch (p.kind) {
    case 'chroot':
      return new JavaThrowable(iae, p.message, [pathUtilsFrame(p.message), parserFrame(61), ...constructorFrames]);
    case 'ipv6': {
      const own = p.inGetHostPort ? [netUtilsFrame('getHostPort', p.message.endsWith('colon.') ? 82 : 78), netUtilsFrame('getIPV6HostAndPort', 66)]
        : [netUtilsFrame('getIPV6HostAndPort', p.message.endsWith('is empty.') ? 63 : 58)];
      return new JavaThrowable(iae, p.message, [...own, parserFrame(72), ...constructorFrames]);
    }
    case 'port': {
      const r = javaParseInt(p.text);
      const error = r.ok ? new JavaThrowable('java.lang.NumberFormatException', `For input string: "${p.text}"`, []) : r.error;
      for (const frame of [parserFrame(p.bracketed ? 76 : 83), ...constructorFrames]) error.withFrame(frame);
      return error;
    }
    case 'portRange':
      return new JavaThrowable(iae, `port out of range:${p.port}`, [
        'java.base/java.net.InetSocketAddress.checkPort(InetSocketAddress.java:152)',
        'java.base/java.net.InetSocketAddress.createUnresolved(InetSocketAddress.java:263)',
        parserFrame(88), ...constructorFrames,
      ]);
    case 'empty':
      return new JavaThrowable(iae, 'A HostProvider may not be empty!', [
        'org.apache.zookeeper.client.StaticHostProvider.init(StaticHostProvider.java:131)',
        'org.apache.zookeeper.client.StaticHostProvider.<init>(StaticHostProvider.java:85)',
        ...constructorFrames,
      ]);
  }
}
