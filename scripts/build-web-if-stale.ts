// Builds the dashboard before `npm start` when web/dist is missing or older than its sources.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function dashboardIsStale(): boolean {
  const built = path.join(root, 'web', 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(newestMtime(path.join(root, 'web', 'src')), statSync(path.join(root, 'web', 'index.html')).mtimeMs);
  return sources > statSync(built).mtimeMs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(path.join(root, 'web', 'index.html'))) process.exit(0);
  if (dashboardIsStale()) {
    console.log('Building the dashboard (first start or changed sources)…');
    execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
  }
}
