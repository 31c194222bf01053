import { Card, Descriptions, Typography } from 'antd';
import { beijing, formatMoney, renderTrace } from '../../lib/labels';
import { DECLARATION_NAMES } from '../proactive/declarations';
import type { CaseDetail } from './allowed-actions';

/**
 * 免申即享 on 案件详情: who opened the case on the customs statistics alone and when, the computation that found
 * it, what the enterprise is to declare and whether it has (docs/after-decision.md).
 */
export function ProactiveCard({ c }: { c: CaseDetail }) {
  const p = c.proactive;
  if (!p) return null;
  return (
    <Card title="免申即享">
      <Descriptions column={2} size="small">
        <Descriptions.Item label="立案">
          市商务局 · {p.openedBy}，{beijing(p.openedAt)}
        </Descriptions.Item>
        <Descriptions.Item label="企业确认">{p.confirmedBy ? `${p.confirmedBy}，${beijing(p.confirmedAt)}` : '待企业确认'}</Descriptions.Item>
        <Descriptions.Item label="待声明事项">
          {p.declarationsPending.length ? p.declarationsPending.map((k) => DECLARATION_NAMES[k] ?? k).join('；') : '无'}
        </Descriptions.Item>
        <Descriptions.Item label="依海关数据测算">
          {formatMoney(p.computation.computedCny)}
          {p.computation.amountCny === null ? '（待企业提供平台费用）' : `，可奖励 ${formatMoney(p.computation.amountCny)}`}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>立案时的计算</Typography.Title>
      <ol aria-label="立案时的计算">
        {renderTrace(p.computation.trace).map((t, i) => (
          <li key={i}>
            {t.step}：{t.value}
            {t.clause ? `（${t.clause}）` : ''}
          </li>
        ))}
      </ol>
    </Card>
  );
}
