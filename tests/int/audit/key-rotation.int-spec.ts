import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../../apps/cli/src/cli';
import { auditCommand } from '../../../apps/cli/src/commands/audit.command';
import { CaseDriver, openTempStore, seedApprovedCase, tempDataDir } from '../../../libs/audit/src/testing/audit-fixture';

async function cli(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; out: any; err: any[] }> {
  const out: unknown[] = [];
  const err: unknown[] = [];
  const io: CliIo = { out: (v) => out.push(JSON.parse(JSON.stringify(v))), err: (v) => err.push(v), env, cwd };
  const code = await runCli([auditCommand], ['audit', ...args], io);
  return { code, out: out[0], err };
}

/** Issue 18: the signing key lives outside the data folder, and a rotation is recorded in the log. */
describe('audit signing key rotation', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function folderWithHead(keyFile: string): Promise<{ dataDir: string; outside: string; trusted: string }> {
    const dataDir = tempDataDir();
    const outside = tempDataDir('cbec-keys-');
    dirs.push(dataDir, outside);
    const store = openTempStore(dataDir);
    await seedApprovedCase(new CaseDriver(store), 'a-0001');
    await store.close();
    const env = { CBEC_DATA_DIR: dataDir, CBEC_AUDIT_KEY_FILE: join(outside, keyFile) };
    expect((await cli(['digest'], env, outside)).code).toBe(0);
    const head = await cli(['tree-head'], env, outside);
    const trusted = join(outside, 'trusted-head.json');
    writeFileSync(trusted, JSON.stringify(head.out));
    return { dataDir, outside, trusted };
  }

  const publicKeyFile = async (dataDir: string, keyFile: string, cwd: string): Promise<string> => {
    const key = await cli(['public-key'], { CBEC_DATA_DIR: dataDir, CBEC_AUDIT_KEY_FILE: keyFile }, cwd);
    const file = `${keyFile}.pub.pem`;
    writeFileSync(file, key.out.publicKeyPem);
    return file;
  };

  it('keeps the key in CBEC_AUDIT_KEY_FILE, not in the data folder', async () => {
    const { dataDir, outside } = await folderWithHead('k1.pem');
    expect(readdirSync(dataDir)).not.toContain('audit-signing-key.pem');
    expect(readdirSync(outside)).toContain('k1.pem');
  });

  it('records a rotation in the log, endorsed by the old key, so heads signed before it verify with the new key', async () => {
    const { dataDir, outside, trusted } = await folderWithHead('k1.pem');
    const rotated = await cli(['rotate-key', join(outside, 'k2.pem')], { CBEC_DATA_DIR: dataDir, CBEC_AUDIT_KEY_FILE: join(outside, 'k1.pem') }, outside);
    expect(rotated.code).toBe(0);
    expect(rotated.out).toMatchObject({ rotated: true, keyId: expect.stringMatching(/^[0-9a-f]{64}$/), endorsement: expect.any(String) });
    const env = { CBEC_DATA_DIR: dataDir, CBEC_AUDIT_KEY_FILE: join(outside, 'k2.pem') };
    const signed = await cli(['digest'], env, outside);
    expect(signed.out.treeHead).toMatchObject({ written: true, head: { keyId: rotated.out.keyId } });
    const history = await cli(['history', 'audit-keys'], env, outside);
    expect(history.out.events).toEqual([expect.objectContaining({ type: 'AuditSigningKeyRotated' })]);

    const k2 = await publicKeyFile(dataDir, join(outside, 'k2.pem'), outside);
    const checked = await cli(['verify', '--trusted-head', trusted, '--public-key', k2], env, outside);
    expect(checked.out.breaks).toEqual([]);
    expect(checked.code).toBe(0);
    expect(checked.out.tree.trustedHead).toMatchObject({ signatureValid: true, consistent: true });
  });

  it('carries the rotations in an exported bundle, so the bundle verifies with the key held before the rotation', async () => {
    const { dataDir, outside, trusted } = await folderWithHead('k1.pem');
    const k1 = await publicKeyFile(dataDir, join(outside, 'k1.pem'), outside);
    const rotated = await cli(['rotate-key', join(outside, 'k2.pem')], { CBEC_DATA_DIR: dataDir, CBEC_AUDIT_KEY_FILE: join(outside, 'k1.pem') }, outside);
    expect(rotated.code).toBe(0);
    const env = { CBEC_DATA_DIR: dataDir, CBEC_AUDIT_KEY_FILE: join(outside, 'k2.pem') };
    const exported = await cli(['export', 'all', 'bundle'], env, outside);
    expect(exported.code).toBe(0);
    expect(exported.out.files['key-rotations.json']).toBeDefined();

    // Manifest, tree head and the newest digests are signed by k2; the auditor holds k1 and the head it signed.
    const checked = await cli(['verify-bundle', 'bundle', '--public-key', k1, '--trusted-head', trusted], {}, outside);
    expect(checked.out.problems).toEqual([]);
    expect(checked.code).toBe(0);

    // Without the recorded rotation, k1 does not vouch for what k2 signed.
    writeFileSync(join(outside, 'bundle', 'key-rotations.json'), '[]\n');
    const stripped = await cli(['verify-bundle', 'bundle', '--public-key', k1], {}, outside);
    expect(stripped.code).toBe(1);
    expect(stripped.out.problems.map((p: { kind: string }) => p.kind)).toEqual(
      expect.arrayContaining(['file-hash-mismatch', 'manifest-signature', 'tree-head-signature']),
    );
  });

  it('does not count a key swapped in without a recorded rotation', async () => {
    const { dataDir, outside, trusted } = await folderWithHead('k1.pem');
    const env = { CBEC_DATA_DIR: dataDir, CBEC_AUDIT_KEY_FILE: join(outside, 'k3.pem') };
    expect((await cli(['digest'], env, outside)).code).toBe(0);
    const k3 = await publicKeyFile(dataDir, join(outside, 'k3.pem'), outside);
    const checked = await cli(['verify', '--trusted-head', trusted, '--public-key', k3], env, outside);
    expect(checked.code).toBe(1);
    expect(checked.out.breaks.map((b: { kind: string }) => b.kind)).toEqual(expect.arrayContaining(['trusted-head-signature']));
  });
});
