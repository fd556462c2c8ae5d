// The server as one JavaScript file, dist/server/main.mjs, for `npm start` (scripts/start.mjs).
// Loading ~200 TypeScript files through tsx's loader took about as long as everything else a
// start does (docs/performance-history.md); the same code compiled once starts in about half the time.
//
//   import { ensureServerBuild } from './build-server.mjs';
//   const entry = await ensureServerBuild();   // builds only when a source is newer than the build
//
// CLI: `node scripts/build-server.mjs` builds it now.
//
// esbuild (the compiler tsx uses) bundles src/server/main.ts and everything it imports from
// src/; packages stay in node_modules and load as usual. `import.meta.url` in a source file keeps
// naming that source file (migrations, the web build and fonts are found next to the sources, as
// under tsx), and names are kept as written (keepNames). dist/server/meta.json lists every input:
// a start rebuilds when one of them, or this script, changed or disappeared.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = path.join(root, 'dist/server');
const outFile = path.join(outDir, 'main.mjs');
const metaFile = path.join(outDir, 'meta.json');
const thisFile = fileURLToPath(import.meta.url);

/** True when dist/server/main.mjs exists and no input is newer than it (or gone). */
export function serverBuildIsFresh() {
  let meta;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  } catch {
    return false;
  }
  if (!fs.existsSync(outFile) || !Array.isArray(meta.inputs)) return false;
  const builtAt = meta.builtAt;
  for (const input of [...meta.inputs, path.relative(root, thisFile)]) {
    try {
      if (fs.statSync(path.join(root, input)).mtimeMs > builtAt) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** `import.meta.url` in a source file → the URL of that source file, relative to the bundle. */
const sourceUrls = {
  name: 'source-urls',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
      let text = await fs.promises.readFile(args.path, 'utf8');
      if (text.includes('import.meta.url')) {
        const relative = path.relative(outDir, args.path).split(path.sep).join('/');
        text = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`);
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

/** Builds dist/server/main.mjs now; answers its path. */
export async function buildServer() {
  const { build } = await import('esbuild');
  // Sources read before the build started count as older than it: an edit made during the build
  // makes the next start build again.
  const builtAt = Date.now() - 1;
  fs.mkdirSync(outDir, { recursive: true });
  // A temporary name, renamed when complete: another process starting meanwhile never loads half a file.
  const tmp = `${outFile}.${process.pid}.tmp`;
  const result = await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'src/server/main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    keepNames: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceUrls],
  });
  const inputs = Object.keys(result.metafile.inputs);
  fs.renameSync(`${tmp}.map`, `${outFile}.map`);
  // The bundle points at its map by the temporary name; point it at the final one.
  const code = fs
    .readFileSync(tmp, 'utf8')
    .replace(/\/\/# sourceMappingURL=\S+\s*$/, '//# sourceMappingURL=main.mjs.map\n');
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, outFile);
  fs.writeFileSync(metaFile, JSON.stringify({ builtAt, inputs }, null, 1));
  return outFile;
}

/** dist/server/main.mjs, built first when missing or older than its sources. */
export async function ensureServerBuild() {
  if (serverBuildIsFresh()) return outFile;
  return buildServer();
}

if (process.argv[1] && path.resolve(process.argv[1]) === thisFile) {
  const t0 = Date.now();
  await buildServer();
  console.log(`${path.relative(root, outFile)} built in ${Date.now() - t0} ms`);
}
