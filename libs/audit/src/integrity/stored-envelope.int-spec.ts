import { canonicalEnvelope, canonicalJson, dropAppendOnlyGuards, migrate } from '@cbec/event-store';
import Database from 'better-sqlite3';
import { STORED_ENVELOPE_SQL } from './stored-envelope';

/**
 * verify hashes the envelope SQLite assembles; a match must mean a match over the very text the event
 * store hashes, so SQLite must write each part exactly as the JavaScript path does.
 */
describe('the envelope assembled by SQLite', () => {
  let db: Database.Database;
  beforeAll(() => {
    db = new Database(':memory:');
    migrate(db);
    // Each case replaces the one row: this scratch table is not a log.
    dropAppendOnlyGuards(db);
  });
  afterAll(() => db.close());

  const insert = (row: {
    streamId: string | Buffer;
    version: number;
    eventId: string;
    type: string;
    schemaVersion: number | string;
    data: string;
    metadata: string;
    prevHash: string;
  }): string | null => {
    db.prepare('DELETE FROM events').run();
    db.prepare(
      `INSERT INTO events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, '2020-01-01T00:00:00.000Z', ?, 'h')`,
    ).run(row.streamId, row.version, row.eventId, row.type, row.schemaVersion, row.data, row.metadata, row.prevHash);
    return db.prepare(`SELECT ${STORED_ENVELOPE_SQL} FROM events`).pluck().get() as string | null;
  };

  it('quotes every character as JSON.stringify does', () => {
    const quote = db.prepare('SELECT json_quote(?)').pluck();
    const differing: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const text = `a${String.fromCharCode(c)}b`;
      if (quote.get(text) !== JSON.stringify(text)) differing.push(c.toString(16));
    }
    for (const text of ['😀', '\u{10ffff}', '', '跨境电商']) if (quote.get(text) !== JSON.stringify(text)) differing.push(text);
    expect(differing).toEqual([]);
  });

  it('is the canonical envelope of the stored fields, escapes and non-ASCII included', () => {
    const fields = { streamId: 'application-"x"\\\n跨境', version: 7, eventId: 'e-1\t', type: 'AwardApproved', schemaVersion: 2, prevHash: 'f'.repeat(64) };
    const data = canonicalJson({ amountCny: '8000.00', note: '奖励 "quoted" \u0001' });
    const metadata = canonicalJson({ actor: { user: 'fin-head' }, causationId: null });
    expect(insert({ ...fields, data, metadata })).toBe(canonicalEnvelope(fields, data, metadata));
  });

  it('is absent when a column is not of its schema type, leaving that row to the full path', () => {
    const fields = { streamId: 's-1', version: 0, eventId: 'e-1', type: 'T', schemaVersion: 1, data: '{}', metadata: '{}', prevHash: '0'.repeat(64) };
    expect(insert(fields)).not.toBeNull();
    expect(insert({ ...fields, schemaVersion: '1.5' })).toBeNull();
    expect(insert({ ...fields, streamId: Buffer.from('s-1') })).toBeNull();
  });
});
