import type { CustomsStatisticsImported, CustomsStatisticsRevised } from '@cbec/domain';
import type { RecordedEvent } from '@cbec/event-store';
import type { Projection } from '../runner/projection';
import type { SqlReader } from '../runner/read-model-engine';

/**
 * The name of each enterprise as the customs statistics (海关统计数据) give it, per USCC: the name of its
 * latest year (a revision of that year replaces it). Cases, inboxes and lists show it where the
 * application named no beneficiary (docs/chinese.md).
 */
export interface BeneficiaryNameRow {
  uscc: string;
  name: string;
  year: number;
}

type CustomsRowEvent = RecordedEvent & (CustomsStatisticsImported | CustomsStatisticsRevised);

function isCustomsRow(event: RecordedEvent): event is CustomsRowEvent {
  return event.streamId.startsWith('customs-') && (event.type === 'CustomsStatisticsImported' || event.type === 'CustomsStatisticsRevised');
}

export const beneficiaryNamesProjection: Projection = {
  name: 'beneficiary-names',
  version: 1,
  tables: [
    {
      name: 'beneficiary_names',
      ddl: `CREATE TABLE beneficiary_names (uscc TEXT PRIMARY KEY, name TEXT NOT NULL, year INTEGER NOT NULL) WITHOUT ROWID`,
      key: ['uscc'],
    },
  ],
  async apply(event, tx) {
    if (!isCustomsRow(event)) return;
    const { uscc, name, year } = event.data;
    if (typeof name !== 'string' || name.trim() === '') return;
    // An earlier year imported later does not replace the name of a later year.
    await tx.run(
      `INSERT INTO beneficiary_names (uscc, name, year) VALUES (?, ?, ?)
       ON CONFLICT (uscc) DO UPDATE SET name = excluded.name, year = excluded.year WHERE excluded.year >= beneficiary_names.year`,
      uscc,
      name.trim(),
      year,
    );
  },
};

/** Read-model files opened without this projection (a test of one projection) have no names to give. */
const hasNames = new WeakMap<SqlReader, boolean>();

/** The customs statistics' name of `uscc`, or null when none is known. */
export async function customsNameOf(db: SqlReader, uscc: string): Promise<string | null> {
  let has = hasNames.get(db);
  if (has === undefined) {
    has = await db.hasTable('beneficiary_names');
    hasNames.set(db, has);
  }
  if (!has) return null;
  const row = await db.get<{ name: string }>(`SELECT name FROM beneficiary_names WHERE uscc = ?`, uscc);
  return row?.name ?? null;
}

/**
 * The names the application gave, else the customs statistics' names (one read for a page of rows, not one
 * per row: on PostgreSQL each read is a round trip).
 */
export async function beneficiaryNamesOf(db: SqlReader, rows: readonly { uscc: string; beneficiary_name: string | null }[]): Promise<(string | null)[]> {
  const missing = [...new Set(rows.filter((r) => r.beneficiary_name === null).map((r) => r.uscc))];
  let has = hasNames.get(db);
  if (has === undefined) {
    has = await db.hasTable('beneficiary_names');
    hasNames.set(db, has);
  }
  const found = new Map<string, string>();
  if (has && missing.length) {
    const named = await db.all<{ uscc: string; name: string }>(
      `SELECT uscc, name FROM beneficiary_names WHERE uscc IN (${missing.map(() => '?').join(', ')})`,
      ...missing,
    );
    for (const n of named) found.set(n.uscc, n.name);
  }
  return rows.map((r) => r.beneficiary_name ?? found.get(r.uscc) ?? null);
}

/** The name the application gave, else the customs statistics' name, else null. */
export async function beneficiaryNameOf(db: SqlReader, uscc: string, applicationName: string | null): Promise<string | null> {
  return applicationName ?? customsNameOf(db, uscc);
}
