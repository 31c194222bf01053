import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * The domain is pure (pure core, thin shell: docs/architecture.md): no framework, no I/O, no clock, no randomness.
 * This reads every source file of libs/domain/src with the TypeScript parser (so comments and strings
 * never trigger it) and lists each offence. Specs are not scanned: they are not shipped, and may read
 * fixtures.
 */

const IO_MODULES = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'tls', 'cluster', 'worker_threads', 'readline'];

export interface Violation {
  file: string;
  line: number;
  what: string;
}

function forbiddenModule(specifier: string): string | null {
  if (specifier === '@nestjs' || specifier.startsWith('@nestjs/')) return `imports ${specifier} (framework in the domain)`;
  const bare = specifier.replace(/^node:/, '');
  if (IO_MODULES.includes(bare)) return `imports ${specifier} (I/O in the domain)`;
  return null;
}

export function findPurityViolations(file: string, text: string): Violation[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: Violation[] = [];
  const report = (node: ts.Node, what: string) => found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, what });

  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const why = forbiddenModule(node.moduleSpecifier.text);
      if (why) report(node, why);
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      const why = ts.isStringLiteral(expr) ? forbiddenModule(expr.text) : null;
      if (why) report(node, why);
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const arg = node.arguments[0];
      if ((isRequire || isDynamicImport) && arg && ts.isStringLiteral(arg)) {
        const why = forbiddenModule(arg.text);
        if (why) report(node, why);
      }
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const name = `${node.expression.text}.${node.name.text}`;
      if (name === 'Date.now') report(node, 'reads the clock (Date.now): pass time in');
      if (name === 'Math.random') report(node, 'uses Math.random: pass ids and randomness in');
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && (node.arguments?.length ?? 0) === 0) {
      report(node, 'reads the clock (new Date()): pass time in');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe('the domain library is pure', () => {
  it('imports no framework or I/O module and reads no clock or randomness in libs/domain/src', () => {
    const files = sourceFiles(__dirname);
    expect(files.length).toBeGreaterThan(10);
    const offences = files.flatMap((file) => findPurityViolations(relative(__dirname, file), readFileSync(file, 'utf8')));
    expect(offences.map((v) => `${v.file}:${v.line} ${v.what}`)).toEqual([]);
  });

  it('catches a deliberate violation (the checker checks)', () => {
    const snippet = [
      "import { Injectable } from '@nestjs/common';",
      "import { readFileSync } from 'node:fs';",
      "import * as http from 'http';",
      "export { exec } from 'child_process';",
      "const net = require('net');",
      'const now = Date.now();',
      'const today = new Date();',
      'const id = Math.random();',
      "const later = import('fs/promises');",
    ].join('\n');
    const found = findPurityViolations('snippet.ts', snippet);
    expect(found.map((v) => v.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(found[0].what).toMatch(/@nestjs\/common/);
  });

  it('does not flag comments, strings, or a date built from given parts', () => {
    const snippet = [
      '// no Date.now() and no Math.random here, nor "@nestjs/core"',
      "const text = 'new Date() and fs are words';",
      'const d = new Date(Date.UTC(2019, 0, 1));',
      "import { Money } from './shared/money';",
    ].join('\n');
    expect(findPurityViolations('clean.ts', snippet)).toEqual([]);
  });
});
