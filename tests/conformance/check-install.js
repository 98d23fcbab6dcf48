'use strict';
// ctest fixture: fails with a clear message when the suite's npm packages are missing or differ from
// package-lock.json (the conformance tests would otherwise die with "Cannot find module").
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const lock = JSON.parse(fs.readFileSync(path.join(here, 'package-lock.json'), 'utf8'));
const wanted = Object.keys((lock.packages && lock.packages[''] && lock.packages[''].dependencies) || {});
const problems = [];
for (const name of wanted) {
  const expected = lock.packages[`node_modules/${name}`] && lock.packages[`node_modules/${name}`].version;
  const file = path.join(here, 'node_modules', name, 'package.json');
  if (!fs.existsSync(file)) {
    problems.push(`${name} is not installed`);
    continue;
  }
  const installed = JSON.parse(fs.readFileSync(file, 'utf8')).version;
  if (installed !== expected) problems.push(`${name} is ${installed}, package-lock.json pins ${expected}`);
}
if (problems.length > 0) {
  console.error(`The conformance suite's npm packages are not installed as pinned in ${here}:`);
  for (const p of problems) console.error(`  - ${p}`);
  console.error('Run scripts/test (it runs "npm ci" in tests/conformance), or run "npm ci" in that folder yourself.');
  process.exit(1);
}
console.log(`npm packages OK: ${wanted.map((n) => `${n}@${lock.packages[`node_modules/${n}`].version}`).join(', ')}`);
