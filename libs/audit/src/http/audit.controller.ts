import { applyDecorators, Controller, Get, Headers, Inject, Param, Query, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiDoes, ApiProblems, AUTH_PROBLEMS, BadRequest, MAX_AUDIT_READS_LIMIT, NotFound } from '@cbec/platform';
import { localeFromAcceptLanguage } from '@cbec/domain';
import JSZip from 'jszip';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditContext } from '../audit-context';
import { explainCase } from '../explanation/explanation.query';
import { causalChain } from '../history/causal-chain.query';
import { streamHistory } from '../history/stream-history.query';
import { replayCheck } from '../replay-check/replay-check.query';
import { exportBundle } from '../export/export-bundle';
import { AuditBadInput, AuditNotFound, requireApplicationId } from '../shared/history-entry';
import { approvalView } from '../time-travel/approval-view.query';
import { streamAsOf } from '../time-travel/as-of.query';
import { parseAt } from '../time-travel/at';
import { AuditorGuard } from './auditor.guard';
import { SecurityLogRecorder } from './security-log.recorder';
import { withoutServerPaths } from './without-server-paths';

/** Audit answers as HTTP errors of the shared problem filter: 404 not found, 400 bad input. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof AuditNotFound) throw new NotFound(e.message);
    if (e instanceof AuditBadInput) throw new BadRequest(e.message, [{ field: e.field, reason: e.message }]);
    throw e;
  }
}

/** What an audit route does; every one is for auditors alone (AuditorGuard) and answers its problems. */
function ApiAudit(summary: string, problems: { 400?: string; 404?: string } = {}): MethodDecorator {
  return applyDecorators(
    ApiDoes(summary, { callers: 'AUDIT auditors only (unit AUDIT, role auditor); every other caller gets 403, and the attempt is recorded' }),
    ApiOkResponse({ description: 'the answer, as JSON' }),
    ApiProblems({ ...problems, ...AUTH_PROBLEMS, 403: 'the caller is not an AUDIT auditor' }),
  );
}
const BAD_APPLICATION_ID = 'the id is not an application id';

function positiveInteger(field: string, text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new BadRequest(`${field} must be a positive integer`, [{ field, reason: `got ${text}` }]);
  return n;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
@UseGuards(AuditorGuard)
export class AuditController {
  constructor(
    @Inject(AuditContext) private readonly audit: AuditContext,
    @Inject(SecurityLogRecorder) private readonly securityLog: SecurityLogRecorder,
  ) {}

  @Get('verify')
  @ApiAudit('Walks every hash chain and checks the signed digests; lists every break (ok: false) or none')
  verify() {
    return answer(async () => withoutServerPaths(await this.audit.verify()));
  }

  @Get('public-key')
  @ApiAudit('The Ed25519 public key that signs digests and bundle manifests')
  publicKey() {
    return { algorithm: 'Ed25519', publicKeyPem: this.audit.signingKey().publicKeyPem() };
  }

  @Get('tree-head')
  @ApiAudit(
    'The latest signed tree head (size, root, time, key id, Ed25519 signature) of the Merkle tree over the log: keep it, and later prove the log extends it with `audit verify --trusted-head`',
    {
      404: 'no tree head has been signed yet',
    },
  )
  async treeHead() {
    const head = await this.audit.latestTreeHead();
    if (!head) throw new NotFound('no tree head has been signed yet');
    return head;
  }

  @Get('events/:position/inclusion')
  @ApiAudit('An RFC 9162 inclusion proof that the event at a global position is in the Merkle tree of the first `treeSize` events (default: all)', {
    400: '`position` or `treeSize` is not a positive integer, or the tree has fewer events than `treeSize`',
    404: 'no event at that global position in the tree',
  })
  @ApiQuery({ name: 'treeSize', required: false, schema: { type: 'integer', minimum: 1 } })
  inclusion(@Param('position') position: string, @Query('treeSize') treeSize?: string) {
    const p = positiveInteger('position', position);
    const n = treeSize === undefined ? undefined : positiveInteger('treeSize', treeSize);
    return answer(() => this.audit.inclusionProof(p, n));
  }

  @Get('streams/:id/history')
  @ApiAudit("A stream's events with actor, unit, role, time, command, correlation and causation", {
    400: 'the id is not a stream id (application-<id>, fund-<year>, ...)',
    404: 'the stream has no events',
  })
  history(@Param('id') id: string) {
    return answer(() => streamHistory(this.audit.store, id));
  }

  @Get('streams/:id/as-of')
  @ApiAudit('The stream as it stood at a time or global position, replayed through the domain', {
    400: '`at` is neither a global position nor an ISO time, or the id is not a stream id',
    404: 'the stream has no events',
  })
  @ApiQuery({ name: 'at', description: 'a global position (e.g. 1200) or an ISO time' })
  asOf(@Param('id') id: string, @Query('at') at: string) {
    return answer(async () => streamAsOf(this.audit.store, id, parseAt(at)));
  }

  @Get('applications/:id/causal-chain')
  @ApiAudit('Every event across case, beneficiary, fund and customs streams caused by or linked to the case', {
    400: BAD_APPLICATION_ID,
    404: 'no such application',
  })
  chain(@Param('id') id: string) {
    return answer(() => causalChain(this.audit.store, id));
  }

  @Get('applications/:id/as-approved')
  @ApiAudit('What the approving head saw: case, ledger, fund and customs figures at the approval', {
    400: BAD_APPLICATION_ID,
    404: 'no such application, or it has no approval',
  })
  asApproved(@Param('id') id: string) {
    return answer(() => approvalView(this.audit.store, id));
  }

  @Get('applications/:id/explanation')
  @ApiAudit('Policy version, trace and customs records of each approved award, rendered in Chinese (or English with Accept-Language: en)', {
    400: BAD_APPLICATION_ID,
    404: 'no such application',
  })
  explanation(@Param('id') id: string, @Headers('accept-language') acceptLanguage?: string) {
    return answer(() => explainCase(this.audit.store, id, localeFromAcceptLanguage(acceptLanguage)));
  }

  @Get('applications/:id/bundle')
  @ApiAudit(
    'The audit bundle of the case (docs/auditing.md, "Audit bundles"), zipped: the files `audit export application:<id>` writes (events, line hashes, digests, public key, explanations, tree head and leaves, signed manifest), in one folder `audit-<id>/`; unzip it and check it with `audit verify-bundle`',
    { 400: BAD_APPLICATION_ID, 404: 'no such application' },
  )
  @ApiProduces('application/zip')
  bundle(@Param('id') id: string, @Headers('accept-language') acceptLanguage?: string) {
    return answer(async () => {
      const applicationId = requireApplicationId(id);
      const scratch = mkdtempSync(join(tmpdir(), 'cbec-bundle-'));
      try {
        const folder = join(scratch, 'bundle');
        await exportBundle(this.audit, { kind: 'application', id: applicationId }, folder, localeFromAcceptLanguage(acceptLanguage));
        const zip = new JSZip();
        for (const name of readdirSync(folder)) zip.file(`audit-${applicationId}/${name}`, readFileSync(join(folder, name)));
        const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
        return new StreamableFile(bytes, { type: 'application/zip', disposition: `attachment; filename="audit-${applicationId}.zip"`, length: bytes.length });
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  }

  @Get('replay-check')
  @ApiAudit(
    'Rebuilds every projection into scratch storage and lists each difference with the live read models, and each projection that cannot apply the log (failures)',
    {
      404: 'the data folder holds no live read models yet',
    },
  )
  replay() {
    return answer(() => replayCheck(this.audit.store, join(this.audit.files.dataDir, 'read-models.db')));
  }

  @Get('reads')
  @ApiAudit('Who read which case and when (append-only, kept at least 183 days)', {
    400: `\`limit\` is not an integer from 1 to ${MAX_AUDIT_READS_LIMIT}, or \`from\`/\`to\` is not an ISO time`,
  })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_AUDIT_READS_LIMIT, default: 1000 } })
  @ApiQuery({ name: 'applicationId', required: false, description: 'only reads of this case' })
  @ApiQuery({ name: 'user', required: false, description: 'only reads by this user' })
  @ApiQuery({ name: 'from', required: false, description: 'only reads at or after this ISO time' })
  @ApiQuery({ name: 'to', required: false, description: 'only reads at or before this ISO time' })
  async reads(
    @Query('applicationId') applicationId?: string,
    @Query('user') user?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') limit?: string,
  ) {
    const n = limit === undefined ? undefined : Number(limit);
    if (n !== undefined && (!Number.isInteger(n) || n < 1))
      throw new BadRequest('limit must be a positive integer', [{ field: 'limit', reason: `got ${limit}` }]);
    if (n !== undefined && n > MAX_AUDIT_READS_LIMIT) {
      const reason = `must be at most ${MAX_AUDIT_READS_LIMIT}`;
      throw new BadRequest(`limit ${reason}`, [{ field: 'limit', reason, limit: MAX_AUDIT_READS_LIMIT }]);
    }
    for (const [field, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (value !== undefined && Number.isNaN(Date.parse(value))) throw new BadRequest(`${field} is not an ISO time`, [{ field, reason: `got ${value}` }]);
    }
    return { reads: await this.audit.reads().query({ applicationId, user, from, to, limit: n }) };
  }

  @Get('security-log')
  @ApiAudit(
    'The security log: every 401, 403 and 429 and every refused command, with who (user, unit, role), what (method, path, status, code), when and from where (IP); and what the server found wrong with its own data (integrity). Append-only, never purged (at least the six months of the Cybersecurity Law art. 21)',
    { 400: `\`limit\` is not an integer from 1 to ${MAX_AUDIT_READS_LIMIT}, \`status\` is not an HTTP status, or \`from\`/\`to\` is not an ISO time` },
  )
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_AUDIT_READS_LIMIT, default: 1000 } })
  @ApiQuery({ name: 'status', required: false, schema: { type: 'integer', minimum: 400, maximum: 599 } })
  @ApiQuery({ name: 'user', required: false, description: 'only entries of this user' })
  @ApiQuery({ name: 'ip', required: false, description: 'only entries from this client address' })
  @ApiQuery({ name: 'from', required: false, description: 'only entries at or after this ISO time' })
  @ApiQuery({ name: 'to', required: false, description: 'only entries at or before this ISO time' })
  async securityEvents(
    @Query('user') user?: string,
    @Query('ip') ip?: string,
    @Query('status') status?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') limit?: string,
  ) {
    const n = limit === undefined ? undefined : Number(limit);
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > MAX_AUDIT_READS_LIMIT)) {
      throw new BadRequest(`limit must be an integer from 1 to ${MAX_AUDIT_READS_LIMIT}`, [{ field: 'limit', reason: `got ${limit}` }]);
    }
    const code = status === undefined ? undefined : Number(status);
    if (code !== undefined && (!Number.isInteger(code) || code < 400 || code > 599)) {
      throw new BadRequest('status must be an HTTP error status (400-599)', [{ field: 'status', reason: `got ${status}` }]);
    }
    for (const [field, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (value !== undefined && Number.isNaN(Date.parse(value))) throw new BadRequest(`${field} is not an ISO time`, [{ field, reason: `got ${value}` }]);
    }
    await this.securityLog.flush();
    const log = this.audit.security();
    return { refusals: await log.refusals({ user, ip, status: code, from, to, limit: n }), integrity: await log.all() };
  }
}
