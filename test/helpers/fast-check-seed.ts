// Property tests explore with a new random seed on every developer run; CI uses one fixed seed so a
// landing is judged on the same cases each time. FC_SEED=<n> replays a failure anywhere.
import fc from 'fast-check';

const fixed = process.env.FC_SEED ?? (process.env.CI ? '20261126' : undefined);
if (fixed !== undefined) fc.configureGlobal({ seed: Number(fixed) });
