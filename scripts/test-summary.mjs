// Adds up the JSON reports that scripts/test.sh asks vitest and Playwright for, and prints the
// closing line "N passed, N failed[, N skipped]".
import fs from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const name of ['unit', 'integration', 'pglite']) {
  const file = `test-results/vitest-${name}.json`;
  if (!fs.existsSync(file)) continue;
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
}
if (fs.existsSync('test-results/e2e.json')) {
  const s = JSON.parse(fs.readFileSync('test-results/e2e.json', 'utf8')).stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
