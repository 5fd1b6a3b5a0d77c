// Errors as Apps Script throws them (named "Exception"), and the guard for methods a fake lacks.

/** An Apps Script service error: `name` is "Exception", as in "Exception: Range not found". */
export function gasError(message: string): Error {
  const err = new Error(message);
  err.name = 'Exception';
  return err;
}

/**
 * Wraps a fake so any member it does not implement throws "not implemented in fake: Kind.member"
 * when called, instead of quietly being undefined. Typed as the full Apps Script interface.
 */
export function strictFake<T>(target: object, kind: string): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      if (typeof key === 'symbol' || key in obj || key === 'then' || key === 'toJSON') return Reflect.get(obj, key, receiver);
      return () => {
        throw new Error(`not implemented in fake: ${kind}.${key}`);
      };
    },
  }) as T;
}
