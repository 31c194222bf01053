/**
 * Every size the HTTP API accepts, in one place: the DTOs' validation and OpenAPI, the JSON body parser's
 * walk (json-shape.ts), the list reads and the event feed read them from here. docs/limits.md ("## Sizes")
 * lists each with its refusal. A limit bounds what one request can make the server hold, parse, store in
 * the immutable log and send back on every later read of a case.
 */

/**
 * A JSON command's body, counted after any Content-Encoding is inflated. The largest valid command (a
 * submission with every array at its maximum item count and every text at its longest) is about 0.5 MB;
 * the rest is room for pretty-printed JSON, while one parse stays in the low milliseconds.
 */
export const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Objects and arrays nested in a JSON body. The deepest valid command is 4 levels deep (body -> claims ->
 * platformFeesCny -> one fee); 16 leaves room while every recursive walker after the parser
 * (class-transformer, the validation pipe, the idempotency fingerprint) stays far from the stack's end.
 */
export const MAX_JSON_DEPTH = 16;

/**
 * Keys of one JSON object. The widest DTO has 11 fields; each unknown key becomes one entry of the 400's
 * `errors`, so a body of thousands of keys would make a refusal as large as the request.
 */
export const MAX_JSON_KEYS = 64;

/** Characters of one key of a JSON object: the longest field name is 27 characters. */
export const MAX_JSON_KEY_LENGTH = 64;

/**
 * Items of any one JSON array, whatever its field: the largest list a command takes (MAX_LIST_ITEMS).
 * Checked while parsing, before the DTOs, so that no array larger than any DTO accepts is ever copied.
 */
export const MAX_JSON_ARRAY_ITEMS = 1000;

/**
 * Characters of any one JSON string, whatever its field: the longest text a command takes (MAX_TEXT_LENGTH).
 * Field limits below are tighter; this one also bounds fields the DTOs refuse by name (an unknown field is
 * echoed in its refusal).
 */
export const MAX_JSON_STRING_LENGTH = 4000;

/**
 * A free text written by a person and shown to the others on the case: a return's or a rejection's
 * reason, a review comment, the reason for a lower award. About two pages of Chinese text.
 */
export const MAX_TEXT_LENGTH = 4000;

/**
 * A reference or a name: a payment, invoice or award reference, a provincial document number, an
 * enterprise's registered name. Chinese registered names stay under 50 characters, document numbers under
 * 40; 200 leaves room for any format a bank or a department uses.
 */
export const MAX_REF_LENGTH = 200;

/** A program as sent: `P2a` or its long name (the longest, `platform-recruitment-reward`, has 27 characters). */
export const MAX_PROGRAM_LENGTH = 64;

/**
 * Items of a list a claim carries: platform fees (P2a), enterprises served (P3a), recruits (P3b). A
 * daily invoice from each of two platforms over a leap year is 732 fees; 1000 leaves room while a case
 * read stays around 100 KB (40,000 fees made it 7.3 MB, sent again on every read of the case).
 */
export const MAX_LIST_ITEMS = 1000;

/**
 * Stated customs figures of a claim: one per year the programs look at (the award year and the one
 * before it); 10 leaves room for an applicant stating more years than the decision reads.
 */
export const MAX_STATED_CUSTOMS = 10;

/**
 * Rows of one customs file (POST /customs-statistics), counted as it is read: the first row past it stops
 * the reading and refuses the file (413 `too-many-customs-rows`), nothing stored. The 50 MB body limit
 * bounds bytes, not rows: 50 MB of minimal rows is 1.4 million. Lu'an has about 100,000 enterprises; a
 * file covering every one of them over five years is 500,000 rows (customs statistics list only the few
 * thousand that trade across the border), above the 350,000 rows `npm run bench:import` imports. An import
 * holds about 0.3 KB per row until every year of the file is decided (docs/imports.md, "Memory").
 */
export const MAX_CUSTOMS_ROWS = 500_000;

/** Rows a list read answers at once (`limit` of `GET /applications`). */
export const MAX_PAGE_LIMIT = 500;

/** Items of an inbox read at once (`limit` of `GET /inbox`). */
export const MAX_INBOX_LIMIT = 1000;

/**
 * Rows a list read skips (`offset` of `GET /applications`). SQLite steps over every skipped row on the
 * event loop, so an offset is bounded; filtering by year, program or status reaches any case with a
 * smaller one. 100,000 is far more cases than the programs see in decades.
 */
export const MAX_PAGE_OFFSET = 100_000;

/** Records of the read log answered at once (`limit` of `GET /audit/reads`). */
export const MAX_AUDIT_READS_LIMIT = 100_000;

/**
 * Event feed streams (`GET /events/stream`) one user holds open at once, per server process. Each is a
 * store subscription of its own; a user with the feed open in a few tabs needs a handful, and browsers
 * open at most 6 connections to one host over HTTP/1.1.
 */
export const MAX_FEED_STREAMS_PER_USER = 4;

/** Options of a class-validator size rule: its refusal's entry names the limit (flattenValidationErrors). */
export function namingLimit(limit: number): { context: { limit: number } } {
  return { context: { limit } };
}
