import { deciderSpec, evolveAll, InvalidCommand } from '../decider';
import { usccCheckCharacter } from '../shared/uscc';
import { splitCustomsRowsByYear, type CustomsCommand, type CustomsRowInput } from './customs.commands';
import { CustomsYearDecision } from './customs.decide';
import { customsDecider } from './customs.decider';
import { InvalidCustomsRows } from './customs.errors';
import type { CustomsEvent, CustomsStatisticsImported } from './customs.events';

const uscc = (first17: string): string => first17 + usccCheckCharacter(first17);
const A = uscc('91341500MA2N00001');
const B = uscc('91341500MA2N00002');
const given = deciderSpec(customsDecider);

const row = (u: string, over: Partial<CustomsRowInput> = {}): CustomsRowInput => ({
  year: 2019,
  uscc: u,
  name: `企业${u.slice(-3)}`,
  export9610Usd: '50000.00',
  cbecImportUsd: '50000.00',
  cbecExportUsd: '150000.00',
  totalExportUsd: '900000.00',
  platformLocalOnlineTradeUsd: null,
  ...over,
});
const importRows = (batchId: string, rows: CustomsRowInput[], year = 2019): CustomsCommand => ({
  type: 'ImportCustomsStats',
  data: { year, batchId, rows },
});
const imported = (batchId: string, rowIndex: number, r: CustomsRowInput): CustomsStatisticsImported => ({
  type: 'CustomsStatisticsImported',
  data: {
    batchId,
    rowIndex,
    year: r.year,
    uscc: r.uscc,
    name: r.name,
    export9610Usd: r.export9610Usd,
    cbecImportUsd: r.cbecImportUsd,
    cbecExportUsd: r.cbecExportUsd,
    totalExportUsd: r.totalExportUsd,
    platformLocalOnlineTradeUsd: r.platformLocalOnlineTradeUsd ?? null,
  },
});

describe('customs statistics (stream customs-<year>)', () => {
  it('an event type this version does not know changes no figures but keeps the event indexes right', () => {
    const state = evolveAll(customsDecider, [{ type: 'SomethingNew', data: {} } as unknown as CustomsEvent, imported('b1', 0, row(A))]);
    expect(state.inForce[A].eventIndex).toBe(1);
    expect(Object.keys(state.inForce)).toEqual([A]);
  });

  describe('nothing imported yet', () => {
    it('records one CustomsStatisticsImported per row, in force with the index of its event', () => {
      const state = given([])
        .when(importRows('b1', [row(A), row(B)]))
        .then([imported('b1', 0, row(A)), imported('b1', 1, row(B))]);
      expect(state.inForce[B]).toMatchObject({ eventIndex: 1, batchId: 'b1', revision: 0, export9610Usd: '50000.00' });
      expect(state.eventCount).toBe(2);
    });

    it('stores amounts in their canonical two-decimal form', () => {
      const [event] = given([])
        .when(importRows('b1', [row(A, { export9610Usd: '50000', cbecImportUsd: '0.5' })]))
        .events();
      expect(event.data).toMatchObject({ export9610Usd: '50000.00', cbecImportUsd: '0.50' });
    });

    it('reads an empty platform trade cell as no figure (null)', () => {
      const [event] = given([])
        .when(importRows('b1', [row(A, { platformLocalOnlineTradeUsd: '' })]))
        .events();
      expect(event.data).toMatchObject({ platformLocalOnlineTradeUsd: null });
    });

    it('refuses the whole batch listing every bad row and field; nothing is stored', () => {
      const bad = A.slice(0, 17) + (A[17] === '0' ? '1' : '0');
      const error = given([])
        .when(
          importRows('b1', [
            row(A),
            row(bad),
            row(B, { export9610Usd: 5 as never, totalExportUsd: '1.005' }),
            row(A, { year: 2018 }),
            row(B, { name: ' ', cbecImportUsd: '-1.00' }),
          ]),
        )
        .thenThrows(InvalidCustomsRows, { code: 'invalid-customs-rows' }) as InvalidCustomsRows;
      expect(error.problems.map((p) => [p.row, p.field])).toEqual([
        [1, 'uscc'],
        [2, 'export9610Usd'],
        [2, 'totalExportUsd'],
        [3, 'year'],
        [4, 'name'],
        [4, 'cbecImportUsd'],
      ]);
    });

    it('refuses one batch giving two different sets of figures for one enterprise; an identical duplicate counts once', () => {
      given([])
        .when(importRows('b1', [row(A), row(A, { export9610Usd: '1.00' })]))
        .thenThrows(InvalidCustomsRows, { problems: [{ row: 1, field: 'uscc', detail: `${A} already has different figures in row 0 of this batch` }] });
      given([])
        .when(importRows('b1', [row(A), row(A)]))
        .then([imported('b1', 0, row(A))]);
    });

    it('refuses an empty batch and a command without a batch id', () => {
      given([]).when(importRows('b1', [])).thenThrows(InvalidCommand, { field: 'rows' });
      given([])
        .when(importRows('', [row(A)]))
        .thenThrows(InvalidCommand, { field: 'batchId' });
    });
  });

  describe('figures already imported', () => {
    const history = [imported('b1', 0, row(A)), imported('b1', 1, row(B))];

    it('the same file twice stores nothing new', () => {
      given(history)
        .when(importRows('b1', [row(A), row(B)]))
        .then([]);
    });

    it('a new file whose figures all equal those in force records only its batch (no figure changes)', () => {
      const state = given(history)
        .when(importRows('b2', [row(B), row(A), row(B)]))
        .then([{ type: 'CustomsBatchUnchanged', data: { year: 2019, batchId: 'b2', rows: 3 } }]);
      expect(state.batchIds).toEqual(['b1', 'b2']);
      expect(state.eventCount).toBe(3);
      expect(state.inForce).toEqual(evolveAll(customsDecider, history).inForce);
    });

    it('a file that changed nothing stores nothing when sent again after a newer file revised its figures', () => {
      // F1: the figures in force, other bytes (rows reordered, a name spelled differently): only its batch.
      const f1 = () => importRows('f1', [row(B), row(A, { name: '企业甲（全称）' })]);
      const recorded = given(history).when(f1()).events();
      expect(recorded.map((e) => e.type)).toEqual(['CustomsBatchUnchanged']);
      // F2 revises A; its event index counts the batch record before it.
      const revisedByF2 = given([...history, ...recorded])
        .when(importRows('f2', [row(A, { export9610Usd: '60000.00' })]))
        .events();
      expect(revisedByF2).toMatchObject([{ type: 'CustomsStatisticsRevised', data: { previousEventIndex: 0 } }]);
      // F1 again is the same file twice: nothing, and F2's figures stay in force.
      const state = given([...history, ...recorded, ...revisedByF2])
        .when(f1())
        .then([]);
      expect(state.inForce[A]).toMatchObject({ export9610Usd: '60000.00', batchId: 'f2', eventIndex: 3, revision: 1 });
      expect(state.eventCount).toBe(4);
    });

    it('a file imported before stores nothing again, even after a newer file revised its figures', () => {
      const revisedByB = given(history)
        .when(importRows('b2', [row(A, { export9610Usd: '60000.00' })]))
        .events();
      const state = given([...history, ...revisedByB])
        .when(importRows('b1', [row(A), row(B)]))
        .then([]);
      expect(state.inForce[A]).toMatchObject({ export9610Usd: '60000.00', batchId: 'b2' });
    });

    it('a different file carrying the old figures again records a revision', () => {
      const revisedByB = given(history)
        .when(importRows('b2', [row(A, { export9610Usd: '60000.00' })]))
        .events();
      const [event] = given([...history, ...revisedByB])
        .when(importRows('b3', [row(A)]))
        .events();
      expect(event).toMatchObject({
        type: 'CustomsStatisticsRevised',
        data: { batchId: 'b3', export9610Usd: '50000.00', previous: { export9610Usd: '60000.00' } },
      });
    });

    it('different figures record a revision keeping both values; the newer is in force', () => {
      const revisedRow = row(A, { export9610Usd: '49999.99' });
      const state = given(history)
        .when(importRows('b2', [row(B), revisedRow]))
        .then([
          {
            type: 'CustomsStatisticsRevised',
            data: {
              ...imported('b2', 1, revisedRow).data,
              previous: {
                name: row(A).name,
                export9610Usd: '50000.00',
                cbecImportUsd: '50000.00',
                cbecExportUsd: '150000.00',
                totalExportUsd: '900000.00',
                platformLocalOnlineTradeUsd: null,
              },
              previousEventIndex: 0,
            },
          },
        ]);
      expect(state.inForce[A]).toMatchObject({ export9610Usd: '49999.99', eventIndex: 2, batchId: 'b2', revision: 1 });
      expect(state.inForce[B]).toMatchObject({ eventIndex: 1, revision: 0 });
    });

    it('a second revision points at the first revision as the previous figures', () => {
      const first = given(history)
        .when(importRows('b2', [row(A, { cbecExportUsd: '1.00' })]))
        .events();
      const [second] = given([...history, ...first])
        .when(importRows('b3', [row(A, { cbecExportUsd: '2.00' })]))
        .events();
      expect(second.data).toMatchObject({ previousEventIndex: 2, previous: { cbecExportUsd: '1.00' } });
      expect(evolveAll(customsDecider, [...history, ...first, second]).inForce[A].revision).toBe(2);
    });

    it('a platform figure appearing where there was none is a revision', () => {
      const [event] = given(history)
        .when(importRows('b2', [row(B, { platformLocalOnlineTradeUsd: '500000.00' })]))
        .events();
      expect(event).toMatchObject({
        type: 'CustomsStatisticsRevised',
        data: { platformLocalOnlineTradeUsd: '500000.00', previous: { platformLocalOnlineTradeUsd: null } },
      });
    });

    it('a different spelling of the name alone is not a revision of the figures', () => {
      given(history)
        .when(importRows('b2', [row(A, { name: '另一个名字' })]))
        .then([{ type: 'CustomsBatchUnchanged', data: { year: 2019, batchId: 'b2', rows: 1 } }]);
    });

    it('refuses rows for another year than the stream', () => {
      given(history)
        .when(importRows('b2', [row(A, { year: 2020 })], 2020))
        .thenThrows(InvalidCommand, { field: 'year' });
    });
  });

  it('splits a file holding several years into one batch per year stream', () => {
    const byYear = splitCustomsRowsByYear([row(A), row(A, { year: 2018 }), row(B)]);
    expect([...byYear.keys()]).toEqual([2019, 2018]);
    expect(byYear.get(2019)!.map((r) => r.uscc)).toEqual([A, B]);
  });
});

describe('CustomsYearDecision: the same decision, row by row', () => {
  const C = uscc('91341500MA2N00003');
  /** Checks every row, then parses and decides each again, as an import of a large year does. */
  const rowByRow = (command: CustomsCommand, state: ReturnType<typeof customsDecider.initialState>): CustomsEvent[] => {
    const decision = new CustomsYearDecision(command.data, state);
    if (decision.alreadyImported) return [];
    command.data.rows.forEach((r, i) => decision.check(r, i));
    decision.refuseIfAnyProblem();
    const events = command.data.rows.flatMap((r, i) => decision.eventOf(decision.parse(r, i), i) ?? []);
    return [...events, ...decision.finish(command.data.rows.length)];
  };

  it('decides the events decideCustoms decides, in its order: new, revised, unchanged, an identical repeat once', () => {
    const state = customsDecider.fold!(customsDecider.initialState(), [imported('b0', 0, row(A)), imported('b0', 1, row(B))]);
    const command = importRows('b1', [row(A, { totalExportUsd: '1.00' }), row(B), row(C), row(C), row(A, { totalExportUsd: '1.00' })]);
    const events = rowByRow(command, state);
    expect(events.map((e) => e.type)).toEqual(['CustomsStatisticsRevised', 'CustomsStatisticsImported']);
    expect(events).toEqual(customsDecider.decide(command, state));
  });

  it('records an unchanged batch, and nothing for a batch seen before, as decideCustoms does', () => {
    const state = customsDecider.fold!(customsDecider.initialState(), [imported('b0', 0, row(A))]);
    expect(rowByRow(importRows('b1', [row(A)]), state)).toEqual(customsDecider.decide(importRows('b1', [row(A)]), state));
    expect(rowByRow(importRows('b0', [row(B)]), state)).toEqual([]);
  });

  it('refuses with the problems decideCustoms lists, in its order', () => {
    const command = importRows('b1', [row(A), row(A, { totalExportUsd: '2.00' }), row(B, { export9610Usd: '-1' })]);
    const problems = (decide: () => unknown): unknown => {
      try {
        decide();
      } catch (error) {
        return (error as InvalidCustomsRows).problems;
      }
      throw new Error('not refused');
    };
    const expected = problems(() => customsDecider.decide(command, customsDecider.initialState()));
    expect(expected).toHaveLength(2);
    expect(problems(() => rowByRow(command, customsDecider.initialState()))).toEqual(expected);
  });
});
