import { render, screen, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { UiConfig } from '../../app/providers';
import { beijingIso } from './as-of-time';
import type { VerifyReport } from './audit-api';
import { VerifyReportView } from './VerifyReportView';

function aReport(over: Partial<VerifyReport>): VerifyReport {
  return {
    ok: true,
    eventsChecked: 18,
    streamsChecked: 5,
    headPosition: 18,
    breaks: [],
    breaksOmitted: 0,
    digests: { checked: 1, lastSeq: 1, lastPosition: 18, eventsAfterLastDigest: 0, publicKey: 'pem' },
    ...over,
  };
}

describe('完整性校验 shows what verify found', () => {
  it('a whole log: passed, with what was checked', () => {
    render(
      <UiConfig>
        <VerifyReportView report={aReport({})} />
      </UiConfig>,
    );
    expect(screen.getByRole('status')).toHaveTextContent('校验通过');
    expect(screen.getByText('已校验事件').closest('tr')).toHaveTextContent('已校验事件18');
    expect(screen.queryByRole('region', { name: '问题清单' })).toBeNull();
  });

  it('a broken chain: every break listed with its stream and version, none hidden', () => {
    const breaks = [
      { kind: 'hash-mismatch', streamId: 'application-a1', version: 3, detail: 'stored hash differs' },
      { kind: 'broken-link', streamId: 'fund-2019', version: 1, detail: 'prevHash differs' },
    ];
    render(
      <UiConfig>
        <VerifyReportView report={aReport({ ok: false, breaks, breaksOmitted: 0 })} />
      </UiConfig>,
    );
    expect(screen.getByRole('status')).toHaveTextContent('发现 2 处问题');
    const rows = within(screen.getByRole('region', { name: '问题清单' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining('application-a1'), expect.stringContaining('fund-2019')]);
    expect(rows[0]).toHaveTextContent('hash-mismatch');
  });
});

describe('时点回放 asks for the moment picked in Beijing time', () => {
  it('sends the wall-clock time picked with the +08:00 offset, whatever the browser zone', () => {
    expect(beijingIso(dayjs('2026-11-25 10:30:00'))).toBe('2026-11-25T10:30:00+08:00');
  });
});
