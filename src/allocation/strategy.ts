import type { Scenario } from "../model/types.js";
import type { Allocation } from "./allocation.js";

/**
 * An allocation strategy: a name and a method that fills the (empty)
 * allocation it is given. Strategies may be async (e.g. an integer program).
 */
export interface Strategy {
  name: string;
  description: string;
  allocate(scenario: Scenario, target: Allocation, options?: Record<string, unknown>): void | Promise<void>;
}
