import {
  AuditBadInput,
  AuditContext,
  auditPlacesFromEnv,
  backupDataFolder,
  BackupRefused,
  dataDirFromEnv,
  openStoreLikeTheServer,
  readTrustedHead,
  restoreDataFolder,
  TreeHeadFileError,
} from '@cbec/audit';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliUsageError, parseFlags, type CliCommand } from '../cli';
import { requireServerDataDir } from '../server-data-dir';

/**
 * `backup <folder>`: a consistent online copy of every store of CBEC_DATA_DIR while the server runs
 * (SQLite's online backup), with a signed manifest and the tree head it reached (docs/operations.md).
 */
export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'backup <folder>',
  async run(args, io) {
    const { flags, positional } = parseFlags(args);
    for (const f of Object.keys(flags)) throw new CliUsageError(`backup: unknown option --${f}`);
    if (positional.length !== 1)
      throw new CliUsageError(`backup needs one folder (empty or absent); got ${positional.length ? positional.join(' ') : 'nothing'}`);
    if (io.env.EVENTSTORE_CONNECTION_STRING?.trim())
      throw new CliUsageError('backup copies the SQLite stores; with EventStoreDB back the log up with its own tools');
    if (io.env.DATABASE_URL?.trim())
      throw new CliUsageError(
        "backup copies the SQLite stores; with DATABASE_URL back the log up with PostgreSQL's own tools (pg_dump, or base backups with WAL archiving: docs/operations.md)",
      );
    const dataDir = dataDirFromEnv(io.env, io.cwd);
    requireServerDataDir(dataDir, io.env);
    const store = await openStoreLikeTheServer(dataDir, io.env);
    const ctx = new AuditContext(store, dataDir, () => new Date(), undefined, auditPlacesFromEnv(io.env, io.cwd));
    try {
      const done = await backupDataFolder(ctx, resolve(io.cwd, positional[0]));
      io.out({ ok: true, folder: done.target, files: done.manifest.files, treeHead: done.manifest.treeHead, rebuiltFromLog: done.manifest.rebuiltFromLog });
      return 0;
    } catch (e) {
      if (e instanceof AuditBadInput) throw new CliUsageError(e.message);
      if (e instanceof BackupRefused) {
        io.err({ error: e.message, code: e.code });
        return 1;
      }
      throw e;
    } finally {
      ctx.close();
      await store.close();
    }
  },
};

/**
 * `restore <backup-folder> [--public-key <pem>] [--trusted-head <file>]`: into CBEC_DATA_DIR, which must be
 * a fresh folder; refuses a backup whose log does not verify against its own head or the trusted one.
 */
export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: 'restore <backup-folder> [--public-key <pem>] [--trusted-head <file>]',
  async run(args, io) {
    const { flags, positional } = parseFlags(args);
    for (const f of Object.keys(flags)) if (!['public-key', 'trusted-head'].includes(f)) throw new CliUsageError(`restore: unknown option --${f}`);
    if (positional.length !== 1) throw new CliUsageError(`restore needs one backup folder; got ${positional.length ? positional.join(' ') : 'nothing'}`);
    const backup = resolve(io.cwd, positional[0]);
    if (!existsSync(backup)) throw new CliUsageError(`no backup folder at ${backup}`);
    let publicKeyPem: string | undefined;
    if (flags['public-key'] !== undefined) {
      const file = resolve(io.cwd, flags['public-key']);
      if (!existsSync(file)) throw new CliUsageError(`--public-key: no file at ${file}`);
      publicKeyPem = readFileSync(file, 'utf8');
    }
    let trustedHead;
    if (flags['trusted-head'] !== undefined) {
      try {
        trustedHead = readTrustedHead(resolve(io.cwd, flags['trusted-head']));
      } catch (e) {
        if (e instanceof TreeHeadFileError) throw new CliUsageError(`--trusted-head: ${e.message}`);
        throw e;
      }
    }
    try {
      const report = await restoreDataFolder(backup, dataDirFromEnv(io.env, io.cwd), { publicKeyPem, trustedHead });
      io.out(report);
      return report.ok ? 0 : 1;
    } catch (e) {
      if (e instanceof AuditBadInput) throw new CliUsageError(e.message);
      throw e;
    }
  },
};
