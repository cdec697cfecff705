import type { Scenario } from "../model/types.js";
import type { Allocation } from "./allocation.js";

/**
 * An allocation strategy: a name and a method that fills the (empty)
 * allocation it is given. Strategies may be async (e.g. an integer program).
 * Under the allocation mode "augment" the target comes with the units of a
 * base placement (`target.mode === "augment"`): a strategy keeps them where
 * they are and places only the others — `placeUnits` does so for the
 * built-in strategies; `augment` refuses a strategy that moves or drops them.
 */
export interface Strategy {
  name: string;
  description: string;
  allocate(scenario: Scenario, target: Allocation, options?: Record<string, unknown>): void | Promise<void>;
}
