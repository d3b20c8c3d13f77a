/**
 * Concurrency slots: the platform's "at most N of these at once" rules (customers.v3.yml: at most 3
 * concurrent `PUT /v3/customers`). A request takes a slot when it arrives and gives it back when
 * its processing is over, so the rule is observable only when processing takes time; the route
 * decides how long (see `customerUpdateMs` in simulator.ts).
 */

export interface Slots {
  readonly limit: number;
  /** Slots taken now. */
  readonly inFlight: number;
  /** Take a slot: a release function (idempotent), or undefined when all are taken. */
  take(): (() => void) | undefined;
}

export function createSlots(limit: number): Slots {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Failed to create concurrency slots: ${limit} is not a whole number >= 1.`);
  let inFlight = 0;
  return {
    limit,
    get inFlight() {
      return inFlight;
    },
    take() {
      if (inFlight >= limit) return undefined;
      inFlight++;
      let released = false;
      // Idempotent: a response that finishes and then closes must not give the slot back twice.
      return () => {
        if (released) return;
        released = true;
        inFlight--;
      };
    },
  };
}
