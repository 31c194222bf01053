import { Card, Col, Descriptions, Row, Typography } from 'antd';
import { formatMoney, renderTrace } from '../../lib/labels';
import type { Computation, RecheckView } from './after-decision';

/**
 * 复核: the computation the decision took and the one the revised customs figures give, side by side
 * (docs/after-decision.md). The traces are stored as the domain wrote them and rendered here in Chinese by the
 * same catalogue as the server's (`renderTrace`).
 */
export function RecheckComparison({ recheck }: { recheck: RecheckView }) {
  return (
    <section aria-label="复核对比">
      <Typography.Paragraph>
        批准金额 {formatMoney(recheck.approvedCny)}；海关数据修订于 {recheck.flaggedOn || recheck.at.slice(0, 10)}
      </Typography.Paragraph>
      <Row gutter={16}>
        <Col span={12}>
          <ComputationCard title="审批时的计算" computation={recheck.decided} />
        </Col>
        <Col span={12}>
          <ComputationCard title="修订后的计算" computation={recheck.revised} />
        </Col>
      </Row>
    </section>
  );
}

function ComputationCard({ title, computation }: { title: string; computation: Computation }) {
  return (
    <Card size="small" title={title} aria-label={title}>
      <Descriptions column={1} size="small">
        <Descriptions.Item label="测算金额">{formatMoney(computation.computedCny)}</Descriptions.Item>
        <Descriptions.Item label="可批准金额">{formatMoney(computation.approvableCny)}</Descriptions.Item>
        <Descriptions.Item label="海关数据">{computation.customsEventIds.length} 条记录</Descriptions.Item>
      </Descriptions>
      <ol aria-label={`${title}过程`} style={{ paddingLeft: 20, marginBottom: 0 }}>
        {renderTrace(computation.trace).map((t, i) => (
          <li key={i}>
            {t.step}：{t.value}
            {t.clause ? `（${t.clause}）` : ''}
          </li>
        ))}
      </ol>
    </Card>
  );
}
