/** A GB/T 2260 administrative-division code (county level): six digits, the first a region 1–8. */
export function isDivisionCode(text: unknown): text is string {
  return typeof text === 'string' && /^[1-8][0-9]{5}$/.test(text);
}
