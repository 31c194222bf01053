import type Database from 'better-sqlite3';
import type { RegistrationRecorded } from '@cbec/domain';
import type { RecordedEvent } from '@cbec/event-store';
import type { Projection } from '../runner/projection';
import { statement } from '../runner/read-model-db';

/**
 * The beneficiary register (RegistrationRecorded, imported by COM): every registry extract of a USCC, in
 * the order recorded, with the event that recorded it. The approval decides on the beneficiary stream
 * itself; this is what people read (GET /beneficiary-register/{uscc}) and what the inbox flags.
 */
export interface RegistrationRow {
  uscc: string;
  document_no: string;
  division: string;
  date: string;
  source: string;
  recorded_by: string;
  recorded_at: string;
  batch_id: string;
  event_id: string;
  position: number;
}

export const beneficiaryRegisterProjection: Projection = {
  name: 'beneficiary-register',
  version: 1,
  tables: [
    {
      name: 'beneficiary_registrations',
      ddl: `CREATE TABLE beneficiary_registrations (
        uscc TEXT NOT NULL, document_no TEXT NOT NULL, division TEXT NOT NULL, date TEXT NOT NULL, source TEXT NOT NULL,
        recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL, batch_id TEXT NOT NULL, event_id TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (uscc, document_no)) WITHOUT ROWID`,
      key: ['uscc', 'document_no'],
    },
  ],
  apply(event, tx) {
    if (event.type !== 'RegistrationRecorded' || !event.streamId.startsWith('beneficiary-')) return;
    const d = (event as RecordedEvent & RegistrationRecorded).data;
    tx.run(
      `INSERT INTO beneficiary_registrations (uscc, document_no, division, date, source, recorded_by, recorded_at, batch_id, event_id, position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uscc, document_no) DO NOTHING`,
      d.uscc,
      d.documentNo,
      d.division,
      d.date,
      d.source,
      d.recordedBy,
      event.metadata.occurredAt,
      d.batchId,
      event.eventId,
      event.globalPosition,
    );
  },
};

/** Read-model files opened without this projection (a test of one projection) have no register to give. */
const hasRegister = new WeakMap<Database.Database, boolean>();

/** The register's entries of `uscc`, oldest registration date first (ties: the order recorded). */
export function registrationsOf(db: Database.Database, uscc: string): RegistrationRow[] {
  let has = hasRegister.get(db);
  if (has === undefined) {
    has = statement(db, `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'beneficiary_registrations'`).get() !== undefined;
    hasRegister.set(db, has);
  }
  if (!has) return [];
  return statement(db, `SELECT * FROM beneficiary_registrations WHERE uscc = ? ORDER BY date, position`).all(uscc) as RegistrationRow[];
}

/** The entry in force on 31 December of `year` (as registrationInYear of the domain decides), or null. */
export function registrationInForce(db: Database.Database, uscc: string, year: number): RegistrationRow | null {
  const yearEnd = `${String(year).padStart(4, '0')}-12-31`;
  const rows = registrationsOf(db, uscc).filter((r) => r.date <= yearEnd);
  return rows.length > 0 ? rows[rows.length - 1] : null;
}
