// One jest run for every part. TypeScript and the ESM-only packages (@noble/hashes, culori's ESM
// build) are compiled by swc, so no part needs a separate build before its tests.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@noble|culori)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  collectCoverageFrom: ['shared/**/*.ts', 'relay/**/*.ts', 'figma-plugin/**/*.ts', 'apps-script/**/*.ts'],
  coverageReporters: ['text-summary'],
  setupFiles: ['<rootDir>/test/helpers/fast-check-seed.ts'],
  // A twin collection in any Figma fake fails the test that made it (issue 10).
  setupFilesAfterEnv: ['<rootDir>/test/helpers/no-twins.ts'],
  testTimeout: 30000,
};
