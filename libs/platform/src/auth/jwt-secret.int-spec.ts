import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JWT_SECRET_FILE, loadOrCreateJwtSecret, readJwtSecret } from './jwt-secret';

describe("the HS256 secret's place", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cbec-jwt-secret-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is the data folder by default: generated once, the same on every read', () => {
    const secret = loadOrCreateJwtSecret(join(root, 'data'), {});
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(loadOrCreateJwtSecret(join(root, 'data'), {})).toBe(secret);
    expect(readJwtSecret(join(root, 'data'), {})).toBe(secret);
  });

  it('is CBEC_JWT_SECRET_FILE when set: servers with data folders of their own share it, and none is created beside them', () => {
    const file = join(root, 'mounted-secret');
    writeFileSync(file, 'a-shared-secret-of-at-least-thirty-two-characters\n');
    const env = { CBEC_JWT_SECRET_FILE: file };
    expect(loadOrCreateJwtSecret(join(root, 'server-a'), env)).toBe('a-shared-secret-of-at-least-thirty-two-characters');
    expect(loadOrCreateJwtSecret(join(root, 'server-b'), env)).toBe('a-shared-secret-of-at-least-thirty-two-characters');
    expect(existsSync(join(root, 'server-a', JWT_SECRET_FILE))).toBe(false);
  });

  it('refuses a CBEC_JWT_SECRET_FILE that does not exist, naming it, rather than inventing a secret no other server has', () => {
    const env = { CBEC_JWT_SECRET_FILE: join(root, 'missing') };
    expect(() => loadOrCreateJwtSecret(join(root, 'data'), env)).toThrow(`CBEC_JWT_SECRET_FILE=${join(root, 'missing')}: no such file`);
    expect(readJwtSecret(join(root, 'data'), env)).toBeUndefined();
  });
});
