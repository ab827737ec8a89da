// `npm run bench [-- name…]`: runs the bench/*.bench.ts modules one after another, prints a table per
// benchmark and writes bench/results/<name>.json with the machine it ran on.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findPostgres, formatTable, machineInfo, type BenchContext, type Benchmark } from './harness.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(benchDir, 'results');

function isBenchmark(value: unknown): value is Benchmark {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Benchmark>;
  return typeof candidate.name === 'string' && typeof candidate.description === 'string' && typeof candidate.run === 'function';
}

async function loadBenchmarks(): Promise<Benchmark[]> {
  const files = readdirSync(benchDir)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort();
  const benchmarks: Benchmark[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(benchDir, file)).href)) as { default?: unknown };
    if (!isBenchmark(module.default)) {
      throw new Error(`${file} must default-export { name, description, run(ctx) }`);
    }
    benchmarks.push(module.default);
  }
  return benchmarks;
}

async function main(): Promise<number> {
  const all = await loadBenchmarks();
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = wanted.filter((name) => !all.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${all.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const selected = wanted.length > 0 ? all.filter((b) => wanted.includes(b.name)) : all;

  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error(`BENCH_ROUNDS must be a positive integer, got ${process.env.BENCH_ROUNDS}`);
    return 2;
  }
  const postgresUrl = await findPostgres();
  console.log(
    postgresUrl
      ? `PostgreSQL answers at ${redact(postgresUrl)}: measuring it too.`
      : 'No PostgreSQL answered (set BENCH_DATABASE_URL): measuring the embedded database only.',
  );
  mkdirSync(resultsDir, { recursive: true });

  let failures = 0;
  for (const benchmark of selected) {
    const machine = machineInfo();
    console.log(`\n== ${benchmark.name}: ${benchmark.description}`);
    console.log(`   ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage}, ${rounds} rounds`);
    const ctx: BenchContext = {
      rounds,
      postgresUrl,
      log: (message) => console.log(`   [${benchmark.name}] ${message}`),
    };
    const started = performance.now();
    try {
      const result = await benchmark.run(ctx);
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      const file = path.join(resultsDir, `${benchmark.name}.json`);
      const document = {
        benchmark: benchmark.name,
        description: benchmark.description,
        machine,
        rounds,
        durationSeconds: seconds,
        rows: result.rows,
        notes: result.notes,
      };
      writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
      console.log(`\n${formatTable(result.rows)}\n`);
      for (const note of result.notes) console.log(`   note: ${note}`);
      console.log(`   ${seconds} s, written to ${path.relative(process.cwd(), file)}`);
    } catch (error) {
      failures += 1;
      console.error(`   ${benchmark.name} failed:`, error);
    }
  }
  return failures > 0 ? 1 : 0;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

// Benchmarks leave pools and child processes behind only on failure; exit instead of hanging on them.
process.exit(await main());
