import { menuFor } from './AppLayout';

describe('the menu by unit', () => {
  it('an auditor sees 审计, 公示 and 统计 and no inbox; every department 公示; COM and FIN 免申即享; a department its inbox; an applicant 申报; an administrator 账号管理', () => {
    expect(menuFor({ unit: 'AUDIT', role: 'auditor' }).map((e) => e.text)).toEqual(['审计', '公示', '免申即享', '统计']);
    expect(menuFor({ unit: 'COM', role: 'officer' }).map((e) => e.text)).toEqual(['我的待办', '督办', '免申即享', '公示', '统计']);
    expect(menuFor({ unit: 'FIN', role: 'head' }).map((e) => e.text)).toEqual(['我的待办', '专项资金', '免申即享', '公示', '统计']);
    expect(menuFor({ unit: 'CUS', role: 'officer' }).map((e) => e.text)).toEqual(['我的待办', '海关数据导入', '公示', '统计']);
    expect(menuFor({ unit: 'ADMIN', role: 'admin' }).map((e) => e.text)).toEqual(['账号管理']);
    expect(menuFor({ unit: 'FIN', role: 'officer' }, 3)[0]).toEqual({ path: '/inbox', text: '我的待办', count: 3 });
    expect(menuFor({ unit: 'APPLICANT', role: 'applicant' }).map((e) => e.text)).toEqual(['申报', '我的申报']);
  });
});
