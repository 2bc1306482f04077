/**
 * Four-letter words: what a ZooKeeper 3.8.0 server writes back when a fresh client connection
 * starts with one of them (NIOServerCnxn.checkFourLetterWord, CommandExecutor).
 *
 *   4 bytes in ──► known word? ──no──► not a command: ZooKeeper reads the bytes as a packet
 *                      │                length (`Len error`) and closes; nothing is written
 *                      ▼ yes
 *                 whitelisted? ──no──► "<word> is not executed because it is not in the whitelist.\n"
 *                      │
 *                      ▼ yes
 *                 server running? ──no──► "This ZooKeeper instance is not currently serving requests\n"
 *                      │                  (ruok, envi, gtmk, stmk answer anyway; isro says "null")
 *                      ▼ yes
 *                 the command's text, then the server closes the connection
 *
 * `ruok`, `isro`, `gtmk` and `stmk` write no newline. Everything is computed from a
 * ServerStatusSnapshot; `srst`, `crst` and `stmk` also return the effect the host must apply.
 */
import { knownFourLetterWords } from '../config/four-letter-whitelist.ts';
import { javaLongHex } from '../config/java-lang.ts';
import { dumpText, wchcText, wchpText, wchsText } from './dump-words.ts';
import { mntr } from './mntr.ts';
import { confText, consText, dirsText, enviText, statText } from './stat-words.ts';
import type { ServerStatusSnapshot } from './status-snapshot.ts';

export const zkNotServing = 'This ZooKeeper instance is not currently serving requests';

/** The bytes telnet sends when it closes (0xfff4fffd), a "word" ZooKeeper knows. */
export const telnetCloseBytes = '\xff\xf4\xff\xfd';

export type FourLetterWordEffect =
  | { readonly type: 'resetServerStats' }
  | { readonly type: 'resetConnectionStats' }
  | { readonly type: 'setTraceMask'; readonly mask: bigint };

export type FourLetterWordResult =
  /** the server writes `text` and closes the connection */
  | { readonly kind: 'reply'; readonly text: string; readonly effect?: FourLetterWordEffect }
  /** not a four-letter word: the 4 bytes are a packet length; the connection is closed with no reply */
  | { readonly kind: 'not-a-command' };

export interface FourLetterWordContext {
  /** FourLetterCommands' enabled set (QuorumConfig.fourLetterWordWhitelist) */
  readonly whitelist: readonly string[];
  /** `stmk` only: the 8-byte mask that follows the word */
  readonly traceMask?: bigint;
}

/** FourLetterCommands.getCommandString: the word for the first 4 bytes, or null. */
export function fourLetterWordOf(bytes: string): string | null {
  if (bytes === telnetCloseBytes) return 'telnet close';
  return bytes !== 'telnet close' && knownFourLetterWords.includes(bytes) ? bytes : null;
}

export function executeFourLetterWord(bytes: string, s: ServerStatusSnapshot, ctx: FourLetterWordContext): FourLetterWordResult {
  const word = fourLetterWordOf(bytes);
  if (word === null) return { kind: 'not-a-command' };
  if (!ctx.whitelist.includes(word)) {
    return reply(`${word} is not executed because it is not in the whitelist.\n`);
  }
  if (word === 'telnet close') return { kind: 'not-a-command' }; // CommandExecutor has no command for it
  const always = alwaysAnswered(word, s, ctx);
  if (always !== null) return always;
  if (!s.serving) return reply(word === 'isro' ? 'null' : word === 'hash' ? zkNotServing : `${zkNotServing}\n`);
  return servingReply(word, s);
}

function reply(text: string, effect?: FourLetterWordEffect): FourLetterWordResult {
  return effect ? { kind: 'reply', text, effect } : { kind: 'reply', text };
}

/** Commands that do not ask whether the server runs. */
function alwaysAnswered(word: string, s: ServerStatusSnapshot, ctx: FourLetterWordContext): FourLetterWordResult | null {
  switch (word) {
    case 'ruok':
      return reply('imok');
    case 'envi':
      return reply(enviText(s));
    case 'gtmk':
      return reply(String(BigInt.asIntN(64, s.traceMask)));
    case 'stmk': {
      const mask = BigInt.asIntN(64, ctx.traceMask ?? s.traceMask);
      return reply(String(mask), { type: 'setTraceMask', mask });
    }
    default:
      return null;
  }
}

function servingReply(word: string, s: ServerStatusSnapshot): FourLetterWordResult {
  switch (word) {
    case 'srvr':
      return reply(statText(s, false));
    case 'stat':
      return reply(statText(s, true));
    case 'cons':
      return reply(consText(s));
    case 'conf':
      return reply(confText(s));
    case 'dirs':
      return reply(dirsText(s));
    case 'dump':
      return reply(dumpText(s));
    case 'mntr':
      return reply(mntr(s));
    case 'wchs':
      return reply(wchsText(s));
    case 'wchc':
      return reply(wchcText(s));
    case 'wchp':
      return reply(wchpText(s));
    case 'isro':
      return reply(s.state === 'read-only' ? 'ro' : 'rw');
    case 'srst':
      return reply('Server stats reset.\n', { type: 'resetServerStats' });
    case 'crst':
      return reply('Connection stats reset.\n', { type: 'resetConnectionStats' });
    case 'hash':
      return reply((s.digestLog ?? []).map((d) => `${javaLongHex(d.zxid)}: ${BigInt.asIntN(64, d.digest)}\n`).join(''));
    default:
      return { kind: 'not-a-command' };
  }
}
