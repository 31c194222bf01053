import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { promisify, TextDecoder } from 'node:util';
import { brotliDecompress, gunzip, inflate, type ZlibOptions } from 'node:zlib';
import { assertJsonShape, markIfFreeOfProtoKeys, MAX_JSON_BODY_BYTES, UnreadBody } from '@cbec/platform';

export const JSON_BODY_LIMIT = MAX_JSON_BODY_BYTES;
export const CSV_BODY_LIMIT = 50 * 1024 * 1024;
const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The request bodies the API reads, read as body-parser reads them, so that clients get the answers
 * docs/api.md states (and an `Idempotency-Key` fingerprint of the same body stays the same):
 * - `application/json`, at most 2 MB: an object or an array (a bare scalar is a 400), an empty body is `{}`,
 *   a charset other than UTF-* is a 415;
 * - `text/csv` and the .xlsx media type (the customs import), at most 50 MB, as bytes (a Buffer): the
 *   import decodes them itself (docs/imports.md: UTF-8 with or without BOM, GB18030/GBK by the charset
 *   parameter or detection; a body that does not decode is refused with the line, never stored garbled);
 * - a gzip, deflate or br `Content-Encoding` is inflated first, the limit counting the inflated bytes;
 * - a JSON body must be valid UTF-8 (or UTF-16): bytes that decode to no character are a 400, never
 *   stored as U+FFFD; its value is checked against the size limits in one walk (json-shape.ts);
 * - any other media type, or a body without a Content-Type, is not read: the body is an UnreadBody, which
 *   the validation pipe answers for a JSON command with a 415 naming the media type to send (the customs
 *   import answers its own 415). An empty body (Content-Length: 0) of any type is no body.
 * Fastify's own parsers (JSON, text/plain) are removed: they answer differently (an empty JSON body is a
 * 400 there, text/plain would be read).
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: JSON_BODY_LIMIT }, async (request: FastifyRequest, raw: Buffer) =>
    parseJson(await bodyText(request, raw, JSON_BODY_LIMIT, (charset) => charset.startsWith('utf-'), true)),
  );
  for (const mediaType of ['text/csv', XLSX_MEDIA_TYPE]) {
    fastify.addContentTypeParser(mediaType, { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT }, async (request: FastifyRequest, raw: Buffer) =>
      inflated(request.headers['content-encoding'], raw, CSV_BODY_LIMIT),
    );
  }
  fastify.addContentTypeParser('*', (request, _payload, done) =>
    done(null, request.headers['content-length'] === '0' ? undefined : new UnreadBody(request.headers['content-type'])),
  );
}

const INFLATE: Record<string, (buffer: Buffer, options: ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify<Buffer, ZlibOptions, Buffer>(gunzip),
  deflate: promisify<Buffer, ZlibOptions, Buffer>(inflate),
  br: promisify<Buffer, ZlibOptions, Buffer>(brotliDecompress),
};

async function bodyText(request: FastifyRequest, raw: Buffer, limit: number, charsetAllowed: (charset: string) => boolean, fatal = false): Promise<string> {
  const charset = charsetOf(request.headers['content-type']) ?? 'utf-8';
  let decoder: TextDecoder | undefined;
  try {
    if (charsetAllowed(charset)) decoder = new TextDecoder(charset, { fatal });
  } catch {
    // not a charset TextDecoder knows: refused below, like one the media type does not allow
  }
  if (!decoder) throw new UnsupportedMediaTypeException(`unsupported charset "${charset.toUpperCase()}"`);
  const bytes = await inflated(request.headers['content-encoding'], raw, limit);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new BadRequestException(`the body is not valid ${charset.toUpperCase()}: some bytes encode no character`);
  }
}

function charsetOf(contentType: string | undefined): string | undefined {
  return contentType === undefined ? undefined : /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1].toLowerCase();
}

async function inflated(header: string | string[] | undefined, raw: Buffer, limit: number): Promise<Buffer> {
  const encoding = String(header ?? 'identity').toLowerCase();
  if (encoding === 'identity') return raw;
  const inflate = INFLATE[encoding];
  if (!inflate) throw new UnsupportedMediaTypeException(`unsupported content encoding "${encoding}"`);
  try {
    return await inflate(raw, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadTooLargeException('request entity too large');
    throw new BadRequestException(`the request body is not valid ${encoding} data: ${(error as Error).message}`);
  }
}

/**
 * JSON.parse in body-parser's strict mode, with its messages: `{}` for an empty body, and a bare scalar
 * refused with the message JSON.parse gives at its first character.
 */
export function parseJson(text: string): unknown {
  if (text.length === 0) return {};
  const first = /^[ \t\n\r]*([^ \t\n\r]|$)/.exec(text)?.[1] || undefined;
  if (first !== '{' && first !== '[') throw new BadRequestException(strictViolation(text, first));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadRequestException((error as Error).message);
  }
  assertJsonShape(value, text);
  // The validation pipe need not look for __proto__ keys in what the text shows has none.
  markIfFreeOfProtoKeys(value, text);
  return value;
}

function strictViolation(text: string, first: string | undefined): string {
  const at = first === undefined ? -1 : text.indexOf(first);
  try {
    JSON.parse(at === -1 ? '' : text.slice(0, at) + '#'.repeat(text.length - at));
  } catch (error) {
    return (error as Error).message.replace(/#+/g, (placeholder) => text.slice(at, at + placeholder.length));
  }
  return 'the request body must be a JSON object or array';
}
