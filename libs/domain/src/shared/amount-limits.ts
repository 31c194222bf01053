import { type Currency, Money } from './money';

/**
 * The largest amount each kind of input may carry: system parameters, not clauses of the policy. They keep
 * every event a command can store, and every sum the read side, the reports and the fund compute from
 * such events, inside what they hold exactly:
 *
 * - a read model stores fen in SQLite's 64-bit INTEGER (at most 9,223,372,036,854,775,807 fen, about
 *   ¥92 quadrillion); SQLite's `SUM` and `a + b` of two such columns fail beyond it;
 * - the reporting consumer reads each amount of the integration events as a JavaScript number, exact up
 *   to 2^53 fen (about ¥90 trillion), and adds them in SQLite's 64-bit INTEGER.
 *
 * Each value is far above anything real (so no genuine application, file or appropriation is refused) and
 * far below those ceilings (so that the sums of many of them stay exact: see docs/limits.md, "Amounts",
 * for each sum and why it stays bounded). A refusal names the field and the limit
 * (`AmountAboveLimit`, 422 `amount-above-limit`).
 */
export interface AmountLimit {
  /** Stable key, shown in the refusal (`limitName`). */
  readonly name: string;
  readonly max: Money;
  /** What the limit applies to, as a refusal says it ("one amount of a claim"). */
  readonly appliesTo: string;
}

const limit = (name: string, currency: Currency, max: string, appliesTo: string): AmountLimit =>
  Object.freeze({ name, max: Money.parse(max, currency, name), appliesTo });

export const AMOUNT_LIMITS = Object.freeze({
  /**
   * Each money figure of an application's claims (a platform fee, the platform investment): ¥10 billion.
   * P2a pays 70% of the fees up to ¥100,000 and P3a 40% of the investment up to ¥200,000, so every claim
   * above ¥500,000 already earns the cap; ten billion yuan is four orders of magnitude above any fee or
   * platform investment of an enterprise in Lu'an.
   */
  claimAmountCny: limit('claim-amount', 'CNY', '10000000000.00', 'one amount of a claim'),
  /**
   * The platform fees of one claim together: the same ¥10 billion. A fee list is summed by P2a (70% of
   * the total), so its total, not only each fee, is what the computed award and the read side see.
   */
  claimFeesTotalCny: limit('claim-fees-total', 'CNY', '10000000000.00', 'the platform fees of one claim together'),
  /**
   * Each customs figure (imported, or stated in a claim), per enterprise and year: US$1 trillion, about a
   * third of all of China's exports in a year, far above the exports of any single enterprise. The largest award a rule computes from such figures (P2b: ¥2,000 per US$50,000 of increment, at most
   * US$2 trillion of trade) is ¥80 billion, under `computedAwardCny`.
   */
  customsFigureUsd: limit('customs-figure', 'USD', '1000000000000.00', 'one customs figure of one enterprise and year'),
  /**
   * What a rule computes before the caps (ReserveAward's request, ApproveAward's computed amount):
   * ¥1 trillion, above what any rule yields from inputs within the limits above (P2b ¥80 billion, P2a
   * ¥7 billion, P3a ¥4 billion); the approved amount itself is held to the policy's caps (¥500,000 at
   * most, P4).
   */
  computedAwardCny: limit('computed-award', 'CNY', '1000000000000.00', 'an award computed before the caps'),
  /**
   * The special fund of one year: one appropriation, and all appropriations of the year together, at most
   * ¥100 billion. This policy's fund is counted in millions (its awards are ¥500,000 at most each), so no
   * real appropriation comes near it. Commitments stay within the appropriation (五（二）) and payments
   * within their commitments, so every figure of a year's fund (appropriated, committed, paid, available)
   * stays below it, some 900 times below 2^53 fen.
   */
  fundYearCny: limit('fund-year', 'CNY', '100000000000.00', "the special fund's appropriations of one year together"),
  /** A municipal foreign-trade award recorded by COM (P1's no-double-benefit): ¥10 billion, as a claim amount. */
  externalAwardCny: limit('external-award', 'CNY', '10000000000.00', 'one recorded municipal foreign-trade award'),
});
