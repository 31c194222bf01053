import type { Actor } from '@cbec/event-store';
import { canReadCase } from '@cbec/platform';
import { ReadModelDb } from '../runner/read-model-db';
import { describeEachEngine } from '../testing/read-model-engines';
import { uscc } from '../testing/scenario';
import { caseVisibilitySql, partiesOf } from './case-visibility';
import { casesProjection, CaseRow } from './cases.projection';

const callers: Actor[] = [
  { user: 'a', unit: 'AUDIT', role: 'auditor' },
  { user: 'f', unit: 'FIN', role: 'officer' },
  { user: 'c', unit: 'COM', role: 'officer' },
  { user: 'u', unit: 'CUS', role: 'officer' },
  { user: 'p', unit: 'PBC', role: 'officer' },
  { user: 't', unit: 'CTY-341502', role: 'officer' },
  { user: 't', unit: 'CTY-341503', role: 'officer' },
  { user: 'x', unit: 'APPLICANT', role: 'applicant', uscc: uscc(1) },
  { user: 'y', unit: 'APPLICANT', role: 'applicant', uscc: uscc(2) },
  { user: 'z', unit: 'APPLICANT', role: 'applicant' },
];

describeEachEngine('case visibility', (engine) => {
  it("the case list's SQL filter lets through exactly the cases canReadCase allows, for every kind of caller", async () => {
    const rm = await ReadModelDb.open(await engine.create(), [casesProjection]);
    await rm.engine.write(async (tx) => {
      const insert = (...params: unknown[]) =>
        tx.run(
          `INSERT INTO cases (application_id, program, year, uscc, beneficiary_kind, status, lead_unit, cooperating_units, round, claims,
             policy_version, submitted_at, submitted_by, updated_at, version, position)
           VALUES (?, 'P1', 2019, ?, 'enterprise', 'submitted', ?, ?, 0, '{}', 'LZB-2019-4', '2020-01-01', 'x', '2020-01-01', 0, 1)`,
          ...params,
        );
      await insert('award-a', uscc(1), 'FIN', JSON.stringify(['COM', 'CUS', 'PBC']));
      await insert('award-b', uscc(2), 'FIN', JSON.stringify(['COM', 'CUS', 'PBC']));
      // A routing a later policy might use: a county leads, customs cooperates.
      await insert('county-led', uscc(3), 'CTY-341502', JSON.stringify(['CUS']));
    });
    const rows = await rm.reader.all<CaseRow>('SELECT * FROM cases ORDER BY application_id');
    for (const actor of callers) {
      const { where, params } = caseVisibilitySql(actor, rm.reader.dialect);
      const viaSql = (await rm.reader.all<CaseRow>(`SELECT application_id FROM cases WHERE ${where} ORDER BY application_id`, ...params)).map(
        (r) => r.application_id,
      );
      const viaRule = rows.filter((r) => canReadCase(actor, partiesOf(r))).map((r) => r.application_id);
      expect({ actor: actor.unit, cases: viaSql }).toEqual({ actor: actor.unit, cases: viaRule });
    }
    await rm.close();
  });
});
