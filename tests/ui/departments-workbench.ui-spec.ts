import { join } from 'node:path';
import { ROOT } from '../e2e/support/process-child-server';
import { describeInBrowser, PASSWORD, WorkbenchBrowser } from './support/workbench-browser';

/**
 * 海关数据导入 (CUS) and 账号管理 (ADMIN) in Chromium, and forms used by keyboard alone: the login, and an
 * account created by an administrator who never touches the mouse.
 */
jest.setTimeout(300_000);

const HEADER = 'year,uscc,name,export_9610_usd,cbec_import_usd,cbec_export_usd,total_export_usd,platform_local_online_trade_usd';
const BAD_FILE = `${HEADER}\n2019,91341502MA2DEM001K,示例企业,1e5,0.00,0.00,0.00,\n2019,NOT-A-USCC,示例企业二,100.00,0.00,0.00,0.00,\n`;

describeInBrowser('the workbench in Chromium: customs import, accounts, keyboard alone', () => {
  const wb = new WorkbenchBrowser();

  beforeAll(async () => {
    await wb.start({}, [
      { username: 'cus-wang', unit: 'CUS', role: 'officer', displayName: '王关员' },
      { username: 'root', unit: 'ADMIN', role: 'admin', displayName: '管理员' },
      { username: 'com-liu', unit: 'COM', role: 'officer', displayName: '刘科员' },
    ]);
  });

  afterAll(() => wb.close());

  it('海关数据导入: a bad file lists every bad row with its line and stores nothing; the good one is imported', async () => {
    const page = wb.page;
    await wb.logIn('cus-wang');
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '海关数据导入' }).click();
    await page.getByLabel('海关数据文件').setInputFiles({ name: 'customs-2019.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_FILE) });
    await page.getByRole('button', { name: '开始导入' }).click();
    const result = page.getByRole('region', { name: '导入结果' });
    await result.getByText('未导入').waitFor();
    await result.getByRole('row').filter({ hasText: 'export_9610_usd' }).filter({ hasText: /^2/ }).first().waitFor();
    await result.getByRole('row').filter({ hasText: 'uscc' }).filter({ hasText: /^3/ }).first().waitFor();
    await wb.screenshot('customs-refused.png');

    await page.getByLabel('海关数据文件').setInputFiles(join(ROOT, 'infra', 'data', 'demo', 'customs-demo.csv'));
    await page.getByRole('button', { name: '开始导入' }).click();
    await result.getByText('导入完成').waitFor();
    expect(await result.getByText('新增', { exact: true }).locator('xpath=ancestor::tr[1]').innerText()).toMatch(/新增\s*5/);
    await wb.screenshot('customs-imported.png');
    await wb.logOut();
  });

  it('账号管理: the administrator disables an account, which then cannot log in', async () => {
    const page = wb.page;
    await wb.logIn('root');
    const row = page.getByRole('row').filter({ hasText: 'com-liu' });
    await row.getByRole('button', { name: '停用' }).click();
    await row.getByText('已停用').waitFor();
    await wb.screenshot('accounts.png');
    await wb.logOut();
    await page.getByLabel('用户名').fill('com-liu');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
    // Chromium logs the refused login itself (401): this test's point, taken out of the console check.
    expect(wb.consoleErrors.splice(0)).toEqual([expect.stringContaining('status of 401')]);
  });

  it('keyboard alone: logs in, opens 新建账号, fills it and creates the account', async () => {
    const page = wb.page;
    const kb = page.keyboard;
    await page.goto(wb.url('/login'));
    // 用户名 has the focus on arrival (once the page has drawn it); Tab to 密码, Enter sends.
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id === 'username',
    );
    await kb.type('root');
    await kb.press('Tab');
    await kb.type(PASSWORD);
    await kb.press('Enter');
    await page.getByRole('button', { name: '退出登录' }).waitFor();

    await page.getByRole('button', { name: '新建账号' }).focus();
    await kb.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').waitFor();
    await dialog.getByLabel('用户名').focus();
    await kb.type('pbc-sun');
    await kb.press('Tab');
    await kb.type('孙科员');
    await kb.press('Tab');
    // 单位: the arrow key opens the list; walk to 人民银行 (the fourth), take it with Enter. Each key waits for
    // what it changes (a busy machine draws the list late).
    await kb.press('ArrowDown');
    await dialog.getByRole('combobox', { name: '单位', expanded: true }).waitFor();
    for (let i = 0; i < 3; i++) await kb.press('ArrowDown');
    await kb.press('Enter');
    await dialog.getByTitle('人民银行六安市中心支行').waitFor();
    await dialog.getByRole('combobox', { name: '单位', expanded: false }).waitFor();
    await kb.press('Tab');
    await kb.press('ArrowDown');
    await dialog.getByRole('combobox', { name: '角色', expanded: true }).waitFor();
    await kb.press('Enter'); // 角色: the first, 经办人
    await dialog.getByTitle('经办人').waitFor();
    await dialog.getByRole('combobox', { name: '角色', expanded: false }).waitFor();
    await kb.press('Tab');
    await kb.press('Tab'); // past 统一社会信用代码 (none for a department)
    await kb.type('Pbc-Sun-2019');
    await expect(dialog.getByLabel('初始密码').inputValue()).resolves.toBe('Pbc-Sun-2019');
    await kb.press('Enter');
    await dialog.waitFor({ state: 'hidden' }).catch(async (e: Error) => {
      throw new Error(`${e.message}\n--- the dialog said:\n${await dialog.innerText()}`);
    });
    const created = page.getByRole('row').filter({ hasText: 'pbc-sun' });
    await created.waitFor();
    expect(await created.innerText()).toMatch(/人民银行六安市中心支行[\s\S]*经办人/);
  });

  it('logged no console error on any page', () => {
    expect(wb.consoleErrors).toEqual([]);
  });
});
