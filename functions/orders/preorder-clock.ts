/** The pre-order routes' clock: the window's dates and the grace period are read against it (tests set it). */
export const preorderClock = { now: (): Date => new Date() };
