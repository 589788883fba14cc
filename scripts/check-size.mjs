// Size limits that keep the source readable: no file in src/ over 400 lines, no function over 80.
// Functions are found with the TypeScript parser, in .ts files and in the <script> blocks of .svelte files.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;
const root = new URL('..', import.meta.url).pathname;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|svelte)$/.test(name)) yield p;
  }
}

/** The TypeScript of a file and the line its first character sits on (script blocks of a component). */
function scripts(path, text) {
  if (!path.endsWith('.svelte')) return [{ code: text, line0: 0 }];
  const out = [];
  for (const m of text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) {
    out.push({ code: m[1], line0: text.slice(0, m.index + m[0].indexOf('>') + 1).split('\n').length - 1 });
  }
  return out;
}

const isFunction = (n) =>
  ts.isFunctionDeclaration(n) ||
  ts.isMethodDeclaration(n) ||
  ts.isArrowFunction(n) ||
  ts.isFunctionExpression(n) ||
  ts.isConstructorDeclaration(n) ||
  ts.isGetAccessor(n) ||
  ts.isSetAccessor(n);

const problems = [];
for (const path of files(join(root, 'src'))) {
  const text = readFileSync(path, 'utf8');
  const rel = relative(root, path);
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_FILE_LINES) problems.push(`${rel}: ${lines} lines (limit ${MAX_FILE_LINES})`);
  for (const { code, line0 } of scripts(path, text)) {
    const sf = ts.createSourceFile(rel, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const visit = (n) => {
      if (isFunction(n) && n.body) {
        const a = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
        const b = sf.getLineAndCharacterOfPosition(n.end).line;
        if (b - a + 1 > MAX_FUNCTION_LINES) {
          const name = n.name?.getText(sf) ?? (ts.isVariableDeclaration(n.parent) ? n.parent.name.getText(sf) : '(anonymous)');
          problems.push(`${rel}:${line0 + a + 1}: function ${name} is ${b - a + 1} lines (limit ${MAX_FUNCTION_LINES})`);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
}
if (problems.length) {
  console.error(`Size limits exceeded:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('size: every file in src/ within 400 lines, every function within 80');
