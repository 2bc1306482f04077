/**
 * Linearizability checking for simulator histories: Porcupine's algorithm in TypeScript.
 *
 * Theory of operation
 *   Record a history (`HistoryRecorder`), pick a sequential model (`zkModel` for znodes,
 *   `registerModel`, `kvModel`), run `checkOperations` with a step budget, and print the
 *   verdict with `describeCheck`. `jepsen-export.ts` moves histories to and from Jepsen's
 *   JSON event shape. Each module's header explains its part.
 */
export { checkEvents, checkOperations, eventsToOperations, sliceStepsMin, stepsMaxDefault } from './checker.ts';
export type { CheckOptions, CheckResult, CheckVerdict, EventCheckOptions, PartitionCheck, PartitionVerdict } from './checker.ts';
export { describeCheck } from './describe-check.ts';
export { generateHistory, type GeneratorOptions, type SequentialSpec } from './history-generator.ts';
export { HistoryRecorder, type RecordedOperationId } from './history-recorder.ts';
export {
  exportJepsenJson,
  fromJepsenEvents,
  importJepsenJson,
  parseJepsen,
  registerJepsenCodec,
  stringifyJepsen,
  toJepsenEvents,
  zkJepsenCodec,
} from './jepsen-export.ts';
export type { JepsenCodec, JepsenCompletion, JepsenEvent, JepsenEventType } from './jepsen-export.ts';
export { kvModel, kvWholeModel, type KvInput, type KvMap, type KvOutput } from './kv-model.ts';
export { isPending, partitionByKey, type HistoryEvent, type Model, type Operation } from './model.ts';
export { registerModel, type RegisterInput, type RegisterOutput, type RegisterValue } from './register-model.ts';
export { applyZk, initialZkState, zkModel, zkWritesOnly } from './zk-model.ts';
export type { ZkData, ZkErrorCode, ZkInput, ZkOutput, ZkState, ZnodeModel } from './zk-model.ts';
