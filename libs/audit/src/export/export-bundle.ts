import type { AwardApproved, Locale } from '@cbec/domain';
import { canonicalJson, sha256Hex, type EventStore } from '@cbec/event-store';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditContext } from '../audit-context';
import { approvalText } from '../explanation/approval-text';
import { AuditBadInput, AuditNotFound } from '../shared/history-entry';
import { BUNDLE_FILES, BUNDLE_FORMAT, type BundleEvent, type BundleManifest, type BundleTree } from './bundle-format';
import { leafOf, leafSourceFor } from '../integrity/tree/leaf-source';
import { PackedLeaves } from '../integrity/tree/merkle';
import { recordedRotations } from '../integrity/tree/key-rotation';
import { fileSha256 } from './read-lines';

export { fileSha256 };

export type ExportScope = { kind: 'application'; id: string } | { kind: 'beneficiary'; uscc: string } | { kind: 'year'; year: number } | { kind: 'all' };

export function parseScope(text: unknown): ExportScope {
  const t = typeof text === 'string' ? text.trim() : '';
  if (t === 'all') return { kind: 'all' };
  const m = /^(application|beneficiary|year):(.+)$/.exec(t);
  if (m) {
    const [, kind, value] = m;
    if (kind === 'application' && /^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(value)) return { kind, id: value.replace(/^application-/, '') };
    if (kind === 'beneficiary' && /^[0-9A-Z]{18}$/.test(value)) return { kind, uscc: value };
    if (kind === 'year' && /^\d{4}$/.test(value)) return { kind, year: Number(value) };
  }
  throw new AuditBadInput('scope', `must be application:<id>, beneficiary:<18-character USCC>, year:<YYYY> or all, got ${JSON.stringify(text)}`);
}

export function scopeText(scope: ExportScope): string {
  switch (scope.kind) {
    case 'application':
      return `application:${scope.id}`;
    case 'beneficiary':
      return `beneficiary:${scope.uscc}`;
    case 'year':
      return `year:${scope.year}`;
    default:
      return 'all';
  }
}

interface CaseFacts {
  streamId: string;
  uscc: string | null;
  year: number | null;
  funds: Set<string>;
  customsEventIds: string[];
}

/** The streams a scope covers, always whole (from version 0), so their chains verify on their own. */
async function streamsOf(store: EventStore, scope: ExportScope): Promise<Set<string> | 'all'> {
  if (scope.kind === 'all') return 'all';
  const cases = new Map<string, CaseFacts>();
  for await (const e of store.readAll({
    filter: { streamPrefixes: ['application-'], eventTypes: ['ApplicationSubmitted', 'AwardApproved', 'AwardDisbursed'] },
  })) {
    const d = e.data as Record<string, unknown>;
    let c = cases.get(e.streamId);
    if (!c) cases.set(e.streamId, (c = { streamId: e.streamId, uscc: null, year: null, funds: new Set(), customsEventIds: [] }));
    if (e.type === 'ApplicationSubmitted') {
      c.uscc = ((d.beneficiary as { uscc?: string } | undefined)?.uscc ?? null) as string | null;
      c.year = (d.year as number) ?? null;
    }
    if (e.type === 'AwardApproved') {
      c.funds.add(`fund-${d.year as number}`);
      c.customsEventIds.push(...((d.customsEventIds as string[] | undefined) ?? []));
    }
  }
  const streams = new Set<string>();
  const addCase = (c: CaseFacts): void => {
    streams.add(c.streamId);
    if (c.uscc) streams.add(`beneficiary-${c.uscc}`);
    c.funds.forEach((f) => streams.add(f));
  };
  let customsIds: string[] = [];
  if (scope.kind === 'application') {
    const c = cases.get(`application-${scope.id}`);
    if (!c) throw new AuditNotFound(`case ${scope.id} does not exist`);
    addCase(c);
    customsIds = c.customsEventIds;
  } else if (scope.kind === 'beneficiary') {
    streams.add(`beneficiary-${scope.uscc}`);
    for (const c of cases.values())
      if (c.uscc === scope.uscc) {
        addCase(c);
        customsIds.push(...c.customsEventIds);
      }
  } else {
    streams.add(`fund-${scope.year}`);
    streams.add(`customs-${scope.year}`);
    for (const c of cases.values())
      if (c.year === scope.year) {
        addCase(c);
        customsIds.push(...c.customsEventIds);
      }
  }
  if (customsIds.length) {
    // The customs streams holding the records a decision used, so the explanation verifies offline too.
    const wanted = new Set(customsIds);
    for await (const e of store.readAll({ filter: { streamPrefixes: ['customs-'] } })) if (wanted.has(e.eventId)) streams.add(e.streamId);
  }
  return streams;
}

export interface ExportResult {
  folder: string;
  scope: string;
  eventCount: number;
  streams: number;
  headPosition: number;
  files: BundleManifest['files'];
}

/**
 * Writes an audit bundle into `folder` (created; must be empty): the scope's whole streams as JSON Lines,
 * the line hashes, every digest, the public key and a signed manifest with the SHA-256 of each file.
 * A digest of the current heads is signed first, so the bundle's streams are covered by a signature.
 * `explanations.txt` renders each approved award for people in `locale` (docs/chinese.md).
 */
export async function exportBundle(ctx: AuditContext, scope: ExportScope, folder: string, locale: Locale = 'zh-CN'): Promise<ExportResult> {
  if (existsSync(folder) && readdirSync(folder).length > 0) throw new AuditBadInput('folder', `${folder} is not empty`);
  mkdirSync(folder, { recursive: true });
  await ctx.digestNow();
  // The bundle is cut at a signed tree head (refused for a log that does not extend the published ones);
  // its leaves go with it, so that the bundled events are shown to be in that tree and the tree to extend
  // any head an auditor holds, without the database.
  const { head } = await ctx.signTreeHeadNow();
  const tree = await treeLeaves(ctx, head?.treeSize ?? 0);
  const headPosition = tree.lastPosition;
  const leafIndex: Record<string, number> = {};
  const wanted = await streamsOf(ctx.store, scope);
  const streams: BundleManifest['streams'] = {};
  const eventsFd = openSync(join(folder, BUNDLE_FILES.events), 'w');
  const linesFd = openSync(join(folder, BUNDLE_FILES.lineHashes), 'w');
  let count = 0;
  const explanations: string[] = [];
  try {
    let buffer = '';
    let hashes = '';
    for await (const e of ctx.store.readAll({ upcast: false, toPosition: headPosition })) {
      if (wanted !== 'all' && !wanted.has(e.streamId)) continue;
      const record: BundleEvent = {
        globalPosition: e.globalPosition,
        streamId: e.streamId,
        version: e.version,
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata as unknown as Record<string, unknown>,
        recordedAt: e.recordedAt,
        prevHash: e.prevHash,
        hash: e.hash,
      };
      if (e.type === 'AwardApproved') explanations.push(...approvalText(e.data as AwardApproved['data'], e.metadata.occurredAt, locale), '');
      const index = tree.indexOf.get(e.globalPosition);
      if (index !== undefined) leafIndex[String(e.globalPosition)] = index;
      const line = canonicalJson(record);
      buffer += line + '\n';
      hashes += sha256Hex(line) + '\n';
      const s = (streams[e.streamId] ??= { events: 0, lastVersion: -1, lastHash: '' });
      s.events++;
      s.lastVersion = e.version;
      s.lastHash = e.hash;
      count++;
      if (buffer.length > 1 << 20) {
        writeSync(eventsFd, buffer);
        writeSync(linesFd, hashes);
        buffer = '';
        hashes = '';
      }
    }
    writeSync(eventsFd, buffer);
    writeSync(linesFd, hashes);
  } finally {
    closeSync(eventsFd);
    closeSync(linesFd);
  }
  writeFileSync(join(folder, BUNDLE_FILES.digests), (await ctx.digests().all()).map((d) => canonicalJson(d) + '\n').join(''));
  writeFileSync(join(folder, BUNDLE_FILES.publicKey), ctx.signingKey().publicKeyPem());
  writeFileSync(join(folder, BUNDLE_FILES.keyRotations), JSON.stringify(await recordedRotations(ctx.store), null, 2) + '\n');
  writeFileSync(join(folder, BUNDLE_FILES.explanations), explanations.join('\n'));
  const names: string[] = [
    BUNDLE_FILES.events,
    BUNDLE_FILES.lineHashes,
    BUNDLE_FILES.digests,
    BUNDLE_FILES.publicKey,
    BUNDLE_FILES.keyRotations,
    BUNDLE_FILES.explanations,
  ];
  if (head) {
    const bundleTree: BundleTree = { head, leafIndex };
    writeFileSync(join(folder, BUNDLE_FILES.tree), JSON.stringify(bundleTree) + '\n');
    writeFileSync(join(folder, BUNDLE_FILES.treeLeaves), tree.leaves.bytes());
    names.push(BUNDLE_FILES.tree, BUNDLE_FILES.treeLeaves);
  }
  const files: BundleManifest['files'] = {};
  for (const name of names) {
    files[name] = { sha256: fileSha256(join(folder, name)), bytes: statSync(join(folder, name)).size };
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    scope: scopeText(scope),
    createdAt: ctx.now().toISOString(),
    headPosition,
    eventCount: count,
    streams,
    files,
  };
  const manifestText = JSON.stringify(manifest, null, 2) + '\n';
  writeFileSync(join(folder, BUNDLE_FILES.manifest), manifestText);
  writeFileSync(join(folder, BUNDLE_FILES.manifestSignature), ctx.signingKey().sign(manifestText) + '\n');
  return { folder, scope: manifest.scope, eventCount: count, streams: Object.keys(streams).length, headPosition, files };
}

/** The first `size` leaves of the log's tree, with the global position of each. */
async function treeLeaves(ctx: AuditContext, size: number): Promise<{ leaves: PackedLeaves; indexOf: Map<number, number>; lastPosition: number }> {
  const leaves = new PackedLeaves();
  const indexOf = new Map<number, number>();
  let lastPosition = 0;
  const source = leafSourceFor(ctx.store);
  try {
    for await (const f of source.read(0)) {
      if (leaves.size >= size) break;
      indexOf.set(f.globalPosition, leaves.size);
      leaves.push(leafOf(f));
      lastPosition = f.globalPosition;
    }
  } finally {
    source.close();
  }
  return { leaves, indexOf, lastPosition };
}
