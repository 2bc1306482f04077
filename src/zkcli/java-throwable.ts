/**
 * A Java exception that zkCli does not catch. Real zkCli dies of these: the JVM's default handler
 * prints `Exception in thread "main" ` and Throwable.printStackTrace() on System.err, and the
 * process exits with status 1 (golden crash_*.out).
 *
 * Frames are stored without the `\tat ` prefix, innermost first. A throwable created deep inside a
 * command gets the frames of its own method(s); as it unwinds through ZkCliMain, each Java method
 * on the way appends its frame (`withFrame`), so the printed stack is the one Java would capture.
 */
export class JavaThrowable extends Error {
  readonly frames: string[];

  constructor(
    readonly className: string,
    readonly javaMessage: string | null,
    frames: readonly string[],
    override readonly cause: JavaThrowable | null = null,
  ) {
    super(javaMessage === null ? className : `${className}: ${javaMessage}`);
    this.frames = [...frames];
  }

  /** Throwable.toString(): the class name, then `: message` when there is one. */
  override toString(): string {
    return this.javaMessage === null ? this.className : `${this.className}: ${this.javaMessage}`;
  }

  /** Adds the frame of a caller the throwable unwinds through (outermost last). */
  withFrame(frame: string): this {
    this.frames.push(frame);
    return this;
  }

  /** Adds the same frames to this throwable and to its causes, which share the caller's stack. */
  withSharedFrame(frame: string): this {
    this.frames.push(frame);
    this.cause?.withSharedFrame(frame);
    return this;
  }
}

/** Where a ZooKeeperMain method was when it called the next one down (3.8.0 line numbers). */
export const mainFrame = (method: string, line: number): string =>
  `org.apache.zookeeper.ZooKeeperMain.${method}(ZooKeeperMain.java:${line})`;

export const cliFrame = (cls: string, method: string, line: number): string =>
  `org.apache.zookeeper.cli.${cls}.${method}(${cls}.java:${line})`;

/** PathUtils.validatePath's frame (3.8.0 throw lines by message), for the trace of an uncaught bad path. */
export function pathUtilsFrame(message: string): string {
  let line = 91;
  if (message === 'Path cannot be null') line = 43;
  else if (message === 'Path length must be > 0') line = 46;
  else if (message === 'Path must start with / character') line = 49;
  else if (message === 'Path must not end with / character') line = 55;
  return `org.apache.zookeeper.common.PathUtils.validatePath(PathUtils.java:${line})`;
}

/** Throwable.printStackTrace with the JVM's `Exception in thread "main" ` prefix. */
export function describeUncaught(t: JavaThrowable): string {
  let text = `Exception in thread "main" ${t.toString()}\n`;
  for (const frame of t.frames) text += `\tat ${frame}\n`;
  let enclosing = t.frames;
  for (let cause = t.cause; cause !== null; cause = cause.cause) {
    text += `Caused by: ${cause.toString()}\n`;
    const common = framesInCommon(cause.frames, enclosing);
    for (const frame of cause.frames.slice(0, cause.frames.length - common)) text += `\tat ${frame}\n`;
    if (common > 0) text += `\t... ${common} more\n`;
    enclosing = cause.frames;
  }
  return text;
}

/** Throwable.printEnclosedStackTrace: how many frames, counted from the outermost, match. */
function framesInCommon(frames: readonly string[], enclosing: readonly string[]): number {
  let m = frames.length - 1;
  let n = enclosing.length - 1;
  while (m >= 0 && n >= 0 && frames[m] === enclosing[n]) {
    m--;
    n--;
  }
  return frames.length - 1 - m;
}
