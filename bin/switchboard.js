#!/usr/bin/env node
// `npx switchboard`: runs the TypeScript CLI directly (Node >= 22.18 strips types itself).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`Switchboard needs Node.js 22.18 or newer (24 LTS recommended); this is ${process.versions.node}.`);
  process.exit(2);
}
await import('../src/cli.ts');
