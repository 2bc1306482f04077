/**
 * JLine 2.14.6's ConsoleReader.finishBuffer, which every typed line passes through before
 * ZooKeeperMain sees it: bash-style event designators (`!!`, `!N`, `!-N`, `!$`, `!#`, `!str`,
 * `!?str?`, a leading `^old^new`) are expanded from JLine's own history (MemoryHistory: at most
 * 500 lines, a line equal to the last one is not added, `!` kept escaped as `\!`).
 *
 *  - an expansion that changes the line echoes the new line on stdout, and that line runs;
 *  - a designator that finds nothing makes JLine log `[ERROR] Could not expand event` with the
 *    IllegalArgumentException's trace on stderr; the line becomes empty, so nothing runs and
 *    the prompt keeps its number (golden jline_event_expansion.out). So `create /a x!y` fails.
 * Written from JLine's behaviour as captured against real zkCli, branch for branch.
 */
import { javaParseInt } from '../engine/config/java-lang.ts';

const historyMax = 500;

/** ConsoleReader.expandEvents' throw line for each kind of missing event (JLine 2.14.6). */
const throwLine = { last: 780, search: 796, lastWord: 803, notNumber: 843, back: 849, numbered: 855, prefix: 864 } as const;

class EventNotFound extends Error {
  constructor(readonly text: string, readonly line: number) {
    super(text);
  }
}

const readLineFrames = [
  'jline.console.ConsoleReader.finishBuffer(ConsoleReader.java:715)',
  'jline.console.ConsoleReader.readLineSimple(ConsoleReader.java:3241)',
  'jline.console.ConsoleReader.readLine(ConsoleReader.java:2448)',
  'jline.console.ConsoleReader.readLine(ConsoleReader.java:2378)',
  'jline.console.ConsoleReader.readLine(ConsoleReader.java:2366)',
];
/**
 * ZooKeeperMain calls readLine through reflection. JDK 17 runs the first 16 calls of a Method
 * through its native accessor and then "inflates" it into a generated class (the default
 * sun.reflect.inflationThreshold is 15), which shows in the trace from the 17th line read on.
 */
const nativeAccessorCallsMax = 16;
const nativeAccessorFrames = [
  'java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
  'java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)',
];
const generatedAccessorFrames = ['jdk.internal.reflect.GeneratedMethodAccessor1.invoke(Unknown Source)'];
const invokeFrames = [
  'java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)',
  'java.base/java.lang.reflect.Method.invoke(Method.java:569)',
  'org.apache.zookeeper.ZooKeeperMain.run(ZooKeeperMain.java:326)',
  'org.apache.zookeeper.ZooKeeperMain.main(ZooKeeperMain.java:293)',
];

export interface FinishedLine {
  /** what ZooKeeperMain gets ("" when the expansion failed) */
  readonly line: string;
  /** printed on stdout first (the expanded line), or null */
  readonly echo: string | null;
  /** printed on stderr first (JLine's log of the failure), or null */
  readonly error: string | null;
}

export interface JLineState {
  readonly items: readonly string[];
  readonly offset: number;
  readonly reads: number;
}

export class JLineHistory {
  private items: string[] = [];
  /** MemoryHistory.offset: how many lines were dropped from the front */
  private offset = 0;
  /** how many lines ZooKeeperMain has read (reflective readLine calls) */
  private reads = 0;

  /** The state a checkpoint keeps. */
  save(): JLineState {
    return { items: [...this.items], offset: this.offset, reads: this.reads };
  }

  restore(s: JLineState): void {
    this.items = [...s.items];
    this.offset = s.offset;
    this.reads = s.reads;
  }

  private size(): number {
    return this.items.length;
  }

  /** history.index() with the cursor moved to the end, as it is between two lines. */
  private index(): number {
    return this.offset + this.items.length;
  }

  private get(index: number): string {
    return this.items[index - this.offset];
  }

  private add(item: string): void {
    if (this.items.length > 0 && this.items[this.items.length - 1] === item) return;
    this.items.push(item);
    while (this.items.length > historyMax) {
      this.items.shift();
      this.offset++;
    }
  }

  /** The absolute index of the newest line before `start` that starts with / contains `term`. */
  private searchBackwards(term: string, start: number, startsWith: boolean): number {
    for (let i = start - 1 - this.offset; i >= 0; i--) {
      const v = this.items[i];
      if (startsWith ? v.startsWith(term) : v.includes(term)) return i + this.offset;
    }
    return -1;
  }

  /** ConsoleReader.finishBuffer for one typed line. */
  finish(typed: string): FinishedLine {
    this.reads++;
    let str: string;
    let echo: string | null = null;
    let historyLine: string;
    try {
      str = this.expand(typed);
      if (str !== typed) echo = `${str}\n`;
      historyLine = str.replaceAll('!', '\\!').replace(/^\^/, '\\^');
    } catch (e) {
      if (!(e instanceof EventNotFound)) throw e;
      const accessor = this.reads <= nativeAccessorCallsMax ? nativeAccessorFrames : generatedAccessorFrames;
      const frames = [`jline.console.ConsoleReader.expandEvents(ConsoleReader.java:${e.line})`, ...readLineFrames, ...accessor, ...invokeFrames];
      const trace = frames.map((f) => `\tat ${f}`);
      const error = `[ERROR] Could not expand event\njava.lang.IllegalArgumentException: ${e.text}\n${trace.join('\n')}\n\n`;
      return { line: '', echo: null, error };
    }
    if (str.length > 0) this.add(historyLine);
    return { line: str, echo, error: null };
  }

  private expand(str: string): string {
    let sb = '';
    for (let i = 0; i < str.length; i++) {
      let c = str.charAt(i);
      if (c === '\\') {
        // `\!` anywhere and a leading `\^` escape the designator; any other `\` stays
        if (i + 1 < str.length) {
          const next = str.charAt(i + 1);
          if (next === '!' || (next === '^' && i === 0)) {
            c = next;
            i++;
          }
        }
        sb += c;
      } else if (c === '!') {
        if (i + 1 >= str.length) {
          sb += c;
          continue;
        }
        c = str.charAt(++i);
        let rep: string | null = null;
        if (c === '!') {
          if (this.size() === 0) throw new EventNotFound('!!: event not found', throwLine.last);
          rep = this.get(this.index() - 1);
        } else if (c === '#') {
          sb += sb;
        } else if (c === '?') {
          let end = str.indexOf('?', i + 1);
          if (end < 0) end = str.length;
          const term = str.slice(i + 1, end);
          i = end;
          const idx = this.searchBackwards(term, this.index(), false);
          if (idx < 0) throw new EventNotFound(`!?${term}: event not found`, throwLine.search);
          rep = this.get(idx);
        } else if (c === '$') {
          if (this.size() === 0) throw new EventNotFound('!$: event not found', throwLine.lastWord);
          const previous = this.get(this.index() - 1).trim();
          const lastSpace = previous.lastIndexOf(' ');
          rep = lastSpace !== -1 ? previous.slice(lastSpace + 1) : previous;
        } else if (c === ' ' || c === '\t') {
          sb += `!${c}`;
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          const neg = c === '-';
          if (neg) i++;
          const start = i;
          while (i < str.length && str.charAt(i) >= '0' && str.charAt(i) <= '9') i++;
          // the loop's own i++ then skips the character after the digits, as JLine's does
          const digits = str.slice(start, i);
          const notFound = (line: number): EventNotFound => new EventNotFound(`${neg ? '!-' : '!'}${digits}: event not found`, line);
          const parsed = javaParseInt(digits);
          if (!parsed.ok) throw notFound(throwLine.notNumber);
          const idx = parsed.value;
          if (neg) {
            if (!(idx > 0 && idx <= this.size())) throw notFound(throwLine.back);
            rep = this.get(this.index() - idx);
          } else {
            if (!(idx > this.index() - this.size() && idx <= this.index())) throw notFound(throwLine.numbered);
            rep = this.get(idx - 1);
          }
        } else {
          const term = str.slice(i);
          i = str.length;
          const idx = this.searchBackwards(term, this.index(), true);
          if (idx < 0) throw new EventNotFound(`!${term}: event not found`, throwLine.prefix);
          rep = this.get(idx);
        }
        if (rep !== null) sb += rep;
      } else if (c === '^' && i === 0 && this.size() > 0) {
        // (with no history Java's get(-1) would throw IndexOutOfBounds; we keep the `^`)
        const i1 = str.indexOf('^', i + 1);
        let i2 = str.indexOf('^', i1 + 1);
        if (i2 < 0) i2 = str.length;
        if (i1 > 0 && i2 > 0) {
          const s1 = str.slice(i + 1, i1);
          const s2 = str.slice(i1 + 1, i2);
          sb += this.get(this.index() - 1).replaceAll(s1, s2);
          i = i2 + 1;
        } else {
          sb += c;
        }
      } else {
        sb += c;
      }
    }
    return sb;
  }
}
