/**
 * The hashed envelope (`canonicalEnvelope` of the event store) assembled by SQLite itself from the stored
 * columns, so that verify reads one string per event and hashes it, instead of reading six columns and
 * concatenating them in JavaScript (most of verify's cost besides the hash).
 *
 * It is the very text the JavaScript path hashes: data and metadata as stored, strings through SQLite's
 * `json_quote`, which writes every string exactly as `JSON.stringify` does (stored-envelope.int-spec.ts
 * checks that over every character), integers in decimal as `JSON.stringify` writes safe integers. A
 * row whose columns are not of the schema's types gets NULL, and its hash is computed from the stored
 * fields as before. A hash that does not match is never a verdict by itself: the caller re-judges the
 * row by the full path (stored text, then parsed and re-canonicalized), so breaks read as they always did.
 */

const text = (column: string): string => `typeof(${column}) = 'text'`;
const safeInteger = (column: string): string => `typeof(${column}) = 'integer' AND abs(${column}) <= 9007199254740991`;

/** SQL expression: the canonical envelope text of the row, or NULL when a column is not of its schema type. */
export const STORED_ENVELOPE_SQL = `CASE WHEN ${['event_id', 'prev_hash', 'stream_id', 'type', 'data', 'metadata'].map(text).join(' AND ')}
    AND ${safeInteger('schema_version')} AND ${safeInteger('version')}
  THEN '{"data":' || data || ',"eventId":' || json_quote(event_id) || ',"metadata":' || metadata || ',"prevHash":' || json_quote(prev_hash)
    || ',"schemaVersion":' || schema_version || ',"streamId":' || json_quote(stream_id) || ',"type":' || json_quote(type)
    || ',"version":' || version || '}'
  END`;

/** Rows per `all()`: one native call per chunk instead of one per row, in arrays small enough for the young generation. */
export const ROWS_PER_CHUNK = 2000;
