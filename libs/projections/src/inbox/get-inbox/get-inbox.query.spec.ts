import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_PROJECTIONS } from '../../projections';
import { ReadModelDb } from '../../runner/read-model-db';
import { readInbox } from './get-inbox.query';

let dir: string;
let rm: ReadModelDb;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-inbox-query-'));
  rm = await ReadModelDb.open(join(dir, 'read-models.db'), ALL_PROJECTIONS);
});
afterEach(async () => {
  await rm.close();
  rmSync(dir, { recursive: true, force: true });
});

function addItem(
  db: Database.Database,
  unit: string,
  applicationId: string,
  uscc = '91341502MA2DEM001K',
  more: { task?: string; program?: string; year?: number; since?: string } = {},
): void {
  db.prepare(
    `INSERT INTO inbox_items (unit, application_id, task, review_unit, round, due_date, sort_due, overdue_as_of, since, detail,
       program, year, uscc, beneficiary_name)
     VALUES (?, ?, ?, '', 0, NULL, '9999-12-31', NULL, ?, NULL, ?, ?, ?, NULL)`,
  ).run(unit, applicationId, more.task ?? 'accept', more.since ?? '2019-03-01T00:00:00.000Z', more.program ?? 'P2a', more.year ?? 2019, uscc);
}

// SQLite only: PostgreSQL has no cheap signature of change, so there every read counts (changeSignature).
describe('inbox totals on SQLite (remembered between reads while the file is unchanged)', () => {
  it('counts an item written by this connection since the last read', async () => {
    addItem(rm.db, 'FIN', 'a1');
    expect((await readInbox(rm.reader, 'FIN', null, 1)).total).toBe(1);
    addItem(rm.db, 'FIN', 'a2');
    expect(await readInbox(rm.reader, 'FIN', null, 1)).toMatchObject({ total: 2 });
    expect((await readInbox(rm.reader, 'FIN', null, 1)).items).toHaveLength(1);
  });

  it('counts an item another process wrote to the same file since the last read', async () => {
    addItem(rm.db, 'FIN', 'a1');
    expect((await readInbox(rm.reader, 'FIN', null, 50)).total).toBe(1);
    const other = new Database(join(dir, 'read-models.db'));
    addItem(other, 'FIN', 'a2');
    other.prepare(`DELETE FROM inbox_items WHERE application_id = 'a1'`).run();
    addItem(other, 'FIN', 'a3');
    other.close();
    expect(await readInbox(rm.reader, 'FIN', null, 50)).toMatchObject({ total: 2, items: [{ applicationId: 'a2' }, { applicationId: 'a3' }] });
  });

  it('keeps the totals of units and of applicants (by USCC) apart', async () => {
    addItem(rm.db, 'APPLICANT', 'a1', '91341502MA2DEM001K');
    addItem(rm.db, 'APPLICANT', 'a2', '91341502MA2DEM002G');
    addItem(rm.db, 'FIN', 'a3');
    expect((await readInbox(rm.reader, 'APPLICANT', '91341502MA2DEM001K', 50)).total).toBe(1);
    expect((await readInbox(rm.reader, 'APPLICANT', null, 50)).total).toBe(2);
    expect((await readInbox(rm.reader, 'FIN', null, 50)).total).toBe(1);
    expect((await readInbox(rm.reader, 'COM', null, 50)).total).toBe(0);
  });

  it('sees the tables emptied by a rebuild of the projection', async () => {
    addItem(rm.db, 'FIN', 'a1');
    expect((await readInbox(rm.reader, 'FIN', null, 50)).total).toBe(1);
    await rm.engine.write((tx) =>
      rm.recreate(
        ALL_PROJECTIONS.find((p) => p.name === 'inbox')!,
        tx,
      ),
    );
    expect((await readInbox(rm.reader, 'FIN', null, 50)).total).toBe(0);
  });
});

describe('a page of the inbox (the workbench pages and filters on the server)', () => {
  beforeEach(() => {
    for (let i = 1; i <= 5; i++) addItem(rm.db, 'FIN', `a${i}`, undefined, { since: `2019-03-0${i}T00:00:00.000Z` });
    addItem(rm.db, 'FIN', 'p1', undefined, { program: 'P1', since: '2019-03-06T00:00:00.000Z' });
    addItem(rm.db, 'FIN', 'y20', undefined, { year: 2020, task: 'decide', since: '2019-03-07T00:00:00.000Z' });
  });

  it('skips `offset` items in the inbox order and counts every item, not just the page', async () => {
    const page = await readInbox(rm.reader, 'FIN', null, 2, { offset: 2 });
    expect(page.items.map((i) => i.applicationId)).toEqual(['a3', 'a4']);
    expect(page.total).toBe(7);
  });

  it('filters by program, year and task, and counts what matches', async () => {
    expect(await readInbox(rm.reader, 'FIN', null, 50, { program: 'P1' })).toMatchObject({ total: 1, items: [{ applicationId: 'p1' }] });
    expect(await readInbox(rm.reader, 'FIN', null, 50, { year: 2020 })).toMatchObject({ total: 1, items: [{ applicationId: 'y20' }] });
    expect(await readInbox(rm.reader, 'FIN', null, 50, { task: 'decide' })).toMatchObject({ total: 1, items: [{ applicationId: 'y20' }] });
    expect((await readInbox(rm.reader, 'FIN', null, 50, { program: 'P2a', year: 2019, task: 'accept' })).total).toBe(5);
    // The remembered total of one filter is not another's.
    expect((await readInbox(rm.reader, 'FIN', null, 50)).total).toBe(7);
  });
});
