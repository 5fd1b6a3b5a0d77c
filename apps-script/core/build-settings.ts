// What the operator built into the add-on (scripts/build.mjs): the relay's registration key, sent as
// a bearer token on the unsigned PUTs that claim or re-claim a channel. Empty when the build had none.

/** Replaced by the build (esbuild `define`); absent when this file runs unbundled (unit tests). */
declare const __SFS_REGISTRATION_KEY__: string;

export function builtRegistrationKey(): string | undefined {
  const key = typeof __SFS_REGISTRATION_KEY__ === 'string' ? __SFS_REGISTRATION_KEY__ : '';
  return key === '' ? undefined : key;
}
