import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, repoRoot as root, sourceFiles } from './source-files.ts';

/**
 * The edges reach the database only through the core: no file under adapters/ imports kysely,
 * starts a query, or names one of tutorbot's tables (src/db/schema.ts). What an edge needs from
 * a table is a function of a core module that says what it does (src/platforms for identity,
 * workspace links, addresses and inbound events).
 */
const queryStarts = new Set(['selectFrom', 'selectNoFrom', 'insertInto', 'replaceInto', 'updateTable', 'deleteFrom', 'mergeInto']);

/** The tables, as the keys of the DB type that the core's queries are typed by. */
function tableNames(): string[] {
  const schema = path.join(root, 'src/db/schema.ts');
  const program = ts.createProgram([schema], {
    allowImportingTsExtensions: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(schema)!;
  const db = checker.getSymbolAtLocation(source)!.exports!.get(ts.escapeLeadingUnderscores('DB'))!;
  return checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(db)).map((property) => property.name);
}

/**
 * Whether a piece of text names a table: a table as Kysely takes it ('platform_link',
 * 'staff as s', 'delivery.status'), or SQL that reads or writes one. A bare one-word name
 * ('pupil', 'delivery') is also an ordinary word of the product (a field kind, a client's
 * purpose); used as a table it is caught by the query-start check.
 */
function namesTable(text: string, tables: Set<string>): string | null {
  const value = text.trim();
  const qualified = /^([a-z_]+)(?:\s+as\s+\w+|\.\w+)$/i.exec(value);
  if (qualified && tables.has(qualified[1])) return qualified[1];
  if (tables.has(value) && value.includes('_')) return value;
  // SQL keywords as SQL is written (upper case), or whole statements in any case: prose says "from staff roles".
  const sql = [
    /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+"?([a-z_]+)/g,
    /\b(?:delete\s+from|insert\s+into|select\s[^'"`]*?\sfrom)\s+"?([a-z_]+)/gi,
    /\bupdate\s+"?([a-z_]+)"?\s+set\b/gi,
  ];
  for (const pattern of sql) for (const match of value.matchAll(pattern)) if (tables.has(match[1])) return match[1];
  return null;
}

function violations(file: string, tables: Set<string>): string[] {
  const text = readFileSync(file, 'utf8');
  const where = path.relative(root, file);
  const found = importSpecifiers(file, text)
    .filter((specifier) => specifier === 'kysely' || specifier.startsWith('kysely/'))
    .map((specifier) => `${where} imports ${specifier}`);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && queryStarts.has(node.expression.name.text)) {
      found.push(`${where} runs a query (${node.expression.name.text})`);
    }
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const table = namesTable(node.text, tables);
      if (table) found.push(`${where} names the table ${table}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the edges reach the database only through the core', () => {
  const tables = new Set(tableNames());

  it('knows the tables and finds each kind of offence', () => {
    expect([...tables]).toEqual(
      expect.arrayContaining(['school', 'staff', 'platform_link', 'platform_identity', 'inbound_event', 'conversation_ref', 'delivery']),
    );
    const dir = mkdtempSync(path.join(os.tmpdir(), 'adapters-'));
    const offender = path.join(dir, 'offender.ts');
    writeFileSync(
      offender,
      [
        "import type { Kysely } from 'kysely';",
        "const { sql } = await import('kysely');",
        "await core.db.selectFrom('school').select('id').execute();",
        "const where = { table: 'conversation_ref' };",
        "const joined = 'staff as s';",
        'const raw = `DELETE FROM inbound_event WHERE platform = ${platform}`;',
        "const lower = 'select id from pupil where upn = $1';",
        "const fine = { kind: 'pupil', purpose: 'delivery', text: 'the school is not linked', note: ' [from staff roles]' };",
      ].join('\n'),
    );
    expect(violations(offender, tables).map((line) => line.replace(/^\S+ /, ''))).toEqual([
      'imports kysely',
      'imports kysely',
      'runs a query (selectFrom)',
      'names the table conversation_ref',
      'names the table staff',
      'names the table inbound_event',
      'names the table pupil',
    ]);
  });

  it('has no file under adapters/ that imports kysely, runs a query or names a table', () => {
    const files = sourceFiles(path.join(root, 'adapters'));
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((file) => violations(file, tables))).toEqual([]);
  });
});
