// A gate a piece of work waits at until the test opens it: to hold a write transaction (an import
// half-way through its list) open while the test looks at what else goes on meanwhile.

export interface Gate {
  /** Settles once the work has come to the gate. */
  readonly reached: Promise<void>;
  /** Called by the work: marks the gate reached, then waits for it to open. */
  wait(): Promise<void>;
  /** Lets the work through. */
  open(): void;
}

export function gate(): Gate {
  let arrive: () => void = () => undefined;
  let open: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    reached,
    wait: () => {
      arrive();
      return opened;
    },
    open,
  };
}
