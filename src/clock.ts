// The one source of "now". Injected so deadlines, lockouts and timeouts can be tested.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests that only moves when told to. */
export function fixedClock(start: Date | string): Clock & { advance(ms: number): void; set(d: Date | string): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    advance(ms: number) { current = new Date(current.getTime() + ms); },
    set(d: Date | string) { current = new Date(d); },
  };
}
