// The real-browser suite: Debian's Chromium driven by playwright-core against the development server.
// Run it inside a loopback-only network namespace (`npm run test:e2e` does, via scripts/in-netns.sh).
module.exports = {
  rootDir: '..',
  displayName: 'e2e',
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['ts-jest', {}] },
  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
  globalSetup: '<rootDir>/e2e/support/global-setup.ts',
  // One browser per file; files in sequence, so the 2-core machine is not shared between calls.
  maxWorkers: 1,
  testTimeout: 60_000,
  verbose: true,
};
