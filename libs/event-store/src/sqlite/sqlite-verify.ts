import type { Database } from 'better-sqlite3';
import { ChainVerifier, checkStoredRow, type StoredEventRow, type VerifyOptions, type VerifyReport } from '../verify';

/** The SQLite fast path of `verify`: pages straight through the table in global order (see checkStoredRow). */
export async function verifySqliteDatabase(db: Database, options: VerifyOptions = {}, pageSize = 5000): Promise<VerifyReport> {
  const verifier = new ChainVerifier(options.maxIssues);
  const prefixes = options.streamPrefixes;
  const prefixSql = prefixes?.length ? ` AND (${prefixes.map(() => 'substr(stream_id, 1, ?) = ?').join(' OR ')})` : '';
  const prefixParams = prefixes?.flatMap((p) => [p.length, p]) ?? [];
  const page = db
    .prepare(
      `SELECT global_position, stream_id, version, event_id, type, schema_version, data, metadata, prev_hash, hash
       FROM events WHERE global_position > ?${prefixSql} ORDER BY global_position LIMIT ?`,
    )
    .raw(true);
  let cursor = 0;
  for (;;) {
    const rows = page.all(cursor, ...prefixParams, pageSize) as StoredEventRow[];
    for (const row of rows) checkStoredRow(verifier, row);
    if (rows.length < pageSize) break;
    cursor = rows[rows.length - 1][0];
    // Yield between pages so a long verification does not hold the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return verifier.result();
}
