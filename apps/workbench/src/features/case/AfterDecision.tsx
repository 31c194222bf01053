import { Card, Descriptions, Empty, Table, Tag, Timeline, Typography } from 'antd';
import { beijing, formatMoney, label } from '../../lib/labels';
import { RECHECK_OUTCOME, rechecksOf, sequelsOf, supplementDecisionAt, type Sequel } from './after-decision';
import type { CaseDetail } from './allowed-actions';
import { RecheckComparison } from './RecheckComparison';

const CAUSE: Record<string, string> = { revocation: '撤销（骗取）', revision: '海关数据修订（复核）' };

/** One line per step after the decision, in Chinese: who, when, and what they recorded. */
function sequelLine(s: Sequel): string {
  const by = (k: string) => (typeof s[k] === 'string' ? ` · ${String(s[k])}` : '');
  switch (s.type) {
    case 'PublicityObjectionRecorded':
      return `公示异议${by('recordedBy')}：来源 ${String(s.source)}；${String(s.detail)}`;
    case 'AwardUpheld':
      return `维持奖励${by('upheldBy')}：${String(s.reason)}`;
    case 'AwardWithdrawn':
      return `撤回奖励${by('withdrawnBy')}：${String(s.reason)}（释放 ${formatMoney(String(s.amountCny))}）`;
    case 'AwardRevoked':
      return `撤销奖励（骗取）${by('revokedBy')}：${String(s.reason)}；证据编号 ${String(s.evidenceRef)}`;
    case 'RecoveryOrdered':
      return `追回 ${formatMoney(String(s.amountCny))}（${CAUSE[String(s.cause)] ?? String(s.cause)}），${String(s.dueDate)} 前`;
    case 'RepaymentRecorded':
      return `退回款项 ${formatMoney(String(s.amountCny))}${by('recordedBy')}：流水号 ${String(s.repaymentRef)}，尚欠 ${formatMoney(String(s.outstandingCny))}`;
    case 'RecoverySettled':
      return `追回完毕：${formatMoney(String(s.amountCny))}`;
    case 'RecheckRequired':
      return `海关数据修订，待复核：批准 ${formatMoney(String(s.approvedCny))}，修订后可批准 ${formatMoney(String((s.revised as { approvableCny?: string })?.approvableCny ?? ''))}`;
    case 'RecheckRecorded':
      return `复核完成${by('checkedBy')}：${RECHECK_OUTCOME[s.outcome as 'unchanged'] ?? String(s.outcome)}`;
    default: {
      // 补发 and lowering in place (AwardLowered, SupplementaryAward…): the event's name and the amount it moved.
      const amount = [s.differenceCny, s.amountCny].find((a): a is string => typeof a === 'string');
      return `${label('event', s.type)}${amount ? ` ${formatMoney(amount)}` : ''}`;
    }
  }
}

/** The 补发's 审批 column: approved, or objected and what the lead unit's head decided on it (who, when, why). */
function supplementDecision(c: CaseDetail, s: CaseDetail['supplements'][number]): string {
  const approved = s.approved ? `已批准 · ${String(s.approved.approvedBy)}，合计 ${formatMoney(String(s.approved.totalCny))}` : null;
  if (!s.objectedBy) return approved ?? '待审批';
  const objection = `${label('unit', s.objectedBy)} 不同意`;
  const d = s.objectionDecision;
  if (!d) return `${objection}，待牵头单位负责人决定`;
  const at = supplementDecisionAt(c, s.supplementId);
  const decided = `${d.decision === 'approve' ? '异议不予采纳' : '不予补发'} · ${d.decidedBy}${at ? `，${beijing(at)}` : ''}：${d.reason}`;
  return [objection, decided, ...(approved ? [approved] : [])].join('；');
}

/**
 * 公示与追回 on 案件详情 (docs/after-decision.md): the publicity period, each step after the decision (objections
 * and their answer, revocation, recovery and repayments, rechecks), the recovery orders with what was returned and
 * what is still owed, and each recheck's two computations side by side.
 */
export function AfterDecision({ c }: { c: CaseDetail }) {
  if (!c.award) return null;
  const publicity = c.award.publicity;
  const sequels = sequelsOf(c);
  const rechecks = rechecksOf(c);
  return (
    <Card title="公示与追回">
      <Descriptions column={2} size="small">
        <Descriptions.Item label="公示期">
          {publicity ? `${publicity.from} 至 ${publicity.until}（${publicity.workingDays} 个工作日）` : '批准于公示制度施行前，无公示期'}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>事后记录</Typography.Title>
      {sequels.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="批准后尚无异议、撤销、追回或复核" />
      ) : (
        <Timeline aria-label="事后记录" items={sequels.map((s, i) => ({ key: i, content: `${beijing(s.at)} · ${sequelLine(s)}` }))} />
      )}
      {c.recoveries.length > 0 && (
        <>
          <Typography.Title level={5}>追回单</Typography.Title>
          <section aria-label="追回单">
            <Table
              rowKey="recoveryId"
              size="small"
              pagination={false}
              dataSource={c.recoveries}
              expandable={{
                defaultExpandAllRows: true,
                rowExpandable: (r) => r.repayments.length > 0,
                expandedRowRender: (r) => (
                  <section aria-label="还款记录">
                    <Table
                      rowKey="repaymentRef"
                      size="small"
                      pagination={false}
                      dataSource={r.repayments}
                      columns={[
                        { title: '银行流水号', dataIndex: 'repaymentRef' },
                        { title: '还款金额', dataIndex: 'amountCny', align: 'right', render: (a: string) => formatMoney(a) },
                        { title: '登记人', dataIndex: 'recordedBy' },
                        { title: '登记时间', dataIndex: 'at', render: (t: string) => beijing(t) },
                      ]}
                    />
                  </section>
                ),
              }}
              columns={[
                { title: '原因', dataIndex: 'cause', render: (k: string) => CAUSE[k] ?? k },
                { title: '应追回', dataIndex: 'amountCny', align: 'right', render: (a: string) => formatMoney(a) },
                { title: '已退回', dataIndex: 'repaidCny', align: 'right', render: (a: string) => formatMoney(a) },
                { title: '尚欠', dataIndex: 'outstandingCny', align: 'right', render: (a: string) => formatMoney(a) },
                { title: '到期日', dataIndex: 'dueDate' },
                { title: '状态', dataIndex: 'settled', render: (s: boolean) => (s ? <Tag color="green">已结清</Tag> : <Tag color="orange">待追回</Tag>) },
              ]}
            />
          </section>
        </>
      )}
      {(c.supplements ?? []).length > 0 && (
        <>
          <Typography.Title level={5}>补发</Typography.Title>
          <section aria-label="补发">
            <Table
              rowKey="supplementId"
              size="small"
              pagination={false}
              dataSource={c.supplements}
              columns={[
                { title: '补发金额', dataIndex: 'differenceCny', align: 'right', render: (a: string) => formatMoney(a) },
                {
                  title: '会签',
                  key: 'countersign',
                  render: (_v, s) => {
                    if (s.countersignSkipped) return '按政策免会签';
                    const pending = (s.pending as Array<{ unit?: string; dueDate?: string }>).map(
                      (p) => `${label('unit', p.unit ?? '')} 待会签（${p.dueDate ?? ''} 前）`,
                    );
                    const given = (s.opinions as Array<{ unit?: string; verdict?: string }>).map(
                      (o) => `${label('unit', o.unit ?? '')} ${label('verdict', o.verdict ?? '')}`,
                    );
                    return [...given, ...pending].join('；') || '—';
                  },
                },
                {
                  title: '审批',
                  key: 'approved',
                  render: (_v, s) => supplementDecision(c, s),
                },
                { title: '拨付', key: 'paid', render: (_v, s) => (s.paid ? `已拨付 · ${String(s.paid.paymentRef)}` : '—') },
              ]}
            />
          </section>
        </>
      )}
      {rechecks.map((r, i) => (
        <div key={i} style={{ marginTop: 16 }}>
          <Typography.Title level={5}>
            复核{rechecks.length > 1 ? ` ${i + 1}` : ''} {r.recorded ? <Tag color="green">已复核</Tag> : <Tag color="orange">待复核</Tag>}
          </Typography.Title>
          <RecheckComparison recheck={r} />
          {r.recorded && (
            <Typography.Paragraph style={{ marginTop: 8 }}>
              复核结果：{RECHECK_OUTCOME[r.recorded.outcome]}
              {r.recorded.outcome === 'unchanged' ? '' : `，差额 ${formatMoney(r.recorded.differenceCny)}`}；复核人 {r.recorded.checkedBy}，
              {beijing(r.recorded.at)}
            </Typography.Paragraph>
          )}
        </div>
      ))}
    </Card>
  );
}
