import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { type EventStore, SqliteEventStore, workerScript } from '@cbec/event-store';
import { AggregateStore, CommandContext, toProblem, EVENT_STORE } from '@cbec/platform';
import { RecheckFinder } from '../recheck-award/recheck-finder';
import { CustomsFile } from './customs-file';
import { ImportCustomsStatsAnswer, ImportProgress, ImportRefused, runCustomsImport } from './customs-import.job';
import type { CustomsImportThreadData, CustomsImportToMain } from './customs-import.worker';

/** What GET /customs-statistics/imports/{id} answers (docs/imports.md). */
export interface CustomsImportStatus extends ImportProgress {
  id: string;
  /** Bytes of the file as sent. */
  bytes: number;
  startedAt: string;
  finishedAt: string | null;
  /** The 201 body of POST /customs-statistics, once stored. */
  answer: ImportCustomsStatsAnswer | null;
  /** The problem (problem+json body) the import was refused with, e.g. the 422 listing every bad row. */
  problem: Record<string, unknown> | null;
}

export interface CustomsImportJob {
  id: string;
  done: Promise<ImportCustomsStatsAnswer>;
}

/**
 * Files from this size run in a thread of their own (about 7,000 rows of CSV); smaller ones run on the
 * event loop in slices of 2,000 rows, which costs less than starting a thread. Either way other requests
 * keep being answered while an import runs.
 */
export const IMPORT_THREAD_FROM_BYTES = 1024 * 1024;
/** Finished imports stay readable this long, and at most this many. */
const KEPT_MS = 60 * 60 * 1000;
const KEPT = 200;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The customs imports of this process, in flight and recently finished (kept in memory: a restart
 * forgets them, and in cluster mode each worker process knows its own). An import never half-stores:
 * runCustomsImport decides every year before it appends any.
 */
@Injectable()
export class CustomsImports {
  private readonly jobs = new Map<string, CustomsImportStatus>();
  private readonly logger = new Logger('CustomsImports');

  constructor(
    private readonly aggregates: AggregateStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    /** 复核: decided awards whose figures the import revised are flagged before the import answers. */
    @Optional() private readonly rechecks?: RecheckFinder,
  ) {}

  status(id: string): CustomsImportStatus | undefined {
    const job = this.jobs.get(id);
    return job && { ...job };
  }

  start(file: CustomsFile, ctx: CommandContext): CustomsImportJob {
    this.forgetOld();
    const id = randomUUID();
    const bytes = typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.length;
    const status: CustomsImportStatus = {
      id,
      state: 'checking',
      rowsChecked: 0,
      rowsStored: 0,
      bytes,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      answer: null,
      problem: null,
    };
    this.jobs.set(id, status);
    const progress = (p: ImportProgress): void => void Object.assign(status, p);
    const threaded = this.store instanceof SqliteEventStore && typeof file.content !== 'string' && bytes >= IMPORT_THREAD_FROM_BYTES;
    const run = threaded
      ? this.inThread((this.store as SqliteEventStore).file, file, ctx, progress)
      : runCustomsImport(file, ctx, this.aggregates, { progress, pause: nextTurn });
    const done = run
      .then(async (answer) => {
        await this.flagRechecks(answer, ctx);
        return answer;
      })
      .then(
        (answer) => {
          Object.assign(status, { state: 'done', answer, finishedAt: new Date().toISOString() });
          return answer;
        },
        (error: unknown) => {
          const problem = toProblem(error);
          Object.assign(status, { state: problem.status >= 500 ? 'failed' : 'refused', problem, finishedAt: new Date().toISOString() });
          throw error;
        },
      );
    // Whoever started it may not wait (202): the outcome is in the status either way.
    done.catch(() => undefined);
    return { id, done };
  }

  /**
   * The answer's `position` then covers the flags too (a read with `?minPosition=` sees them). A failure to flag is
   * logged, never turns a stored import into a refusal.
   */
  private async flagRechecks(answer: ImportCustomsStatsAnswer, ctx: CommandContext): Promise<ImportCustomsStatsAnswer> {
    if (!this.rechecks) return answer;
    try {
      const { position } = await this.rechecks.afterImport(answer, ctx);
      return position > answer.position ? { ...answer, position } : answer;
    } catch (error) {
      this.logger.error(`customs batch ${answer.batchId}: the recheck (复核) of decided awards failed: ${(error as Error).message}`);
      return answer;
    }
  }

  private inThread(eventsFile: string, file: CustomsFile, ctx: CommandContext, progress: (p: ImportProgress) => void): Promise<ImportCustomsStatsAnswer> {
    const { filename, execArgv } = workerScript(__filename, __dirname, 'customs-import.worker');
    const content = file.content as Buffer;
    const data: CustomsImportThreadData = { eventsFile, content, contentType: file.contentType, ctx: { ...ctx, now: ctx.now.toISOString() } };
    return new Promise((resolve, reject) => {
      let settled = false;
      // The default young generation: an import makes little garbage per row (its rows compact, its events
      // a chunk at a time), and a larger one (192 MB) measured as fast in-process on 350,000 rows, with a
      // peak RSS 220 MB higher.
      const worker = new Worker(filename, { workerData: data, execArgv });
      worker.on('message', (message: CustomsImportToMain) => {
        if ('progress' in message) return progress(message.progress);
        settled = true;
        if ('answer' in message) resolve(message.answer);
        else if ('refusal' in message) reject(new ImportRefused(message.refusal));
        else {
          this.logger.error(`customs import thread failed: ${message.failure}`);
          reject(new Error('the customs import failed'));
        }
      });
      worker.on('error', (error) => {
        this.logger.error(`customs import thread died: ${error.stack ?? error.message}`);
        if (!settled) reject(error);
        settled = true;
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new Error(`the customs import thread exited (${code}) without an answer`));
      });
    });
  }

  private forgetOld(): void {
    const before = Date.now() - KEPT_MS;
    for (const [id, job] of this.jobs) {
      if (job.finishedAt !== null && (Date.parse(job.finishedAt) < before || this.jobs.size > KEPT)) this.jobs.delete(id);
    }
  }
}
