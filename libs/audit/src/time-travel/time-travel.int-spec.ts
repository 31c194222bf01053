import { rmSync } from 'node:fs';
import { causalChain } from '../history/causal-chain.query';
import { streamHistory } from '../history/stream-history.query';
import { explainCase } from '../explanation/explanation.query';
import { CaseDriver, openTempStore, seedApprovedCase, tempDataDir, USCC } from '../testing/audit-fixture';
import type { SqliteEventStore } from '@cbec/event-store';
import { approvalView } from './approval-view.query';
import { streamAsOf } from './as-of.query';
import { parseAt } from './at';
import { replayLog } from './replay-log';

describe('time travel, history and explanation of an approved case', () => {
  let dir: string;
  let store: SqliteEventStore;
  let driver: CaseDriver;
  let used: { customs2018: string; customs2019: string };
  let revisionId: string;

  beforeAll(async () => {
    dir = tempDataDir();
    store = openTempStore(dir);
    driver = new CaseDriver(store);
    // Given a case approved on the customs figures of 2018 and 2019,
    used = await seedApprovedCase(driver, 'a-0001');
    // when CUS later imports revised 2019 figures,
    revisionId = await driver.importCustoms(2019, {
      cbecImportUsd: '350000.00',
      cbecExportUsd: '700000.00',
      previous: {
        eventIndex: 0,
        figures: {
          export9610Usd: '0.00',
          cbecImportUsd: '300000.00',
          cbecExportUsd: '600000.00',
          totalExportUsd: '3000000.00',
          platformLocalOnlineTradeUsd: null,
        },
      },
    });
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the figures the approving head saw, while the current view shows the revision', async () => {
    const [view] = await approvalView(store, 'a-0001');
    // then the approval's time-travel view keeps the figures in force when the head approved,
    expect(view.asSeen.customs.map((r) => r.eventId).sort()).toEqual([used.customs2018, used.customs2019].sort());
    const seen2019 = view.asSeen.customs.find((r) => r.figures.year === 2019)!;
    expect(seen2019.figures).toMatchObject({ cbecImportUsd: '300000.00', cbecExportUsd: '600000.00' });
    expect(view.customsUsed.map((r) => r.eventId)).toEqual([used.customs2018, used.customs2019]);
    // and the current view shows the revision.
    const now2019 = view.customsNow.find((r) => r.figures.year === 2019)!;
    expect(now2019).toMatchObject({ eventId: revisionId, type: 'CustomsStatisticsRevised' });
    expect(now2019.figures).toMatchObject({ cbecImportUsd: '350000.00', cbecExportUsd: '700000.00' });
    expect(view.revisedSinceApproval).toBe(true);
    const current = await streamAsOf(store, 'customs-2019', parseAt(String(await store.headPosition())));
    expect((current.state as Record<string, { eventId: string }>)[`2019/${USCC}`].eventId).toBe(revisionId);
  });

  it('replays the case, the beneficiary and the fund as they stood just before the approval', async () => {
    const [view] = await approvalView(store, 'a-0001');
    expect(view.approval.causationPosition).toBe(view.approval.firstPosition - 1);
    expect(view.approval.events.map((e) => e.type)).toEqual(['AwardReserved', 'FundsCommitted', 'AwardApproved', 'ReservationConfirmed']);
    expect(view.asSeen.case).toMatchObject({ status: 'ready-for-decision', approval: null });
    expect(view.asSeen.fund).toMatchObject({ appropriationCny: '1000000.00', committedCny: '0.00' });
    expect(view.asSeen.beneficiary.totals).toEqual({ byYear: {} });

    const after = await streamAsOf(store, 'application-a-0001', parseAt(String(view.approval.lastPosition)));
    expect(after.state).toMatchObject({ status: 'approved' });
    const fundAfter = await streamAsOf(store, 'fund-2019', parseAt(String(view.approval.lastPosition)));
    expect(fundAfter.state).toMatchObject({ committedCny: '8000.00', availableCny: '992000.00' });
    const ledger = await streamAsOf(store, `beneficiary-${USCC}`, parseAt(String(view.approval.lastPosition)));
    expect(ledger.totals).toEqual({ byYear: { '2019': { P2b: { reservedCny: '0.00', confirmedCny: '8000.00', totalCny: '8000.00' } } } });
  });

  it('answers by time too, and says when a stream did not exist yet', async () => {
    const before = await streamAsOf(store, 'application-a-0001', parseAt('2020-03-01'));
    expect(before).toMatchObject({ version: -1, state: null });
    const history = await streamHistory(store, 'application-a-0001');
    const submittedAt = history.events[0].recordedAt;
    const atSubmission = await streamAsOf(store, 'application-a-0001', parseAt(submittedAt));
    // Events committed within the same millisecond share a recordedAt: the stream as of that instant holds them all.
    const sameInstant = history.events.filter((e) => e.recordedAt <= submittedAt);
    expect(atSubmission.version).toBe(sameInstant[sameInstant.length - 1].version);
    expect(atSubmission.lastEvent?.recordedAt).toBe(submittedAt);
    await expect(streamAsOf(store, 'application-nope', parseAt('5'))).rejects.toThrow('no events');
    expect(() => parseAt('yesterday')).toThrow('at: "yesterday" is neither a global position nor an ISO time');
  });

  it('lists each event of a stream with actor, unit, role, time, command, correlation and causation', async () => {
    const history = await streamHistory(store, 'application-a-0001');
    expect(history.events.map((e) => e.type)).toEqual([
      'ApplicationSubmitted',
      'CaseAccepted',
      'ReviewOpinionRecorded',
      'ReviewOpinionRecorded',
      'ReviewOpinionRecorded',
      'ApplicationReadyForDecision',
      'AwardApproved',
    ]);
    const approved = history.events[6];
    expect(approved).toMatchObject({
      actor: { user: 'fin-head', unit: 'FIN', role: 'head' },
      correlationId: 'case-a-0001',
      commandId: 'approve-a-0001',
      causationId: 'approve-a-0001',
    });
    expect(approved.occurredAt).toMatch(/^2020-03-02T/);
  });

  it('follows the causal chain of the case across the case, beneficiary, fund and customs streams', async () => {
    const chain = await causalChain(store, 'a-0001');
    expect(chain.streams).toEqual({ 'customs-2018': 1, 'customs-2019': 1, 'application-a-0001': 7, [`beneficiary-${USCC}`]: 2, 'fund-2019': 1 });
    expect(chain.events.filter((e) => e.link === 'customs-used').map((e) => e.eventId)).toEqual([used.customs2018, used.customs2019]);
    expect(chain.events.map((e) => e.eventId)).not.toContain(revisionId);
    expect(chain.approvals).toHaveLength(1);
  });

  it('explains the approved amount with policy version, trace and customs records, in Chinese and in yuan', async () => {
    const explanation = await explainCase(store, 'a-0001');
    expect(explanation).toMatchObject({ status: 'approved', program: 'P2b', year: 2019, uscc: USCC });
    const [award] = explanation.awards;
    expect(award).toMatchObject({ policyVersion: 'LZB-2019-4', amountCny: '8000.00', computedCny: '8000.00', approvableCny: '8000.00' });
    expect(award.customsUsed.map((r) => r.eventId)).toEqual([used.customs2018, used.customs2019]);
    const text = award.rendered.join('\n');
    expect(text).toContain('奖励金额: ¥8,000.00');
    expect(text).toContain('封顶: 未触及封顶');
    expect(text).toContain('计算金额（封顶前）: ¥8,000.00');
    expect(text).toContain('可批准金额（封顶后）: ¥8,000.00');
    expect(text).toContain('政策版本: LZB-2019-4');
    expect(text).toContain('4 x ¥2,000.00 = ¥8,000.00');
    expect(text).toContain(`跨境电商出口额 US$600,000.00`);
    expect(text).toContain(used.customs2019);
  });

  it('replays every stream of the log through the domain, in shares that add up to the whole', async () => {
    const whole = await replayLog(store.file, { shares: 1, workers: false });
    const split = await replayLog(store.file, { shares: 3, workers: false });
    expect(whole.failures).toEqual([]);
    expect(whole.events).toBe(await store.headPosition());
    expect(split).toEqual(whole);
    expect(whole.byKind).toMatchObject({ case: { streams: 1, events: 7 }, customs: { streams: 2, events: 3 }, fund: { streams: 1, events: 2 } });
  });
});
