/** Runs a bench child script in a fresh Node (own heap, --expose-gc) and parses its JSON line. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export function runChild<T>(script: string, args: readonly string[], timeoutMs = 30 * 60_000): Promise<T> {
  const file = join(import.meta.dirname, '..', 'child', script);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', '--import', 'tsx', file, ...args], { timeout: timeoutMs, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${script}: ${err.message}\n${stderr}`));
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script}: no JSON result: ${stdout.slice(-500)} ${stderr.slice(-500)}`));
      }
    });
  });
}
