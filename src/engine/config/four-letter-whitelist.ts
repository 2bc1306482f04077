/**
 * Which four-letter words a server answers: FourLetterCommands (3.8.0).
 *
 * The known words are the keys of cmd2String. `zookeeper.4lw.commands.whitelist` (zoo.cfg key
 * `4lw.commands.whitelist`) is split on commas and trimmed; `*` enables every known word and
 * stops the scan. `srvr` is always enabled (zkServer.sh status depends on it), and `isro` too
 * when -Dreadonlymode.enabled=true. Without the property only `srvr` is enabled.
 */
import { javaTrim } from './java-lang.ts';

/** cmd2String's values, in the order FourLetterCommands registers them. */
export const knownFourLetterWords: readonly string[] = [
  'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'ruok', 'stmk', 'srst',
  'srvr', 'stat', 'wchc', 'wchp', 'wchs', 'mntr', 'isro', 'telnet close', 'hash',
];

export const fourLetterWordWhitelistProperty = 'zookeeper.4lw.commands.whitelist';

/** FourLetterCommands.isEnabled's set, from the JVM's system properties. */
export function fourLetterWordWhitelist(systemProperties: Readonly<Record<string, string>>): string[] {
  const enabled = new Set<string>();
  const commands = systemProperties[fourLetterWordWhitelistProperty];
  if (commands !== undefined) {
    for (const raw of commands.split(',')) {
      const cmd = javaTrim(raw);
      if (cmd === '*') {
        for (const w of knownFourLetterWords) enabled.add(w);
        break;
      }
      if (cmd.length > 0) enabled.add(cmd);
    }
  }
  if ((systemProperties['readonlymode.enabled'] ?? 'false') === 'true') enabled.add('isro');
  enabled.add('srvr');
  return [...enabled];
}
