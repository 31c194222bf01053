import type { Actor } from '@cbec/event-store';
import type { ReadRecord } from '../reads/read-log';

/** Which case or stream a GET path reads: `/applications/{id}...`, `/audit/applications/{id}/...`, `/audit/streams/{id}/...`. */
export function readTarget(path: string): { applicationId: string | null; streamId: string | null } {
  const app = /\/applications\/([^/?#]+)/.exec(path);
  const stream = /\/audit\/streams\/([^/?#]+)/.exec(path);
  const streamId = stream ? decodeURIComponent(stream[1]) : null;
  const applicationId = app ? decodeURIComponent(app[1]) : streamId?.startsWith('application-') ? streamId.slice('application-'.length) : null;
  return { applicationId, streamId };
}

/** The GET endpoints whose reads are recorded (Cybersecurity Law art. 21): cases and the audit tools. */
export function isRecordedRead(method: string, path: string): boolean {
  return method === 'GET' && /^(\/api\/v1)?\/(applications|audit)(\/|$)/.test(path);
}

/** The record of one read by `actor` of `path` (query string already cut off), answered with `status`. */
export function readRecordOf(at: Date, actor: Actor, method: string, path: string, status: number): ReadRecord {
  return { at: at.toISOString(), user: actor.user, unit: actor.unit, role: actor.role, method, path, ...readTarget(path), status };
}
