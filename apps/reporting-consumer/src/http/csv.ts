/** The reports' CSV: the one writer of the system (formula cells neutralised, RFC 4180; see @cbec/domain's csv.ts). */
export { toCsv } from '@cbec/domain';
