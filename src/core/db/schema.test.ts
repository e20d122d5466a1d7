// schema.ts against the database the migrations build: every table and column on both sides,
// nullability, the TypeScript family of each PostgreSQL type, and Generated<> exactly where the
// database fills a NOT NULL column itself. The declared side is read with the TypeScript compiler,
// so the file itself is what is checked, not a copy of it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/harness.js';
import { openDatabase, type DatabaseHandle } from './kysely.js';
import { migrate } from './migrate.js';

/** What a column looks like from each side, reduced to what must agree. */
interface Shape {
  nullable: boolean;
  family: string;
  filledByDatabase: boolean;
}

/**
 * NOT NULL columns a trigger fills when an insert leaves them out, which information_schema
 * cannot show as a default; each is declared Generated<> on purpose.
 */
const FILLED_BY_TRIGGER = new Set(['conversations.display_id']);

/** The TypeScript family pg hands back for each PostgreSQL type (int8 as number: see kysely.ts). */
function familyOf(udt: string): string {
  if (udt.startsWith('_')) return `${familyOf(udt.slice(1))}[]`;
  if (['int2', 'int4', 'int8', 'float4', 'float8', 'oid'].includes(udt)) return 'number';
  if (['text', 'varchar', 'bpchar', 'uuid', 'citext', 'name', 'numeric', 'inet', 'tsvector', 'regconfig'].includes(udt))
    return 'string';
  if (udt === 'bool') return 'boolean';
  if (['timestamptz', 'timestamp', 'date'].includes(udt)) return 'Date';
  if (udt === 'bytea') return 'Buffer';
  if (udt === 'json' || udt === 'jsonb') return 'json';
  return `unmapped PostgreSQL type ${udt}`;
}

async function migratedColumns(database: DatabaseHandle): Promise<Map<string, Map<string, Shape>>> {
  const { rows } = await sql<{
    table_name: string;
    column_name: string;
    is_nullable: 'YES' | 'NO';
    udt_name: string;
    column_default: string | null;
    is_identity: 'YES' | 'NO';
  }>`
    select c.table_name, c.column_name, c.is_nullable, c.udt_name, c.column_default, c.is_identity
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.table_name <> 'schema_migrations'
     order by c.table_name, c.ordinal_position`.execute(database.db);
  const tables = new Map<string, Map<string, Shape>>();
  for (const row of rows) {
    if (!tables.has(row.table_name)) tables.set(row.table_name, new Map());
    tables.get(row.table_name)!.set(row.column_name, {
      nullable: row.is_nullable === 'YES',
      family: familyOf(row.udt_name),
      filledByDatabase:
        row.column_default !== null ||
        row.is_identity === 'YES' ||
        FILLED_BY_TRIGGER.has(`${row.table_name}.${row.column_name}`),
    });
  }
  return tables;
}

/** The `Database` interface of schema.ts, column by column, as the type checker sees it. */
function declaredColumns(): Map<string, Map<string, Shape>> {
  const schemaFile = fileURLToPath(new URL('./schema.ts', import.meta.url));
  // the project's compiler options (strict, so null and undefined stay in the types), found upwards
  const configPath = ts.findConfigFile(path.dirname(schemaFile), ts.sys.fileExists)!;
  const configFile = ts.readConfigFile(configPath, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, path.dirname(configPath));
  const program = ts.createProgram([schemaFile], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(schemaFile)!;
  const database = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).find((s) => s.name === 'Database')!;

  const typeOf = (symbol: ts.Symbol) => checker.getTypeOfSymbolAtLocation(symbol, source);
  const members = (type: ts.Type) => (type.isUnion() ? type.types : [type]);
  const familyOfType = (type: ts.Type): string => {
    if (type.flags & ts.TypeFlags.NumberLike) return 'number';
    if (type.flags & ts.TypeFlags.StringLike) return 'string';
    if (type.flags & ts.TypeFlags.BooleanLike) return 'boolean';
    if (checker.isArrayType(type)) return `${familyOfType(checker.getTypeArguments(type as ts.TypeReference)[0]!)}[]`;
    const name = type.getSymbol()?.name;
    return name === 'Date' || name === 'Buffer' ? name : 'json';
  };

  const tables = new Map<string, Map<string, Shape>>();
  for (const table of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(database))) {
    const columns = new Map<string, Shape>();
    for (const column of checker.getPropertiesOfType(typeOf(table))) {
      const type = typeOf(column);
      // ColumnType<S, I, U> (Generated, Timestamp, Json) is { __select__: S; __insert__: I; ... }
      const select = type.getProperty('__select__');
      const insert = type.getProperty('__insert__');
      const selected = members(select ? typeOf(select) : type);
      const families = [...new Set(selected.filter((t) => !(t.flags & ts.TypeFlags.Null)).map(familyOfType))].sort();
      columns.set(column.name, {
        nullable: selected.some((t) => t.flags & ts.TypeFlags.Null),
        family: families.join(' | '),
        // Kysely's rule for an optional insert key: undefined is assignable to its insert type (`unknown` included)
        filledByDatabase: checker.isTypeAssignableTo(checker.getUndefinedType(), insert ? typeOf(insert) : type),
      });
    }
    tables.set(table.name, columns);
  }
  return tables;
}

let database: DatabaseHandle;
let drop: () => Promise<void>;
beforeAll(async () => {
  const fresh = await createTestDatabase({ empty: true });
  drop = fresh.drop;
  database = await openDatabase({ databaseUrl: fresh.url, dataDir: '', embeddedPgPort: 0 }, { poolSize: 1 });
  await migrate(database.db);
});
afterAll(async () => {
  await database?.close();
  await drop?.();
});

describe('schema.ts', () => {
  it('declares every table and column the migrations create, with their nullability, type family and defaults', async () => {
    const actual = await migratedColumns(database);
    const declared = declaredColumns();
    const problems: string[] = [];
    for (const table of new Set([...actual.keys(), ...declared.keys()])) {
      const db = actual.get(table);
      const ts = declared.get(table);
      if (!db || !ts) {
        problems.push(
          `${table}: ${db ? 'missing from Database in schema.ts' : 'in schema.ts but not in the migrated database'}`,
        );
        continue;
      }
      for (const column of new Set([...db.keys(), ...ts.keys()])) {
        const want = db.get(column);
        const have = ts.get(column);
        const where = `${table}.${column}`;
        if (!want || !have) {
          problems.push(
            `${where}: ${want ? 'missing from schema.ts' : 'in schema.ts but not in the migrated database'}`,
          );
          continue;
        }
        if (want.nullable !== have.nullable)
          problems.push(
            `${where}: ${want.nullable ? 'nullable in the database, not in schema.ts' : 'NOT NULL in the database, nullable in schema.ts'}`,
          );
        if (want.family !== 'json' && want.family !== have.family)
          problems.push(`${where}: selects as ${want.family}, declared ${have.family}`);
        // a nullable column may be left out of an insert either way; a NOT NULL one only when the database fills it
        if (!want.nullable && want.filledByDatabase !== have.filledByDatabase) {
          problems.push(
            `${where}: ${want.filledByDatabase ? 'has a default but is required on insert (Generated<>?)' : 'has no default but may be left out of an insert'}`,
          );
        }
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  }, 60_000);
});
