// Substring search that takes the user's text literally. % and _ are escaped, and the ESCAPE clause says
// with what: SQLite has no default escape character (PostgreSQL reads the same clause), so without it
// "zhao_" would find nothing instead of "zhao_ga".
import { sql, type Expression, type SqlBool } from 'kysely';

export function containsText(column: Expression<unknown>, text: string): Expression<SqlBool> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`${column} like ${pattern} escape '\\'`;
}
