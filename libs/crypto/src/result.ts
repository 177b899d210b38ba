/**
 * Result values for expected failures (VotingWorks style): a function that can
 * fail because of its input returns `Result`, and throws only for bugs.
 */

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E> = Ok<T> | Err<E>;

/** Wraps a success value. */
export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/** Wraps an expected failure. */
export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/**
 * Returns the value of a successful result, or throws the error of a failed one.
 * For callers that have already validated their input (a failure here is a bug),
 * and for tests.
 */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw result.error instanceof Error ? result.error : new Error(String(result.error));
}
