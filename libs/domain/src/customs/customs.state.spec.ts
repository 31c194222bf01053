import { evolveAll } from '../decider';
import { usccCheckCharacter } from '../shared/uscc';
import { customsDecider } from './customs.decider';
import type { CustomsEvent } from './customs.events';
import { evolveCustoms, foldCustoms, initialCustomsState } from './customs.state';

const uscc = (n: number): string => {
  const first17 = `91341500MA2N${String(n).padStart(5, '0')}`;
  return first17 + usccCheckCharacter(first17);
};
const figures = (amount: string) => ({
  export9610Usd: amount,
  cbecImportUsd: '0.00',
  cbecExportUsd: '0.00',
  totalExportUsd: amount,
  platformLocalOnlineTradeUsd: null,
});
const imported = (n: number, batchId: string): CustomsEvent => ({
  type: 'CustomsStatisticsImported',
  data: { year: 2019, uscc: uscc(n), name: `企业${n}`, ...figures('1.00'), batchId, rowIndex: n },
});
const revised = (n: number, batchId: string, previousEventIndex: number): CustomsEvent => ({
  type: 'CustomsStatisticsRevised',
  data: {
    year: 2019,
    uscc: uscc(n),
    name: `企业${n}`,
    ...figures('2.00'),
    batchId,
    rowIndex: 0,
    previous: { name: `企业${n}`, ...figures('1.00') },
    previousEventIndex,
  },
});

describe('folding the customs statistics of a year', () => {
  const stream: CustomsEvent[] = [
    imported(1, 'b1'),
    imported(2, 'b1'),
    { type: 'CustomsBatchUnchanged', data: { year: 2019, batchId: 'b2', rows: 2 } },
    revised(1, 'b3', 0),
    { type: 'SomethingNewer', data: {} } as unknown as CustomsEvent,
    revised(1, 'b4', 3),
  ];

  it('folds a batch at once to the state evolving it event by event gives', () => {
    const oneByOne = stream.reduce(evolveCustoms, initialCustomsState());
    expect(foldCustoms(initialCustomsState(), stream)).toEqual(oneByOne);
    expect(foldCustoms(foldCustoms(initialCustomsState(), stream.slice(0, 3)), stream.slice(3))).toEqual(oneByOne);
    expect(oneByOne).toMatchObject({ year: 2019, eventCount: 6, batchIds: ['b1', 'b2', 'b3', 'b4'] });
    expect(oneByOne.inForce[uscc(1)]).toMatchObject({ export9610Usd: '2.00', revision: 2, eventIndex: 5, batchId: 'b4' });
  });

  it('leaves the state it starts from as it was (a state is a value)', () => {
    const before = foldCustoms(initialCustomsState(), stream.slice(0, 2));
    const copy = structuredClone(before);
    foldCustoms(before, stream.slice(2));
    expect(before).toEqual(copy);
  });

  it('is what the decider folds with, so a stream of 100,000 rows folds in one pass', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => imported(i, 'big'));
    const state = evolveAll(customsDecider, many);
    expect(Object.keys(state.inForce)).toHaveLength(100_000);
    expect(state.inForce[uscc(99_999)]).toMatchObject({ eventIndex: 99_999, revision: 0 });
  });
});
