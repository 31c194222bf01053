import { render, screen, within } from '@testing-library/react';
import { UiConfig } from '../../app/providers';
import { mediaTypeOf, type ImportStatus } from './customs-api';
import { ImportResult } from './CustomsImportPage';

function aStatus(over: Partial<ImportStatus>): ImportStatus {
  return {
    id: 'imp-1',
    state: 'checking',
    rowsChecked: 0,
    rowsStored: 0,
    bytes: 100,
    startedAt: '2026-12-06T02:00:00.000Z',
    finishedAt: null,
    answer: null,
    problem: null,
    ...over,
  };
}

const show = (status: ImportStatus) =>
  render(
    <UiConfig>
      <ImportResult status={status} />
    </UiConfig>,
  );

describe('海关数据导入', () => {
  it('sends a workbook as .xlsx and anything else as CSV, whose encoding the server detects', () => {
    expect(mediaTypeOf({ name: '2019年海关数据.XLSX' })).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(mediaTypeOf({ name: 'customs.csv' })).toBe('text/csv');
  });

  it('a refused file: the refusal in Chinese and every bad row with its line', () => {
    const errors = Array.from({ length: 25 }, (_v, i) => ({ line: i + 2, field: 'export_9610_usd', reason: `"x${i}" is not an amount` }));
    show(aStatus({ state: 'refused', rowsChecked: 25, problem: { code: 'invalid-customs-rows', detail: '25 bad row(s)', errors } }));
    const region = screen.getByRole('region', { name: '导入结果' });
    expect(within(region).getByText('未导入')).toBeInTheDocument();
    expect(within(region).getByRole('alert')).toHaveTextContent('25 bad row(s)');
    expect(within(region).getByText('共 25 处错误')).toBeInTheDocument();
    const firstRow = within(region)
      .getAllByRole('row')
      .find((r) => r.textContent?.includes('"x0"'));
    expect(firstRow).toHaveTextContent('2export_9610_usd');
  });

  it('a stored file: how many rows were new, revised and unchanged, and the years', () => {
    const answer = {
      batchId: 'b',
      rows: 5,
      imported: 3,
      revised: 1,
      unchanged: 1,
      streams: [
        { streamId: 'customs-2018', year: 2018 },
        { streamId: 'customs-2019', year: 2019 },
      ],
      position: 9,
    };
    show(aStatus({ state: 'done', rowsChecked: 5, rowsStored: 5, answer, finishedAt: '2026-12-06T02:00:01.000Z' }));
    expect(screen.getByText('导入完成')).toBeInTheDocument();
    expect(screen.getByText('新增').closest('tr')).toHaveTextContent('新增3');
    expect(screen.getByText('2018、2019')).toBeInTheDocument();
  });
});
