import type { Database } from 'better-sqlite3';
import { canonicalJson, hashFromCanonicalParts } from '../hash-chain';
import { ChainVerifier, type VerifyOptions, type VerifyReport } from '../verify';

type Row = [number, string, number, string, string, number, string, string, string, string];

/**
 * The SQLite fast path of `verify`: pages straight through the table in global order. The stored JSON
 * is already canonical, so the hash is first taken over the stored text; only on a mismatch is it
 * recomputed from the parsed value (so a byte-level re-formatting with the same meaning is not
 * reported, exactly as the port-level `verifyEventStore` would judge it).
 */
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
    const rows = page.all(cursor, ...prefixParams, pageSize) as Row[];
    for (const [globalPosition, streamId, version, eventId, type, schemaVersion, dataText, metadataText, prevHash, hash] of rows) {
      const fields = { streamId, version, eventId, type, schemaVersion, prevHash };
      let recomputed = hashFromCanonicalParts(fields, dataText, metadataText);
      let data: unknown;
      let metadata: unknown;
      // The verifier is handed the recomputed hash and never reads data/metadata: only a mismatch pays for parsing.
      if (recomputed !== hash) {
        try {
          data = JSON.parse(dataText);
          metadata = JSON.parse(metadataText);
          recomputed = hashFromCanonicalParts(fields, canonicalJson(data), canonicalJson(metadata));
        } catch {
          // Unparseable stored JSON: keep the hash over the stored text, which cannot match.
        }
      }
      verifier.check({ globalPosition, streamId, version, eventId, type, schemaVersion, data, metadata: metadata as never, prevHash, hash }, recomputed);
    }
    if (rows.length < pageSize) break;
    cursor = rows[rows.length - 1][0];
    // Yield between pages so a long verification does not hold the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return verifier.result();
}
