// Apps Script's V8 runtime as far as we may rely on it: ECMAScript 2020. Google documents "V8 runtime"
// and modern syntax, but no list of built-ins, so the add-on must not need any built-in newer than
// ES2020, neither while it loads nor at run time. Each execution context of the fakes runs this
// first: it deletes every built-in added by ES2021 and later (and the host's structuredClone), so a
// bundle that calls one fails here as it might on Google's servers (issue 9: @noble/hashes called
// Object.hasOwn while loading, which would have left the add-on without a menu or triggers).

/** Each removed built-in, by the edition that added it ("path" is read from the context's globalThis). */
export const POST_ES2020_BUILT_INS: Record<string, readonly string[]> = {
  ES2021: ['String.prototype.replaceAll', 'Promise.any', 'AggregateError', 'WeakRef', 'FinalizationRegistry'],
  ES2022: ['Object.hasOwn', 'Array.prototype.at', 'String.prototype.at', 'TypedArray.prototype.at'],
  ES2023: [
    'Array.prototype.findLast',
    'Array.prototype.findLastIndex',
    'Array.prototype.toReversed',
    'Array.prototype.toSorted',
    'Array.prototype.toSpliced',
    'Array.prototype.with',
    'TypedArray.prototype.findLast',
    'TypedArray.prototype.findLastIndex',
    'TypedArray.prototype.toReversed',
    'TypedArray.prototype.toSorted',
    'TypedArray.prototype.with',
  ],
  ES2024: ['Object.groupBy', 'Map.groupBy', 'Promise.withResolvers', 'String.prototype.isWellFormed', 'String.prototype.toWellFormed', 'ArrayBuffer.prototype.resize', 'ArrayBuffer.prototype.transfer', 'Atomics.waitAsync'],
  ES2025: [
    'Set.prototype.union',
    'Set.prototype.intersection',
    'Set.prototype.difference',
    'Set.prototype.symmetricDifference',
    'Set.prototype.isSubsetOf',
    'Set.prototype.isSupersetOf',
    'Set.prototype.isDisjointFrom',
    'Iterator',
    'RegExp.escape',
    'Promise.try',
    'Float16Array',
    'Math.f16round',
  ],
  host: ['structuredClone'],
};

/** Source run in a fresh vm context before the bundle: deletes each built-in above where the context has it. */
export const ES2020_PRELUDE = `(() => {
  const TypedArray = Object.getPrototypeOf(Uint8Array);
  const roots = { TypedArray };
  for (const path of ${JSON.stringify(Object.values(POST_ES2020_BUILT_INS).flat())}) {
    const parts = path.split('.');
    const last = parts.pop();
    let owner = globalThis;
    for (const p of parts) owner = owner === globalThis && p in roots ? roots[p] : owner && owner[p];
    if (owner && Object.prototype.hasOwnProperty.call(owner, last)) delete owner[last];
  }
})();`;
