import { type AmountOverLimit, amountOverLimit } from '../decider';
import { CUSTOMS_FIGURES } from '../policy/case-facts';
import { AMOUNT_LIMITS, type AmountLimit } from '../shared/amount-limits';
import { type Currency, Money } from '../shared/money';

type JsonObject = { readonly [key: string]: unknown };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The amount a claim field holds, or null when it holds none (its form is checked where claims are parsed). */
function amountOf(value: unknown, currency: Currency): Money | null {
  try {
    return Money.parse(value, currency);
  } catch {
    return null;
  }
}

/**
 * Every money figure of a case's claims above its limit (shared/amount-limits.ts), by path: each platform
 * fee and the fees together, the platform investment, each customs figure the applicant states. Any
 * program's claims are checked for every figure they carry, needed by the program or not: the case stores
 * them all and its award preview reads them.
 */
export function claimAmountsOverLimit(claims: JsonObject, path = 'claims'): AmountOverLimit[] {
  const over: AmountOverLimit[] = [];
  const check = (field: string, amount: Money | null, limit: AmountLimit): void => {
    const violation = amount && amountOverLimit(field, amount, limit);
    if (violation) over.push(violation);
  };
  const fees = claims.platformFeesCny;
  if (Array.isArray(fees)) {
    let total = Money.zero('CNY');
    fees.forEach((fee: unknown, i) => {
      const [field, value] = isObject(fee) ? [`${path}.platformFeesCny[${i}].amountCny`, fee.amountCny] : [`${path}.platformFeesCny[${i}]`, fee];
      const amount = amountOf(value, 'CNY');
      check(field, amount, AMOUNT_LIMITS.claimAmountCny);
      if (amount) total = total.add(amount);
    });
    // Fees each within their limit can still add up past the limit of the fees together (a fee above
    // its own limit is refused for that already).
    if (over.length === 0) {
      const violation = amountOverLimit(`${path}.platformFeesCny`, total, AMOUNT_LIMITS.claimFeesTotalCny, 'the fees together come to');
      if (violation) over.push(violation);
    }
  }
  check(`${path}.investmentCny`, amountOf(claims.investmentCny, 'CNY'), AMOUNT_LIMITS.claimAmountCny);
  const stated = claims.statedCustoms;
  if (Array.isArray(stated)) {
    stated.forEach((figures: unknown, i) => {
      if (!isObject(figures)) return;
      for (const key of CUSTOMS_FIGURES) check(`${path}.statedCustoms[${i}].${key}`, amountOf(figures[key], 'USD'), AMOUNT_LIMITS.customsFigureUsd);
    });
  }
  return over;
}
