// `npm start`: builds the web app when its build is missing or older than its sources, then
// starts the server in this process, compiled to dist/server/main.mjs when that is missing or
// older than its sources (tsx's loader when compiling fails).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = path.join(root, 'dist/web/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const sources = [path.join(root, 'src/web'), path.join(root, 'vite.config.ts')];
const sourceTime = Math.max(
  ...sources.map((s) => (fs.statSync(s).isDirectory() ? newestMtime(s) : fs.statSync(s).mtimeMs)),
);
if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < sourceTime) {
  console.log('Building the web app (first start or changed sources)… / 画面をビルドしています…');
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('The web build failed; see above. / 画面のビルドに失敗しました。');
    process.exit(result.status ?? 1);
  }
}

// The server compiled to JavaScript (scripts/build-server.mjs: rebuilt when a source changed, in
// well under a second) starts in about half the time of loading the TypeScript through tsx.
let entry;
try {
  const { ensureServerBuild } = await import('./build-server.mjs');
  entry = await ensureServerBuild();
} catch (err) {
  console.warn(`Could not compile the server (${err.message}); running it through tsx.`);
}
if (entry) {
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/server/main.ts', import.meta.url).href);
}
