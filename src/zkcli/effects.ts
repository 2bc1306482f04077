/**
 * zkCli is pure: a command runs as a generator that yields effects and is resumed by the
 * host with their results. That keeps zkCli free of IO and of async, and lets the same code
 * drive a Node terminal, a browser console and a deterministic simulator.
 *
 *   const gen = cli.executeLine('create /a hello');
 *   let step = gen.next();
 *   while (!step.done) step = gen.next(host.perform(step.value));
 *
 * Effect -> what the host resumes the generator with:
 *   call     -> CallResult (the client session performed the call; waits for the reply)
 *   connect  -> void       (closed the current session, if any, and opened a new one to
 *                           connectString; when waitForConnection is set, the host runs until
 *                           connected before resuming)
 *   close    -> void       (closed the session; its `Closed` event has been delivered)
 *   state    -> ClientState
 *   quit     -> never resumed: the host ends the process with `code`
 *   crash    -> never resumed: zkCli died of an uncaught Java exception; the host prints
 *               nothing more and exits with code 1 (the trace was already written to err)
 */
import type { CallResult, ClientCall, ClientState } from '../client/api.ts';

export type Effect =
  | { readonly kind: 'call'; readonly call: ClientCall }
  | { readonly kind: 'connect'; readonly connectString: string }
  | { readonly kind: 'close' }
  | { readonly kind: 'state' }
  | { readonly kind: 'quit'; readonly code: number }
  | { readonly kind: 'crash' };

export type EffectResult = CallResult | ClientState | void;

/** Where zkCli writes: System.out and System.err. Text includes its own newlines. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export type CommandRun = Generator<Effect, void, EffectResult>;
