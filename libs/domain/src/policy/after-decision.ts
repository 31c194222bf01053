/**
 * What follows a decision (公示, recovery, 补发): parameters of administrative practice, not readings of
 * the text. 六政办秘〔2019〕4号 names no publicity period, no repayment term and no rule for a
 * supplementary award: these are the city's practice, stated here so that a later policy version may
 * change them.
 */
export interface AfterDecisionParams {
  /** 公示: an approved award is published this many working days (Asia/Shanghai calendar) before it may be paid. */
  publicityWorkingDays: number;
  /** A recovery order (追回) is due this many working days after it is issued. */
  recoveryDueWorkingDays: number;
  /** A supplementary award (补发) after a customs revision skips the countersign (会签). */
  supplementarySkipsCountersign: boolean;
  /** Where the figures come from (shown with the policy version). */
  basis: string;
}

export const AFTER_DECISION_PRACTICE: AfterDecisionParams = {
  publicityWorkingDays: 5,
  recoveryDueWorkingDays: 30,
  supplementarySkipsCountersign: false,
  basis: 'administrative practice of the city (公示 5 working days; recovery due in 30 working days); not the words of the policy text',
};
