import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The shape issue 33 asked for, kept: a newcomer finds files short, rooms small, and the shell
// below the features. Each rule names its few deliberate exceptions.
const SRC = join(import.meta.dirname, '..', 'src');
const GENERATED = new Set(['sms/wording/bundled-templates.ts']);
const LONG_FILES_ALLOWED = new Set(['db/schema.ts']);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
const sources = walk(SRC)
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => ({ path: relative(SRC, f).replaceAll('\\', '/'), text: readFileSync(f, 'utf8') }));

function longFunctions(path: string, text: string, limit: number): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) {
      const lines = file.getLineAndCharacterOfPosition(node.getEnd()).line - file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      if (lines > limit) out.push(`${path}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

describe('the house', () => {
  it('has no source file over 300 lines (the schema, a list of tables, aside)', () => {
    const long = sources.filter((s) => !LONG_FILES_ALLOWED.has(s.path) && s.text.split('\n').length > 300).map((s) => s.path);
    expect(long).toEqual([]);
  });

  it('has no function over 80 lines (the generated template bundle aside)', () => {
    expect(sources.filter((s) => !GENERATED.has(s.path)).flatMap((s) => longFunctions(s.path, s.text, 80))).toEqual([]);
  });

  it('writes data-label in one component: every table that reflows on a phone is a ReflowTable', () => {
    const writers = sources.filter((s) => s.path.endsWith('.tsx') && s.text.includes('data-label')).map((s) => s.path);
    expect(writers).toEqual(['web/components/reflow-table.tsx']);
  });

  it('keeps the shell below the features: nothing under web/ imports a feature', () => {
    const bad = sources
      .filter((s) => s.path.startsWith('web/'))
      .flatMap((s) => [...s.text.matchAll(/from '(\.[^']+)'/g)].map((m) => ({ file: s.path, spec: m[1]! })))
      .filter(({ file, spec }) => {
        // Resolve against src/ and allow only web/ itself, lib/, the schema's types and app-env.
        const target = join(file, '..', spec).replaceAll('\\', '/');
        return !(target.startsWith('web/') || target.startsWith('lib/') || target === 'db/schema.js' || target === 'app-env.js');
      })
      .map(({ file, spec }) => `${file} imports ${spec}`);
    expect(bad).toEqual([]);
  });

  it('gives every folder at most a dozen files at its top, and sms/ at most 8', () => {
    const dirs = new Map<string, number>();
    for (const s of sources) {
      const dir = s.path.includes('/') ? s.path.slice(0, s.path.lastIndexOf('/')) : '.';
      dirs.set(dir, (dirs.get(dir) ?? 0) + 1);
    }
    const crowded = [...dirs].filter(([dir, n]) => n > (dir === 'sms' ? 8 : 12)).map(([dir, n]) => `${dir}: ${n}`);
    expect(crowded).toEqual([]);
  });
});
