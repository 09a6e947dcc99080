// The workspace's build, run by the heed_web target: node build.mjs OUTPUT
// Lays out OUTPUT afresh (a file deleted from src/ is not served from a stale build):
// index.html; src/app.js, every module and the npm packages (preact, htm) bundled and
// minified by esbuild, with its source map; src/workspace.css, styles.css and
// case.css in one; and src/'s other files (images) as they are. One script and one
// stylesheet: unbundled, a cold page fetched fourteen modules in three rounds of six
// connections, most of a case page's time before anything could run.
//
// The modules' html`...` templates are compiled here into Preact h() calls (the
// htmPlugin below), as babel-plugin-htm does: the browser then neither loads htm nor
// parses a template before it can draw (a case page's first render on a 2-core
// machine spent tens of milliseconds there). The sources stay as written and still run
// with htm at run time (src/html.js), so nothing needs the build to be read or changed.
import { build } from 'esbuild';
import { parse } from 'acorn';
import MagicString from 'magic-string';
// htm's parser, which its package ships but does not export by name.
import { build as htmBuild, treeify } from './node_modules/htm/src/build.mjs';
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

// ---- htm templates compiled to h() calls ---------------------------------------------
//
// For every module in src/ that imports `html` from './html.js', each html`...` becomes
// the h(tag, props, ...children) calls htm would make at run time, with htm's own
// parser (htm/src/build.mjs, whose treeify() exists for such compilers). acorn finds the
// templates; MagicString rewrites only the templates' static text, so the expressions
// inside them keep their place and the source map (inline, which esbuild follows)
// leads back to the file as written. What htm does, kept exactly: text trimmed where
// it meets a line break, "a ${b} c" attributes concatenated as strings, ...${spread}
// props merged in order, boolean attributes true, several top-level elements an
// array, a template of one value that value. A template it cannot compile faithfully
// (`html` shadowed, used other than as a tag, a dropped field that might have an
// effect) stops the build with the file and line, rather than run differently.

/** An expression of a template, as htm's parser passes it around. */
class Field {
  constructor(index) {
    this.index = index;
  }
}

/** esbuild plugin: compiles html`...` in the modules under `dir` (see above). */
function htmPlugin(dir) {
  return {
    name: 'heed-htm',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (path.relative(dir, args.path).startsWith('..')) return undefined;
        const text = await fs.promises.readFile(args.path, 'utf8');
        try {
          const code = compileHtm(text, path.relative(source, args.path));
          return code === null ? undefined : { contents: code, loader: 'js' };
        } catch (err) {
          // Ours carry `location`; acorn's syntax errors carry `loc`.
          const at = err.location ??
            (err.loc && { line: err.loc.line, column: err.loc.column, lineText: text.split('\n')[err.loc.line - 1] });
          return { errors: [{ text: err.message, location: at && { file: args.path, ...at } }] };
        }
      });
    },
  };
}

/** `text` with its html`...` templates compiled and an inline source map; null if it has none. */
function compileHtm(text, file) {
  const ast = parse(text, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
  const fail = (node, message) => {
    const err = new Error(`${message} (html\`...\` templates are compiled by build.mjs)`);
    err.location = { line: node.loc.start.line, column: node.loc.start.column, lineText: text.split('\n')[node.loc.start.line - 1] };
    throw err;
  };

  // The local name of html.js's `html`, and where html.js is imported from.
  let tag = null;
  let from = null;
  for (const node of ast.body) {
    if (node.type !== 'ImportDeclaration' || !/(^|\/)html\.js$/.test(node.source.value)) continue;
    for (const spec of node.specifiers) {
      if (spec.type === 'ImportSpecifier' && spec.imported.name === 'html') {
        tag = spec.local;
        from = node.source.value;
      }
    }
  }
  if (!tag) return null;

  // Every use of the name must be a template's tag, and nothing may declare it again.
  const templates = [];
  const visit = (node, parent, key) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'Identifier' && node.name === tag.name && node !== tag) {
      const isTag = parent.type === 'TaggedTemplateExpression' && key === 'tag';
      const notAReference = (parent.type === 'MemberExpression' && key === 'property' && !parent.computed) ||
        (parent.type === 'Property' && key === 'key' && !parent.computed && parent.value !== node) ||
        (parent.type === 'MethodDefinition' && key === 'key' && !parent.computed) ||
        (parent.type === 'PropertyDefinition' && key === 'key' && !parent.computed);
      if (!isTag && !notAReference) fail(node, `"${tag.name}" is used other than as html\`...\`'s tag, or declared again`);
    }
    if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && node.tag.name === tag.name) {
      templates.push(node);
    }
    for (const [k, child] of Object.entries(node)) {
      if (Array.isArray(child)) for (const c of child) visit(c, node, k);
      else if (child && typeof child.type === 'string') visit(child, node, k);
    }
  };
  visit(ast, null, null);
  if (!templates.length) return null;

  let h = '$h';
  while (text.includes(h)) h = `$${h}`;
  const s = new MagicString(text);
  for (const node of templates) compileTemplate(node, s, h, fail);
  s.append(`\nimport { h as ${h} } from ${JSON.stringify(from)};\n`);
  const map = s.generateMap({ source: path.basename(file), includeContent: true, hires: true });
  return `${s.toString()}\n//# sourceMappingURL=${map.toUrl()}\n`;
}

/** Rewrites one html`...` in `s` as h() calls, leaving its expressions where they are. */
function compileTemplate(node, s, h, fail) {
  const { quasis, expressions } = node.quasi;
  // htm's parser, on the template's static strings; the fields stand for the expressions.
  const statics = quasis.map((q) => {
    if (q.value.cooked === null) fail(q, 'an invalid escape in a template');
    return q.value.cooked;
  });
  const fields = expressions.map((_, i) => new Field(i));
  const tree = treeify(htmBuild(statics), fields);

  // The code as alternating pieces: strings of new code, and Fields (the expressions).
  const out = [];
  const value = (v) => {
    if (v instanceof Field) out.push('(', v, ')');
    else if (typeof v === 'string' || typeof v === 'boolean') out.push(JSON.stringify(v));
    else element(v);
  };
  const element = ({ tag, props, children }) => {
    out.push(`${h}(`);
    value(tag);
    out.push(',');
    if (!props.length) out.push('null');
    else {
      out.push('{');
      for (const p of props) {
        if (p instanceof Field) out.push('...', p, ',');
        else {
          for (const [name, parts] of Object.entries(p)) {
            out.push(`${JSON.stringify(name)}:`);
            // htm: the first part as it is, the others appended as strings.
            if (parts.length > 1 && typeof parts[0] !== 'string') out.push('""+');
            parts.forEach((part, i) => {
              if (i) out.push('+');
              value(part);
            });
            out.push(',');
          }
        }
      }
      out.push('}');
    }
    for (const c of children) {
      out.push(',');
      value(c);
    }
    out.push(')');
  };
  if (tree === undefined) out.push('void 0');
  else if (Array.isArray(tree)) {
    out.push('[');
    tree.forEach((c, i) => {
      if (i) out.push(',');
      value(c);
    });
    out.push(']');
  } else value(tree);

  // Each run of new code replaces the source between two expressions it keeps: the
  // expressions must come out in the source's order. One htm drops (a closing tag's
  // `</${Component}>`) goes with the text around it, so it must be a plain name.
  let from = node.start;
  let pending = '';
  let next = 0;
  const write = (start, end, code) => {
    if (code) s.overwrite(start, end, code);
    else s.remove(start, end);
  };
  for (const piece of out) {
    if (!(piece instanceof Field)) {
      pending += piece;
      continue;
    }
    if (piece.index < next) fail(expressions[piece.index], 'an expression htm would use out of order');
    for (; next < piece.index; ++next) dropped(expressions[next], fail);
    write(from, expressions[piece.index].start, pending);
    from = expressions[piece.index].end;
    pending = '';
    next = piece.index + 1;
  }
  for (; next < expressions.length; ++next) dropped(expressions[next], fail);
  write(from, node.end, pending);
}

function dropped(expr, fail) {
  const plain = (e) => e.type === 'Identifier' || (e.type === 'MemberExpression' && !e.computed && plain(e.object));
  if (!plain(expr)) fail(expr, 'an expression htm ignores (in a closing tag or a comment) that is not a plain name');
}

let result;
try {
  result = await build({
    absWorkingDir: source,
    entryPoints: ['src/app.js', 'src/workspace.css'],
    outdir: path.join(output, 'src'),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    // Pages loaded on first visit (the dashboard, with uPlot) become chunks of their
    // own, so that the queue and case pages never load or evaluate them.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // The browsers of a head office's laptops and tablets of recent years.
    target: ['es2020', 'chrome90', 'safari14', 'firefox90'],
    logLevel: 'warning',
    plugins: [htmPlugin(path.join(source, 'src'))],
    metafile: true,
  });
  preloadChunks(result.metafile);
} catch (e) {
  // esbuild has printed what it could not build; anything else says here.
  if (!e.errors) console.error(`build.mjs: ${e.message}`);
  process.exit(1);
}

// The chunks app.js imports (what it shares with the dashboard's chunk) are named in
// index.html as modulepreload links: fetched beside app.js, not one round trip after it.
function preloadChunks(metafile) {
  const app = Object.entries(metafile.outputs).find(([file]) => file.endsWith('src/app.js'));
  const links = app[1].imports
    .filter((i) => i.kind === 'import-statement')
    .map((i) => `  <link rel="modulepreload" href="/src/${path.relative(path.join(output, 'src'), path.resolve(source, i.path)).split(path.sep).join('/')}">\n`)
    .join('');
  const index = path.join(output, 'index.html');
  const page = fs.readFileSync(index, 'utf8');
  const script = '  <script type="module" src="/src/app.js"></script>\n';
  if (!page.includes(script)) throw new Error('index.html no longer loads /src/app.js as build.mjs expects');
  fs.writeFileSync(index, page.replace(script, script + links));
}
