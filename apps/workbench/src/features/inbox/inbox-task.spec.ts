import { inboxTaskText } from './inbox-task';

describe('我的待办 names what each item asks', () => {
  it('tells an objection during 公示 and a recheck (复核) from an approval, all three `decide` items of the lead unit', () => {
    const decide = (detail: string | null) => inboxTaskText({ task: 'decide', detail, reviewUnit: null });
    expect(decide('objection during the publicity (12345热线)')).toBe('公示异议处理（维持或撤回）');
    expect(decide('复核: customs revision; approved 50000.00 CNY, the revised figures give 0.00 CNY')).toBe('复核（海关数据修订）');
    expect(decide(null)).toBe('待审批');
  });

  it('names a recovery order and a late review by their task', () => {
    expect(inboxTaskText({ task: 'recover', detail: '50000.00 CNY to recover (revocation)', reviewUnit: null })).toBe('待追回');
    expect(inboxTaskText({ task: 'overdue-review', detail: null, reviewUnit: 'CUS' })).toBe('会签逾期（合肥海关驻六安办事处）');
  });

  it('names the steps of a supplementary award (补发): countersign, decision, payment', () => {
    expect(inboxTaskText({ task: 'review', detail: '补发 4000.00 CNY after a recheck', reviewUnit: null })).toBe('补发会签意见');
    expect(inboxTaskText({ task: 'decide', detail: '补发: every opinion is approve', reviewUnit: null })).toBe('补发审批');
    expect(inboxTaskText({ task: 'disburse', detail: '补发 4000.00 CNY approved', reviewUnit: null })).toBe('拨付补发');
  });
});
