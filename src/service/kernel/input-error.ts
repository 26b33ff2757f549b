// Input that a read cannot use (a cursor it never gave out, an order it does not know): thrown by
// the application layer, answered by each edge as bad input naming the field (HTTP 400, exit 2).

/** Bad input found below the edge, naming the field at fault. */
export class InputError extends Error {
  readonly code = 'invalid_input';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}
