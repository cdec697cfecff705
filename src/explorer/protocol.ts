/**
 * Messages between the explorer's page and its Web Workers (./worker.ts): the runner's tasks
 * (src/experiment/kernel.ts) as plain, structured-clonable data.
 */
import type { CompiledModel } from "../compile/compile.js";
import type { TaskResult } from "../experiment/kernel.js";

/** Messages to a worker. */
export type ToWorker =
  | {
      type: "task";
      id: number;
      group: number;
      /** The group's models, the first time this worker gets one of its tasks. */
      models?: readonly CompiledModel[];
      seed: string;
      from: number;
      to: number;
    }
  | { type: "release"; group: number };

/** Messages from a worker. */
export type FromWorker = ({ type: "done"; id: number } & TaskResult) | { type: "error"; id: number; message: string };
