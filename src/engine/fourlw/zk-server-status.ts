/**
 * `zkServer.sh status` (bin/zkServer.sh of 3.8.0) and FourLetterWordMain, the Java client the
 * script runs.
 *
 * The script finds the client port by grepping zoo.cfg as text (so `clientPort = 2181`, with
 * spaces, is not numeric to it and sends it down the myid path), prints where it will ask,
 * sends `srvr` and prints the `Mode` line, or `Error contacting service. It is probably not
 * running.` with exit code 1 when nothing with a Mode comes back (dead server, no quorum:
 * `This ZooKeeper instance is not currently serving requests`).
 *
 *   ZooKeeper JMX enabled by default                      (stderr)
 *   Using config: /tmp/zk/e1/conf/zoo.cfg                 (stderr)
 *   Client port found: 2181. Client address: 127.0.0.1. Client SSL: false.
 *   Mode: follower
 */
import type { ServerState } from './status-snapshot.ts';

export interface ZkServerStatusInput {
  /** the zoo.cfg path the script was given (printed in `Using config:`) */
  readonly configPath: string;
  /** the zoo.cfg text */
  readonly zooCfg: string;
  /** <dataDir>/myid, or null when missing (read only when clientPort is not a number) */
  readonly myid?: string | null;
  /** the dynamicConfigFile's text, or null when missing */
  readonly dynamicConfig?: string | null;
  /** FourLetterWordMain host port srvr: the reply text, or null when the connection fails */
  readonly srvr: (host: string, port: string, ssl: boolean) => string | null;
}

export interface ScriptLine {
  readonly text: string;
  readonly stream: 'stdout' | 'stderr';
}

export interface ZkServerStatusResult {
  readonly lines: readonly ScriptLine[];
  readonly exitCode: 0 | 1;
}

/** `grep "^[[:space:]]*<key><rest>" | sed -e 's/.*=//'`, lines joined as $(…) joins them. */
function grepValue(text: string, pattern: RegExp): string {
  const out = text.split('\n').filter((l) => pattern.test(l)).map((l) => l.replace(/^.*=/, ''));
  return out.join('\n').replace(/\n+$/, '');
}

interface Located {
  port: string;
  address: string;
  ssl: boolean;
  secureClientPort: string;
}

export function zkServerStatus(input: ZkServerStatusInput): ZkServerStatusResult {
  const lines: ScriptLine[] = [
    { text: 'ZooKeeper JMX enabled by default', stream: 'stderr' },
    { text: `Using config: ${input.configPath}`, stream: 'stderr' },
  ];
  const out = (text: string): void => {
    lines.push({ text, stream: 'stdout' });
  };
  const where = locateClientPort(input, out);
  if (where === null) return { lines, exitCode: 1 };
  out(`Client port found: ${where.port}. Client address: ${where.address}. Client SSL: ${where.ssl}.`);
  const reply = input.srvr(where.address, where.port, where.ssl);
  const mode = (reply ?? '').split(/\r\n|\r|\n/).filter((l) => l.includes('Mode'));
  if (mode.length === 0) {
    if (where.ssl) {
      out(' ');
      out(`Note: We used secureClientPort (${where.secureClientPort}) to establish connection, but we failed. The 'status'`);
      out('  command establishes a client connection to the server to execute diagnostic commands. Please make sure you');
      out('  provided all the Client SSL connection related parameters in the CLIENT_JVMFLAGS environment variable! E.g.:');
      out('  CLIENT_JVMFLAGS="-Dzookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty');
      out('  -Dzookeeper.ssl.trustStore.location=/tmp/clienttrust.jks -Dzookeeper.ssl.trustStore.password=password');
      out('  -Dzookeeper.ssl.keyStore.location=/tmp/client.jks -Dzookeeper.ssl.keyStore.password=password');
      out('  -Dzookeeper.client.secure=true" ./zkServer.sh status');
      out(' ');
    }
    out('Error contacting service. It is probably not running.');
    return { lines, exitCode: 1 };
  }
  // `echo $STAT`: unquoted, so runs of whitespace (and the lines) collapse to single spaces
  out(mode.join(' ').trim().split(/\s+/).join(' '));
  return { lines, exitCode: 0 };
}

/** The script's search for the client port; null after it gave up (exit 1). */
function locateClientPort(input: ZkServerStatusInput, out: (text: string) => void): Located | null {
  const cfg = input.zooCfg;
  let address = grepValue(cfg, /^[ \t\r\f\v]*clientPortAddress[^A-Za-z]/);
  if (address.trim() === '') address = 'localhost';
  let port = grepValue(cfg, /^[ \t\r\f\v]*clientPort[^A-Za-z]/);
  if (!/^[0-9]+$/.test(port)) {
    const myid = (input.myid ?? '').replace(/\n+$/, '');
    if (!/^[0-9]+$/.test(myid)) {
      out('myid could not be determined, will not able to locate clientPort in the server configs.');
    } else {
      // grep's `server.$myid=`: the dot matches any character
      const serverLine = new RegExp(`^[ \\t\\r\\f\\v]*server.${myid}=.*;.*`);
      const pick = (text: string): string => grepValue(text, serverLine).split('\n').map((l) => l.replace(/^.*;/, '')).join('\n');
      let portAndAddress = pick(cfg);
      if (portAndAddress === '') {
        out('Client port not found in static config file. Looking in dynamic config file.');
        portAndAddress = pick(input.dynamicConfig ?? '');
      }
      if (portAndAddress === '') {
        out('Client port not found in the server configs');
      } else {
        if (/^.*:[0-9]+/.test(portAndAddress)) {
          address = /\[.*\]:[0-9]+/.test(portAndAddress)
            ? portAndAddress.replace('[', '').replace(/\]:.*/, '')
            : portAndAddress.replace(/:.*/, '');
        }
        port = portAndAddress.replace(/^.*:/, '');
      }
    }
  }
  if (port !== '') return { port, address, ssl: false, secureClientPort: '' };
  out('Client port not found. Looking for secureClientPort in the static config.');
  const secure = grepValue(cfg, /^[ \t\r\f\v]*secureClientPort[^A-Za-z]/);
  if (secure === '') {
    out('Unable to find either secure or unsecure client port in any configs. Terminating.');
    return null;
  }
  let secureAddress = grepValue(cfg, /^[ \t\r\f\v]*secureClientPortAddress[^A-Za-z]/);
  if (secureAddress.trim() === '') secureAddress = 'localhost';
  return { port: secure, address: secureAddress, ssl: true, secureClientPort: secure };
}

/**
 * The status lines for a server in a given state (null = no reply with a Mode: dead, looking,
 * or without quorum), for the usual config with clientPort and clientPortAddress.
 */
export function zkServerStatusLines(
  mode: ServerState | null,
  where: { configPath: string; clientPort: number; clientAddress?: string },
): ZkServerStatusResult {
  const cfg = `clientPort=${where.clientPort}\n` + (where.clientAddress ? `clientPortAddress=${where.clientAddress}\n` : '');
  return zkServerStatus({
    configPath: where.configPath,
    zooCfg: cfg,
    srvr: () => (mode === null ? null : `Mode: ${mode}\n`),
  });
}

/** FourLetterWordMain: each line of the reply plus `\n` (BufferedReader.readLine), then println. */
export function fourLetterWordMainOutput(reply: string): string {
  if (reply === '') return '\n';
  const lines = reply.split(/\r\n|\r|\n/);
  if (/(\r\n|\r|\n)$/.test(reply)) lines.pop();
  return lines.map((l) => l + '\n').join('') + '\n';
}
