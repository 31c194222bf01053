import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { describeInBrowser, p2a, WorkbenchBrowser } from './support/workbench-browser';

/**
 * The auditor's screens in Chromium (docs/workbench.md, 审计): 完整性校验 over the whole log, then one case's
 * 时点回放 at two Beijing times picked with the date-time picker, its 计算说明, 审批时所见 and the bundle
 * download. The case is walked over the API with a pause in the middle: replayed at that moment (the log's
 * recorded time, which is the machine's clock) it was in countersign; replayed a minute on, paid.
 */
jest.setTimeout(300_000);

const USCC = '91341502MA2DEM001K';

/** "2026-11-25 12:00:00": the Beijing wall-clock time of an instant, as the picker takes it. */
const beijingText = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeInBrowser('the workbench in Chromium: an auditor checks the log and replays a case', () => {
  const wb = new WorkbenchBrowser();
  let id: string;
  let inCountersign: number;

  beforeAll(async () => {
    await wb.start({}, [{ username: 'audit-li', unit: 'AUDIT', role: 'auditor', displayName: '李审计' }]);
    await wb.seedCustomsAndFund();
    id = (await wb.api('POST', '/api/v1/applications', 'APPLICANT', 'applicant', p2a(USCC), USCC)).applicationId as string;
    await wb.api('POST', `/api/v1/applications/${id}/acceptance`, 'FIN', 'officer');
    // A whole second on each side: the picker's resolution.
    await pause(1_100);
    inCountersign = Date.now();
    await pause(1_100);
    for (const unit of ['COM', 'CUS', 'PBC'])
      await wb.api('POST', `/api/v1/applications/${id}/opinions`, unit, 'officer', { verdict: 'approve', comment: '同意' });
    await wb.api('POST', `/api/v1/applications/${id}/approval`, 'FIN', 'head', {});
    // 公示: paid during the publicity only once the lead unit upheld the award after an objection.
    await wb.api('POST', `/api/v1/applications/${id}/publicity-objections`, 'COM', 'officer', { source: '12345 热线', detail: '核实发票' });
    await wb.api('POST', `/api/v1/applications/${id}/objection-decision`, 'FIN', 'head', { decision: 'uphold', reason: '发票核实无误' });
    await wb.api('POST', `/api/v1/applications/${id}/disbursement`, 'FIN', 'officer', { paymentRef: 'PAY-2026-0002' });
  });

  afterAll(() => wb.close());

  it('完整性校验 reports the whole log intact', async () => {
    const page = wb.page;
    await wb.logIn('audit-li');
    await page.getByRole('heading', { name: '完整性校验' }).waitFor();
    await page.getByRole('button', { name: '开始校验' }).click();
    await expect(page.getByRole('status').filter({ hasText: '校验' }).textContent()).resolves.toContain('校验通过');
    await wb.screenshot('audit-verify.png');
  });

  it('时点回放 shows the case as it stood at each moment picked, in Beijing time', async () => {
    const page = wb.page;
    await page.getByRole('row').filter({ hasText: '已拨付' }).getByRole('link', { name: '审计' }).click();
    await page.getByRole('heading', { name: '案件审计' }).waitFor();
    await page.getByRole('tab', { name: '时点回放' }).click();

    const replayAt = async (beijingTime: string): Promise<string> => {
      const picker = page.getByLabel('回放时点（北京时间）');
      await picker.click();
      await picker.fill(beijingTime);
      await picker.press('Enter');
      await page.getByRole('button', { name: '回放' }).click();
      const result = page.getByRole('region', { name: '回放结果' });
      await result
        .getByText(beijingTime.slice(0, 16))
        .first()
        .waitFor()
        .catch(async (e: Error) => {
          await wb.screenshot('failed-as-of.png');
          throw new Error(`${e.message}\n--- the page said:\n${await wb.bodyText()}`);
        });
      return result.innerText();
    };
    await expect(replayAt(beijingText(inCountersign))).resolves.toContain('会签中');
    await expect(replayAt(beijingText(Date.now() + 60_000))).resolves.toContain('已拨付');
    await wb.screenshot('audit-as-of.png');
  });

  it('计算说明, 审批时所见 and the bundle download answer for the same case', async () => {
    const page = wb.page;
    await page.getByRole('tab', { name: '计算说明' }).click();
    await page
      .getByRole('list', { name: '计算说明' })
      .getByText(/奖励金额/)
      .first()
      .waitFor();
    await page.getByRole('tab', { name: '审批时所见' }).click();
    await page.getByText('批准金额').first().waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载审计包' }).click()]);
    expect(download.suggestedFilename()).toBe(`audit-${id}.zip`);
    const zip = await JSZip.loadAsync(readFileSync((await download.path())!));
    expect(Object.keys(zip.files)).toEqual(expect.arrayContaining([`audit-${id}/events.jsonl`, `audit-${id}/manifest.json`, `audit-${id}/manifest.sig`]));
  });

  it('logged no console error on any page', () => {
    expect(wb.consoleErrors).toEqual([]);
  });
});
