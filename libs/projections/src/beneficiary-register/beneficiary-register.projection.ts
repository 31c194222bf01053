import type { RegistrationRecorded } from '@cbec/domain';
import type { RecordedEvent } from '@cbec/event-store';
import type { Projection } from '../runner/projection';
import type { SqlReader } from '../runner/read-model-engine';

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
  async apply(event, tx) {
    if (event.type !== 'RegistrationRecorded' || !event.streamId.startsWith('beneficiary-')) return;
    const d = (event as RecordedEvent & RegistrationRecorded).data;
    await tx.run(
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
const hasRegister = new WeakMap<SqlReader, boolean>();

/** The register's entries of `uscc`, oldest registration date first (ties: the order recorded). */
export async function registrationsOf(db: SqlReader, uscc: string): Promise<RegistrationRow[]> {
  let has = hasRegister.get(db);
  if (has === undefined) {
    has = await db.hasTable('beneficiary_registrations');
    hasRegister.set(db, has);
  }
  if (!has) return [];
  return db.all<RegistrationRow>(`SELECT * FROM beneficiary_registrations WHERE uscc = ? ORDER BY date, position`, uscc);
}

/** The register's entries of each of `usccs` (one read), each oldest first as `registrationsOf`. */
export async function registrationsOfMany(db: SqlReader, usccs: readonly string[]): Promise<Map<string, RegistrationRow[]>> {
  const distinct = [...new Set(usccs)];
  const out = new Map<string, RegistrationRow[]>(distinct.map((u) => [u, []]));
  let has = hasRegister.get(db);
  if (has === undefined) {
    has = await db.hasTable('beneficiary_registrations');
    hasRegister.set(db, has);
  }
  if (!has || !distinct.length) return out;
  const rows = await db.all<RegistrationRow>(
    `SELECT * FROM beneficiary_registrations WHERE uscc IN (${distinct.map(() => '?').join(', ')}) ORDER BY uscc, date, position`,
    ...distinct,
  );
  for (const r of rows) out.get(r.uscc)!.push(r);
  return out;
}

/** Of one enterprise's entries (oldest first), the one in force on 31 December of `year`, or null. */
export function registrationInForceAmong(rows: readonly RegistrationRow[], year: number): RegistrationRow | null {
  const yearEnd = `${String(year).padStart(4, '0')}-12-31`;
  const before = rows.filter((r) => r.date <= yearEnd);
  return before.length > 0 ? before[before.length - 1] : null;
}

/** The entry in force on 31 December of `year` (as registrationInYear of the domain decides), or null. */
export async function registrationInForce(db: SqlReader, uscc: string, year: number): Promise<RegistrationRow | null> {
  return registrationInForceAmong(await registrationsOf(db, uscc), year);
}
