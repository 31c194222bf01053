import { label } from '../../lib/labels';

/**
 * What an inbox item asks, in Chinese. The inbox read model files an objection during 公示 and a recheck
 * (复核) after a customs revision as the lead unit's `decide` items, told apart by their `detail`
 * (libs/projections/src/inbox/inbox.projection.ts: "objection during the publicity (…)" and "复核: …"); they
 * are named here by the step they await (the catalogue's `next-step`), so the lead unit finds them; so are
 * the steps of a supplementary award (补发).
 */
export function inboxTaskText(item: { task: string; detail: string | null; reviewUnit: string | null }): string {
  if (item.task === 'decide' && item.detail?.startsWith('objection during the publicity')) return label('next-step', 'objection decision');
  if (item.task === 'decide' && item.detail?.startsWith('复核')) return label('next-step', 'recheck');
  // 补发 (a higher recheck's supplementary award): its countersign, decision and payment are review, decide and
  // disburse items whose detail begins "补发".
  if (item.detail?.startsWith('补发')) {
    const step = { review: 'supplement opinion', decide: 'supplement decision', disburse: 'supplement disbursement' }[item.task];
    if (step) return label('next-step', step);
  }
  return `${label('inbox-task', item.task)}${item.reviewUnit ? `（${label('unit', item.reviewUnit)}）` : ''}`;
}
