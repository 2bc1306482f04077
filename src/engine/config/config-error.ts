/**
 * Configuration errors as values, carrying the exception ZooKeeper 3.8 throws: its Java class,
 * its message and, when ZooKeeper wraps one exception in another, the cause. For example a
 * zoo.cfg without dataDir gives
 *
 *   org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /conf/zoo.cfg
 *   Caused by: java.lang.IllegalArgumentException: dataDir is not set
 *
 * `reason` is the innermost message ("dataDir is not set"), the part a person reads first.
 */
export const configExceptionClass = 'org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException';
export const illegalArgumentClass = 'java.lang.IllegalArgumentException';
export const numberFormatClass = 'java.lang.NumberFormatException';
export const runtimeExceptionClass = 'java.lang.RuntimeException';
export const fileNotFoundClass = 'java.io.FileNotFoundException';
/** Not a ZooKeeper exception: something ZooKeeper accepts that the playground does not model. */
export const playgroundLimitClass = 'playground';

export interface JavaException {
  readonly exception: string;
  readonly message: string;
}

export interface ConfigError extends JavaException {
  readonly cause: JavaException | null;
  readonly reason: string;
}

export type ConfigResult<T> = { ok: true; value: T } | { ok: false; error: ConfigError };

/** `throw new ConfigException(message)`. */
export function configException(message: string): ConfigError {
  return { exception: configExceptionClass, message, cause: null, reason: message };
}

/** ZooKeeper's `new ConfigException("Error processing " + path, e)` around an exception. */
export function errorProcessing(path: string, cause: JavaException): ConfigError {
  return { exception: configExceptionClass, message: `Error processing ${path}`, cause, reason: cause.message };
}

export function javaException(exception: string, message: string): ConfigError {
  return { exception, message, cause: null, reason: message };
}

export function playgroundLimit(message: string): ConfigError {
  return { exception: playgroundLimitClass, message, cause: null, reason: message };
}

/** The exception lines of ZooKeeper's log (without stack frames), one per line. */
export function describeConfigError(e: ConfigError): string {
  const head = e.exception === playgroundLimitClass ? `playground: ${e.message}` : `${e.exception}: ${e.message}`;
  return e.cause ? `${head}\nCaused by: ${e.cause.exception}: ${e.cause.message}` : head;
}

export function ok<T>(value: T): ConfigResult<T> {
  return { ok: true, value };
}

export function fail<T>(error: ConfigError): ConfigResult<T> {
  return { ok: false, error };
}
