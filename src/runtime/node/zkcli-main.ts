/**
 * `npm run zkcli -- [-server host:port[,host:port...]] [-waitforconnection] [-timeout ms] [cmd args]`
 *
 * ZooKeeper's zkCli over a simulated ZooKeeper server in this process: the server listens at
 * the -server address (default 127.0.0.1:2181 as in zkCli... whose default is localhost:2181).
 *   - a terminal on stdin: an interactive REPL with ZooKeeper's prompt, history and Tab
 *     completion; virtual time follows the wall clock, so sessions, TTLs and watches behave
 *     as on a real server;
 *   - commands piped on stdin: the transcript a terminal would show (prompt, echoed command,
 *     output, asynchronous WATCHER blocks);
 *   - a command on the command line: runs it and exits with zkCli's exit code.
 * stdout and stderr carry what zkCli sends to each.
 */
import * as readline from 'node:readline';
import { Rng } from '../sim/rng.ts';
import { ClientWorld } from '../sim/client-world.ts';
import { CliSession } from './cli-session.ts';
import { startStandalone } from './standalone.ts';
import { parseMainArgs } from '../../zkcli/zkcli-main.ts';
import { completeCommand } from '../../zkcli/zkcli-main.ts';

const argv = process.argv.slice(2);
const options = parseMainArgs([...argv]);
const world = new ClientWorld(Date.now());
const firstHost = options.server.split('/')[0].split(',')[0].trim();
const address = normalizeAddress(firstHost);
startStandalone(world, address, { extendedTypesEnabled: 'true' });

const rng = new Rng(Date.now() >>> 0);
const output = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};
const session = new CliSession(world, argv, output, () => rng.next());

function normalizeAddress(host: string): string {
  const withPort = host.includes(':') ? host : `${host}:2181`;
  return withPort.replace(/^localhost:/, '127.0.0.1:');
}

function exit(code: number): never {
  process.exit(code);
}

async function main(): Promise<void> {
  if (options.command.length > 0) {
    const r = session.oneShot(options.command);
    exit(r.kind === 'quit' ? r.code : r.kind === 'crash' ? 1 : 0);
  }
  const start = session.start();
  if (start.kind !== 'done') exit(start.kind === 'quit' ? start.code : 1);
  session.cli.printWelcome();
  if (process.stdin.isTTY) return interactive();
  return piped();
}

async function piped(): Promise<void> {
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  const lines: string[] = [];
  for await (const line of rl) lines.push(line);
  for (const line of lines) {
    process.stdout.write(session.prompt() + line + '\n');
    const r = session.executeLine(line);
    if (r.kind === 'quit') exit(r.code);
    if (r.kind === 'crash') exit(1);
    world.run(world.now); // deliver anything already due before the next prompt
  }
  process.stdout.write(session.prompt());
  exit(0);
}

async function interactive(): Promise<void> {
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    historySize: 500,
    completer: (line: string): [string[], string] => complete(line),
  });
  // Virtual time follows the wall clock while the user types.
  const ticker = setInterval(() => world.run(Math.max(world.now, Date.now())), 20);
  const redraw = (): void => {
    rl.setPrompt(session.prompt());
    rl.prompt(true);
  };
  redraw();
  rl.on('line', (line) => {
    const r = session.executeLine(line);
    if (r.kind === 'quit') {
      clearInterval(ticker);
      exit(r.code);
    }
    if (r.kind === 'crash') exit(1);
    redraw();
  });
  rl.on('close', () => {
    clearInterval(ticker);
    exit(0);
  });
}

function complete(line: string): [string[], string] {
  const words = line.split(' ');
  if (words.length <= 1) {
    const hits = completeCommand(line);
    return [hits, line];
  }
  const last = words[words.length - 1];
  if (!last.startsWith('/')) return [[], last];
  const dir = last.endsWith('/') ? last.replace(/\/$/, '') || '/' : last.slice(0, last.lastIndexOf('/')) || '/';
  const prefix = last.slice(last.lastIndexOf('/') + 1);
  const children = session.listChildren(dir);
  const base = dir === '/' ? '' : dir;
  const hits = children.filter((c) => c.startsWith(prefix)).sort().map((c) => `${base}/${c}`);
  return [hits, last];
}

void main();
