import { describeInBrowser, p2a, WorkbenchBrowser } from './support/workbench-browser';

/**
 * 督办 in Chromium with the server's clock pinned (CBEC_FIXED_NOW): a case accepted Fri 2020-09-25 is due
 * Thu 2020-10-15 (ten working days across National Day); the server is started again pinned at 2020-10-16, its
 * process manager marks the reviews overdue, and the leading-group office (COM) sees them on 督办.
 */
jest.setTimeout(300_000);

const USCC = '91341502MA2DEM001K';

describeInBrowser('the workbench in Chromium: an overdue review on 督办', () => {
  const wb = new WorkbenchBrowser();

  beforeAll(async () => {
    await wb.start({ CBEC_FIXED_NOW: '2020-09-25T03:00:00.000Z' }, [{ username: 'com-liu', unit: 'COM', role: 'officer', displayName: '刘科员' }]);
    const id = (await wb.api('POST', '/api/v1/applications', 'APPLICANT', 'applicant', { ...p2a(USCC), year: 2019 }, USCC)).applicationId as string;
    const accepted = await wb.api('POST', `/api/v1/applications/${id}/acceptance`, 'FIN', 'officer');
    expect(accepted.dueDate).toBe('2020-10-15');
    await wb.restartServer({ CBEC_FIXED_NOW: '2020-10-16T02:00:00.000Z' });
  });

  afterAll(() => wb.close());

  it('the leading-group office sees the late reviews of every unit, tagged 已逾期', async () => {
    const page = wb.page;
    await wb.logIn('com-liu');
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '督办' }).click();
    const late = page.getByRole('region', { name: '逾期会签' });
    // The process manager ticks once a second after the start: the page is read again until its rows are there.
    // Each reading waits for the page to draw its rows (seconds on a busy machine) before reloading.
    for (let attempt = 0; ; attempt++) {
      const rows = late.getByRole('row').filter({ hasText: '已逾期' });
      const drawn = await rows
        .nth(1)
        .waitFor({ timeout: 5_000 })
        .then(
          () => true,
          () => false,
        );
      if (drawn) break;
      if (attempt === 40) throw new Error(`no overdue review on 督办:\n${await wb.bodyText()}`);
      await page.reload();
    }
    await late.getByRole('row').filter({ hasText: '人民银行六安市中心支行' }).filter({ hasText: '2020-10-15' }).waitFor();
    await late.getByRole('row').filter({ hasText: '市商务局' }).waitFor();
    await page.getByRole('region', { name: '截止日期看板' }).getByRole('row').filter({ hasText: '合肥海关驻六安办事处' }).waitFor();
    await wb.screenshot('supervision.png');
  });

  it('logged no console error on any page', () => {
    expect(wb.consoleErrors).toEqual([]);
  });
});
