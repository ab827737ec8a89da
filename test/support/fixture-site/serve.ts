// Runs a fixture site in a process of its own (benchmarks: the site must not share the crawler's CPU).
// Options come as JSON in argv[2]; the first line printed is the site's URL; it stops when stdin closes.
import { startFixtureSite, type FixtureSiteOptions } from './index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as FixtureSiteOptions;
const site = await startFixtureSite(options);
process.stdout.write(`${site.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void site.close().then(() => process.exit(0));
});
