import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../../apps/cli/src/cli';
import { auditCommand } from '../../../apps/cli/src/commands/audit.command';
import { CaseDriver, openTempStore, seedApprovedCase, tempDataDir, USCC } from '../../../libs/audit/src/testing/audit-fixture';

/** Runs `npm run cli -- audit ...` in-process, with the environment of another machine when asked. */
async function cli(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; out: any; err: any[] }> {
  const out: unknown[] = [];
  const err: unknown[] = [];
  const io: CliIo = { out: (v) => out.push(JSON.parse(JSON.stringify(v))), err: (v) => err.push(v), env, cwd };
  const code = await runCli([auditCommand], ['audit', ...args], io);
  return { code, out: out[0], err };
}

describe('audit bundles: exported here, verified elsewhere without the database', () => {
  let dataDir: string;
  let work: string;

  beforeAll(async () => {
    dataDir = tempDataDir();
    work = tempDataDir('cbec-audit-work-');
    const store = openTempStore(dataDir);
    const driver = new CaseDriver(store);
    await seedApprovedCase(driver, 'a-0001');
    await driver.caseReadyForDecision('a-0002');
    await store.close();
  });

  afterAll(() => {
    for (const d of [dataDir, work]) rmSync(d, { recursive: true, force: true });
  });

  it('exports one case with the beneficiary, fund and customs streams it touched, and verifies it on a fresh folder', async () => {
    const exported = await cli(['export', 'application:a-0001', join(work, 'case-bundle')], { CBEC_DATA_DIR: dataDir }, work);
    expect(exported.code).toBe(0);
    expect(exported.out).toMatchObject({ scope: 'application:a-0001', streams: 5 });
    expect(readdirSync(join(work, 'case-bundle')).sort()).toEqual([
      'digests.jsonl',
      'events.jsonl',
      'events.lines.sha256',
      'explanations.txt',
      'key-rotations.json',
      'manifest.json',
      'manifest.sig',
      'public-key.pem',
      'tree-leaves.bin',
      'tree.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(work, 'case-bundle', 'manifest.json'), 'utf8'));
    // The approved award for people, in Chinese, its trace rendered as `audit explain` renders it; signed like the rest.
    const explanations = readFileSync(join(work, 'case-bundle', 'explanations.txt'), 'utf8');
    expect(explanations).toContain('奖励金额: ¥8,000.00');
    expect(explanations).toContain('4 x ¥2,000.00 = ¥8,000.00');
    expect(explanations).toMatch(/审批时间: \d{4}-\d{2}-\d{2} \d{2}:\d{2} 北京时间/);
    expect(Object.keys(manifest.files)).toContain('explanations.txt');
    expect(Object.keys(manifest.streams).sort()).toEqual(['application-a-0001', `beneficiary-${USCC}`, 'customs-2018', 'customs-2019', 'fund-2019']);

    // Another machine: a copy of the folder, no data dir at all.
    const elsewhere = tempDataDir('cbec-audit-elsewhere-');
    cpSync(join(work, 'case-bundle'), join(elsewhere, 'bundle'), { recursive: true });
    const key = await cli(['public-key'], { CBEC_DATA_DIR: dataDir }, work);
    writeFileSync(join(elsewhere, 'trusted.pem'), key.out.publicKeyPem);
    const checked = await cli(['verify-bundle', 'bundle', '--public-key', 'trusted.pem'], { CBEC_DATA_DIR: join(elsewhere, 'no-such-dir') }, elsewhere);
    rmSync(elsewhere, { recursive: true, force: true });
    expect(checked.out.problems).toEqual([]);
    expect(checked.code).toBe(0);
    expect(checked.out).toMatchObject({ ok: true, streamsChecked: 5, digestsChecked: 1 });
  });

  it('fails a bundle with one byte changed, naming the file and the event', async () => {
    const folder = join(work, 'all-bundle');
    expect((await cli(['export', 'all', folder], { CBEC_DATA_DIR: dataDir }, work)).code).toBe(0);
    const file = join(folder, 'events.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const index = lines.findIndex((l) => l.includes('"type":"AwardApproved"'));
    const event = JSON.parse(lines[index]);
    // One byte: "8000.00" -> "9000.00" inside the approved amount.
    const at =
      Buffer.from(lines.slice(0, index).join('\n') + '\n', 'utf8').length +
      Buffer.from(lines[index], 'utf8').indexOf('"amountCny":"8000.00"') +
      '"amountCny":"'.length;
    const bytes = readFileSync(file);
    expect(String.fromCharCode(bytes[at])).toBe('8');
    bytes[at] = '9'.charCodeAt(0);
    writeFileSync(file, bytes);

    const checked = await cli(['verify-bundle', folder], {}, work);
    expect(checked.code).toBe(1);
    expect(checked.out.ok).toBe(false);
    expect(checked.out.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'events.jsonl', kind: 'file-hash-mismatch' }),
        expect.objectContaining({
          file: 'events.jsonl',
          kind: 'line-changed',
          line: index + 1,
          eventId: event.eventId,
          streamId: 'application-a-0001',
          version: 6,
        }),
        expect.objectContaining({ file: 'events.jsonl', kind: 'hash-mismatch', eventId: event.eventId }),
      ]),
    );
  });

  it('names the manifest when it is edited to match a changed file', async () => {
    const folder = join(work, 'year-bundle');
    expect((await cli(['export', 'year:2019', folder], { CBEC_DATA_DIR: dataDir }, work)).code).toBe(0);
    const manifestFile = join(folder, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.eventCount += 1;
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
    const checked = await cli(['verify-bundle', folder], {}, work);
    expect(checked.code).toBe(1);
    expect(checked.out.problems).toEqual([expect.objectContaining({ file: 'manifest.json', kind: 'manifest-signature' })]);
  });

  it('verifies the live log from the CLI: exit 0 when clean, with a digest written first', async () => {
    expect((await cli(['digest'], { CBEC_DATA_DIR: dataDir }, work)).code).toBe(0);
    const verified = await cli(['verify'], { CBEC_DATA_DIR: dataDir }, work);
    expect(verified.out.breaks).toEqual([]);
    expect(verified.code).toBe(0);
    expect(verified.out.digests.eventsAfterLastDigest).toBe(0);
  });

  it('explains an award in Chinese by default and in English with --lang en', async () => {
    const zh = await cli(['explain', 'a-0001'], { CBEC_DATA_DIR: dataDir }, work);
    expect(zh.code).toBe(0);
    const zhText = (zh.out.awards[0].rendered as string[]).join('\n');
    expect(zhText).toContain('项目: P2b 跨境电商进出口增量补助');
    expect(zhText).toContain('奖励金额: ¥8,000.00');
    expect(zhText).toMatch(/审批时间: \d{4}-\d{2}-\d{2} \d{2}:\d{2} 北京时间/);
    // The fixture's trace was stored as text (before steps carried codes): it still reads, money formatted.
    expect(zhText).toContain('4 x ¥2,000.00 = ¥8,000.00（来源 policy LZB-2019-4 p2b.awardPerStepCny）');
    expect(zh.out.awards[0].trace[0]).toMatchObject({ code: 'legacy-text' });
    const en = await cli(['explain', 'a-0001', '--lang', 'en'], { CBEC_DATA_DIR: dataDir }, work);
    const enText = (en.out.awards[0].rendered as string[]).join('\n');
    expect(enText).toContain('Program: P2b Cross-border e-commerce trade increment subsidy');
    expect(enText).toMatch(/Approved at: \d{4}-\d{2}-\d{2} \d{2}:\d{2} Beijing time/);
    expect((await cli(['explain', 'a-0001', '--lang', 'fr'], { CBEC_DATA_DIR: dataDir }, work)).code).toBe(2);
  });

  it('refuses bad arguments with exit 2 and a message naming them', async () => {
    const bad = await cli(['export', 'case:1', join(work, 'x')], { CBEC_DATA_DIR: dataDir }, work);
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toMatchObject({ error: expect.stringContaining('scope: must be application:<id>') });
    const missing = await cli(['explain', 'nope'], { CBEC_DATA_DIR: dataDir }, work);
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toMatchObject({ code: 'not-found' });
  });
});
