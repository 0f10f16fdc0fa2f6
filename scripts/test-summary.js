// Prints "N passed, N failed" from one or more jest --json reports (CI reads this plain line).
const fs = require('node:fs');

let passed = 0;
let failed = 0;
const files = process.argv.slice(2).filter((f) => fs.existsSync(f));
for (const file of files) {
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(files.length === 0 || failed > 0 ? 1 : 0);
