// The workspace's build, run by the heed_web target: node build.mjs OUTPUT
// Lays out OUTPUT afresh (a file deleted from src/ is not served from a stale build):
// index.html; src/app.js, every module and the npm packages (preact, htm) bundled and
// minified by esbuild, with its source map; src/workspace.css, styles.css and
// case.css in one; and src/'s other files (images) as they are. One script and one
// stylesheet: unbundled, a cold page fetched fourteen modules in three rounds of six
// connections, most of a case page's time before anything could run.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const source = path.dirname(fileURLToPath(import.meta.url));
const output = process.argv[2];
if (!output) {
  console.error('build.mjs: usage: node build.mjs OUTPUT');
  process.exit(2);
}

fs.rmSync(output, { recursive: true, force: true });
fs.mkdirSync(path.join(output, 'src'), { recursive: true });
fs.copyFileSync(path.join(source, 'index.html'), path.join(output, 'index.html'));
for (const entry of fs.readdirSync(path.join(source, 'src'), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || /\.(js|css)$/.test(entry.name)) continue;
  const from = path.join(entry.parentPath ?? entry.path, entry.name);
  const to = path.join(output, 'src', path.relative(path.join(source, 'src'), from));
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

try {
  await build({
    absWorkingDir: source,
    entryPoints: ['src/app.js', 'src/workspace.css'],
    outdir: path.join(output, 'src'),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    // The browsers of a head office's laptops and tablets of recent years.
    target: ['es2020', 'chrome90', 'safari14', 'firefox90'],
    logLevel: 'warning',
  });
} catch {
  // esbuild has printed what it could not build.
  process.exit(1);
}
