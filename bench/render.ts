// `npm run bench:render -- bench/results/<date>.json`: rewrites the markdown copy of a result
// (after a change to the report's layout) without running the benchmark again.
import { readFileSync, writeFileSync } from 'node:fs';
import { markdown, type Report } from './lib/report.js';

const file = process.argv[2];
if (!file?.endsWith('.json')) throw new Error('usage: npm run bench:render -- bench/results/<date>.json');
const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
writeFileSync(file.replace(/\.json$/, '.md'), markdown(report));
