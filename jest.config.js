// Two projects here: browser code under jsdom, the development server (and deploy checks) under node.
// The real-browser suite has its own config (e2e/jest.config.js), run by `npm run test:e2e` inside a
// loopback-only network namespace (scripts/in-netns.sh).
const tsJest = { '^.+\\.tsx?$': ['ts-jest', {}] };

module.exports = {
  projects: [
    {
      displayName: 'client',
      testEnvironment: 'jsdom',
      transform: tsJest,
      testMatch: ['<rootDir>/spec/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/spec/server/', '<rootDir>/spec/deploy/', '<rootDir>/spec/scripts/'],
      moduleNameMapper: { '\\.css$': '<rootDir>/spec/support/style-stub.js' },
      setupFiles: ['<rootDir>/spec/support/setup-jsdom.ts'],
    },
    {
      displayName: 'server',
      testEnvironment: 'node',
      transform: tsJest,
      testMatch: ['<rootDir>/spec/server/**/*.test.ts', '<rootDir>/spec/deploy/**/*.test.ts', '<rootDir>/spec/scripts/**/*.test.ts'],
    },
  ],
  collectCoverageFrom: ['src/**/*.ts', 'server/**/*.ts', '!**/*.d.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  coverageThreshold: {
    './src/verto/': { lines: 90 },
    './src/peer/': { lines: 90 },
    './src/view/': { lines: 90 },
    './src/rtc/': { lines: 90 },
  },
};
