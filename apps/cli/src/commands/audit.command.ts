import {
  approvalView,
  AuditBadInput,
  AuditContext,
  AuditNotFound,
  causalChain,
  dataDirFromEnv,
  DEFAULT_DIGEST_EVERY,
  explainCase,
  exportBundle,
  openStoreLikeTheServer,
  CAN_USE_REPLAY_WORKERS,
  replayLog,
  replayEvents,
  parseAt,
  parseScope,
  replayCheck,
  RetentionViolation,
  streamAsOf,
  streamHistory,
  verifyBundle,
  auditPlacesFromEnv,
  readTrustedHead,
  rotateSigningKey,
  signingKeyRefusal,
  TreeHeadFileError,
  TreeHeadRefused,
  type SignedTreeHead,
} from '@cbec/audit';
import { PostgresEventStore } from '@cbec/event-store';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliExit, CliIo, CliUsageError, parseFlags, type CliCommand } from '../cli';
import { localeFlag } from '../locale-flag';
import { requireServerDataDir } from '../server-data-dir';

const USAGE = [
  'audit verify [--public-key <pem>] [--trusted-head <file>]',
  'audit tree-head',
  'audit inclusion <globalPosition> [--tree-size <n>]',
  'audit history <streamId>',
  'audit causal-chain <applicationId>',
  'audit as-of <streamId> <time-or-position>',
  'audit as-approved <applicationId>',
  'audit explain <applicationId> [--lang zh-CN|en]',
  'audit export <application:<id>|beneficiary:<uscc>|year:<Y>|all> <folder> [--lang zh-CN|en]',
  'audit verify-bundle <folder> [--public-key <pem>] [--trusted-head <file>]',
  'audit replay-check',
  'audit replay',
  'audit public-key',
  'audit digest',
  'audit rotate-key <new-key-file>',
  'audit reads [--application <id>] [--user <u>] [--from <iso>] [--to <iso>] [--limit <n>]',
  'audit purge-reads <before-iso-date>',
  'audit security-log [--user <u>] [--ip <address>] [--status <code>] [--from <iso>] [--to <iso>] [--limit <n>]',
];

/**
 * The auditors' tools (issue 6), reading CBEC_DATA_DIR like the server; every answer is JSON. Exit 0 ok,
 * 1 a finding (a break, a difference, nothing found), 2 bad input.
 */
export const auditCommand: CliCommand = {
  name: 'audit',
  usage: USAGE.join(' | '),
  async run(args, io) {
    const { flags, positional } = parseFlags(args);
    const [sub, ...rest] = positional;
    const dataDir = dataDirFromEnv(io.env, io.cwd);
    const need = (n: number, what: string): string[] => {
      if (rest.length !== n) throw new CliUsageError(`audit ${sub} needs ${what}; got ${rest.length ? rest.join(' ') : 'nothing'}`);
      return rest;
    };
    const readKey = (): { pem?: string; source?: string } => {
      if (flags['public-key'] === undefined) return {};
      const file = resolve(io.cwd, flags['public-key']);
      if (!existsSync(file)) throw new CliUsageError(`--public-key: no file at ${file}`);
      return { pem: readFileSync(file, 'utf8'), source: file };
    };
    const readTrusted = (): SignedTreeHead | undefined => {
      if (flags['trusted-head'] === undefined) return undefined;
      try {
        return readTrustedHead(resolve(io.cwd, flags['trusted-head']));
      } catch (e) {
        if (e instanceof TreeHeadFileError) throw new CliUsageError(`--trusted-head: ${e.message}`);
        throw e;
      }
    };
    const allowed: Record<string, string[]> = {
      verify: ['public-key', 'trusted-head'],
      'verify-bundle': ['public-key', 'trusted-head'],
      inclusion: ['tree-size'],
      reads: ['application', 'user', 'from', 'to', 'limit'],
      'security-log': ['user', 'ip', 'status', 'from', 'to', 'limit'],
      explain: ['lang'],
      export: ['lang'],
    };
    for (const f of Object.keys(flags)) {
      if (!(allowed[sub] ?? []).includes(f)) throw new CliUsageError(`audit ${sub ?? ''}: unknown option --${f}`);
    }

    // verify-bundle works on a folder alone: no data dir, no database.
    if (sub === 'verify-bundle') {
      const [folder] = need(1, 'a bundle folder');
      const key = readKey();
      const dir = resolve(io.cwd, folder);
      if (!existsSync(dir)) throw new CliUsageError(`no bundle folder at ${dir}`);
      const report = verifyBundle(dir, key.pem, key.source, readTrusted());
      io.out(report);
      return report.ok ? 0 : 1;
    }
    if (!sub || !USAGE.some((u) => u.startsWith(`audit ${sub} `) || u === `audit ${sub}`)) {
      throw new CliUsageError(`audit: unknown subcommand ${JSON.stringify(sub ?? null)}; one of: ${USAGE.join(' | ')}`);
    }

    requireServerDataDir(dataDir, io.env);
    const every = io.env.CBEC_AUDIT_DIGEST_EVERY ? Number(io.env.CBEC_AUDIT_DIGEST_EVERY) : DEFAULT_DIGEST_EVERY;
    const store = await openStoreLikeTheServer(dataDir, io.env);
    const ctx = new AuditContext(store, dataDir, () => new Date(), every, auditPlacesFromEnv(io.env, io.cwd));
    try {
      return await runSub(sub, rest, flags, ctx, dataDir, io, need, readKey, readTrusted);
    } catch (e) {
      if (e instanceof AuditBadInput) throw new CliUsageError(e.message);
      if (e instanceof AuditNotFound || e instanceof RetentionViolation || e instanceof TreeHeadRefused) {
        io.err({ error: e.message, code: e.code });
        return 1;
      }
      throw e;
    } finally {
      await ctx.close();
      await store.close();
    }
  },
};

async function runSub(
  sub: string,
  rest: string[],
  flags: Record<string, string>,
  ctx: AuditContext,
  dataDir: string,
  io: CliIo,
  need: (n: number, what: string) => string[],
  readKey: () => { pem?: string; source?: string },
  readTrusted: () => SignedTreeHead | undefined,
): Promise<CliExit> {
  switch (sub) {
    case 'verify': {
      need(0, 'no arguments');
      const key = readKey();
      const trusted = readTrusted();
      const report = await ctx.verify(key.pem, key.source, 'parallel', trusted);
      io.out(report);
      return report.ok ? 0 : 1;
    }
    case 'tree-head': {
      need(0, 'no arguments');
      const head = await ctx.latestTreeHead();
      if (!head) {
        io.err({ error: 'no tree head has been signed yet (the server signs one after its first commits; `audit digest` signs one now)', code: 'not-found' });
        return 1;
      }
      io.out(head);
      return 0;
    }
    case 'inclusion': {
      const [position] = need(1, 'a global position');
      const p = Number(position);
      if (!/^[0-9]+$/.test(position) || !Number.isSafeInteger(p) || p < 1)
        throw new CliUsageError(`inclusion: the global position must be a positive integer, got ${position}`);
      const size = flags['tree-size'] === undefined ? undefined : Number(flags['tree-size']);
      if (size !== undefined && (!Number.isSafeInteger(size) || size < 1))
        throw new CliUsageError(`--tree-size must be a positive integer, got ${flags['tree-size']}`);
      io.out(await ctx.inclusionProof(p, size));
      return 0;
    }
    case 'history': {
      const [streamId] = need(1, 'a stream id (e.g. application-<id>, fund-2019)');
      io.out(await streamHistory(ctx.store, streamId));
      return 0;
    }
    case 'causal-chain': {
      const [id] = need(1, 'an application id');
      io.out(await causalChain(ctx.store, id));
      return 0;
    }
    case 'as-of': {
      const [streamId, at] = need(2, 'a stream id and a time or global position');
      io.out(await streamAsOf(ctx.store, streamId, parseAt(at)));
      return 0;
    }
    case 'as-approved': {
      const [id] = need(1, 'an application id');
      io.out(await approvalView(ctx.store, id));
      return 0;
    }
    case 'explain': {
      const [id] = need(1, 'an application id');
      io.out(await explainCase(ctx.store, id, localeFlag(flags)));
      return 0;
    }
    case 'export': {
      const [scope, folder] = need(2, 'a scope (application:<id>, beneficiary:<uscc>, year:<Y>, all) and a folder');
      io.out(await exportBundle(ctx, parseScope(scope), resolve(io.cwd, folder), localeFlag(flags)));
      return 0;
    }
    case 'replay-check': {
      need(0, 'no arguments');
      const report = await replayCheck(ctx.store, join(dataDir, 'read-models.db'));
      io.out(report);
      return report.ok ? 0 : 1;
    }
    case 'replay': {
      need(0, 'no arguments');
      const file = (ctx.store as { file?: unknown }).file;
      // SQLite: the file's rows, in worker threads; PostgreSQL: the log through readAll, in this thread.
      // EventStoreDB is refused: its adapter has never run against a server here (docs/operations.md).
      if (typeof file !== 'string' && !(ctx.store instanceof PostgresEventStore))
        throw new CliUsageError('audit replay reads a SQLite or PostgreSQL log; with EventStoreDB use audit replay-check');
      const summary = typeof file === 'string' ? await replayLog(file, { workers: CAN_USE_REPLAY_WORKERS }) : await replayEvents(ctx.store);
      io.out(summary);
      return summary.failures.length === 0 ? 0 : 1;
    }
    case 'public-key': {
      need(0, 'no arguments');
      io.out({ algorithm: 'Ed25519', file: ctx.files.publicKey, publicKeyPem: ctx.signingKey().publicKeyPem() });
      return 0;
    }
    case 'digest': {
      need(0, 'no arguments');
      // On PostgreSQL every server signs into one chain: a key the stored heads do not lead to would break it for
      // good (the servers refuse alike, docs/operations.md). Exit 1: a refusal, not bad input.
      if (ctx.store instanceof PostgresEventStore) {
        const refused = await signingKeyRefusal(ctx);
        if (refused !== null) {
          io.err({ error: `audit digest: not signing: ${refused}`, code: 'tree-head-refused' });
          return 1;
        }
      }
      // The tree first: a log that does not extend the last published head gets no signature at all.
      const treeHead = await ctx.signTreeHeadNow();
      const written = await ctx.digestNow();
      const last = written ?? (await ctx.digests().last());
      io.out({ written: written !== null, digest: last, treeHead });
      return 0;
    }
    case 'rotate-key': {
      const [file] = need(1, 'a file for the new private key (must not exist; then point CBEC_AUDIT_KEY_FILE at it)');
      const target = resolve(io.cwd, file);
      if (existsSync(target)) throw new CliUsageError(`rotate-key: ${target} exists: the new key goes into a new file`);
      const rotation = await rotateSigningKey(ctx.store, ctx.signingKey(), target, { user: io.env.USER ?? 'cli' });
      io.out({ rotated: true, newKeyFile: target, ...rotation, next: 'set CBEC_AUDIT_KEY_FILE to the new file and restart the server' });
      return 0;
    }
    case 'reads': {
      need(0, 'no positional arguments');
      const limit = flags.limit === undefined ? undefined : Number(flags.limit);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new CliUsageError(`--limit must be a positive integer, got ${flags.limit}`);
      io.out({ reads: await ctx.reads().query({ applicationId: flags.application, user: flags.user, from: flags.from, to: flags.to, limit }) });
      return 0;
    }
    case 'security-log': {
      need(0, 'no positional arguments');
      const count = (name: string, min: number, max: number): number | undefined => {
        if (flags[name] === undefined) return undefined;
        const n = Number(flags[name]);
        if (!Number.isInteger(n) || n < min || n > max) throw new CliUsageError(`--${name} must be an integer from ${min} to ${max}, got ${flags[name]}`);
        return n;
      };
      for (const name of ['from', 'to']) {
        if (flags[name] !== undefined && Number.isNaN(Date.parse(flags[name]))) throw new CliUsageError(`--${name} must be an ISO time, got ${flags[name]}`);
      }
      const log = ctx.security();
      const refusals = await log.refusals({
        user: flags.user,
        ip: flags.ip,
        status: count('status', 400, 599),
        from: flags.from,
        to: flags.to,
        limit: count('limit', 1, Number.MAX_SAFE_INTEGER),
      });
      io.out({ refusals, integrity: await log.all() });
      return 0;
    }
    case 'purge-reads': {
      const [before] = need(1, 'a date: records older than it are deleted (never younger than 183 days)');
      const date = new Date(before);
      if (Number.isNaN(date.getTime())) throw new CliUsageError(`purge-reads: ${JSON.stringify(before)} is not a date`);
      io.out(await ctx.reads().purgeBefore(date, ctx.now()));
      return 0;
    }
    default:
      throw new CliUsageError(`audit: unknown subcommand ${sub}`);
  }
}
