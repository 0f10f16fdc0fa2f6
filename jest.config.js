// Three projects: browser code under jsdom, the development server under node,
// and the real-browser suite (run separately, inside a loopback-only namespace: see e2e/run.sh).
const tsJest = { '^.+\\.tsx?$': ['ts-jest', {}] };

module.exports = {
  projects: [
    {
      displayName: 'client',
      testEnvironment: 'jsdom',
      transform: tsJest,
      testMatch: ['<rootDir>/spec/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/spec/server/', '<rootDir>/spec/deploy/', '<rootDir>/spec/check/'],
      moduleNameMapper: { '\\.css$': '<rootDir>/spec/support/style-stub.js' },
      setupFiles: ['<rootDir>/spec/support/setup-jsdom.ts'],
    },
    {
      displayName: 'server',
      testEnvironment: 'node',
      transform: tsJest,
      testMatch: ['<rootDir>/spec/server/**/*.test.ts', '<rootDir>/spec/deploy/**/*.test.ts', '<rootDir>/spec/check/**/*.test.ts'],
    },
  ],
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.d.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  coverageThreshold: {
    './src/verto/': { lines: 90 },
    './src/peer/': { lines: 90 },
    './src/view/': { lines: 90 },
    './src/rtc/': { lines: 90 },
  },
};
