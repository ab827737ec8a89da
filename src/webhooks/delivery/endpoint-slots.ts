// Isolation between endpoints inside one worker process: at most N deliveries in flight per endpoint.
// A delivery that finds its endpoint full waits briefly for a slot (a fast endpoint frees one in
// milliseconds, so a backlog to it flows without churn); past the wait it is put back in the queue
// (see deliver-job.ts), so a slow receiver never holds more than its N slots and a second of others'.

export interface EndpointSlots {
  /** A slot within `maxWaitMs`, as the function that gives it back; null when none freed up in time. */
  take(endpointId: string, limit: number, maxWaitMs: number): Promise<(() => void) | null>;
  inFlight(endpointId: string): number;
}

interface Waiter {
  grant: (release: () => void) => void;
  timer: NodeJS.Timeout;
}

export function createEndpointSlots(): EndpointSlots {
  const counts = new Map<string, number>();
  const waiting = new Map<string, Waiter[]>();

  const releaser = (endpointId: string) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the slot straight to the longest waiter, so it never looks free to a newcomer in between.
      const next = waiting.get(endpointId)?.shift();
      if (next) {
        clearTimeout(next.timer);
        next.grant(releaser(endpointId));
        return;
      }
      const left = (counts.get(endpointId) ?? 1) - 1;
      if (left <= 0) counts.delete(endpointId);
      else counts.set(endpointId, left);
    };
  };

  return {
    take(endpointId, limit, maxWaitMs) {
      const current = counts.get(endpointId) ?? 0;
      if (current < limit) {
        counts.set(endpointId, current + 1);
        return Promise.resolve(releaser(endpointId));
      }
      if (maxWaitMs <= 0) return Promise.resolve(null);
      return new Promise((resolve) => {
        const queue = waiting.get(endpointId) ?? [];
        const waiter: Waiter = {
          grant: resolve,
          timer: setTimeout(() => {
            const list = waiting.get(endpointId);
            const index = list?.indexOf(waiter) ?? -1;
            if (list && index >= 0) list.splice(index, 1);
            if (list?.length === 0) waiting.delete(endpointId);
            resolve(null);
          }, maxWaitMs),
        };
        queue.push(waiter);
        waiting.set(endpointId, queue);
      });
    },
    inFlight: (endpointId) => counts.get(endpointId) ?? 0,
  };
}
