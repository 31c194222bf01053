// One-shot service of docker-compose.yml: the secrets every workflow server shares, created once in the `secrets`
// volume and never overwritten: the HS256 secret of the access tokens (CBEC_JWT_SECRET_FILE) and the Ed25519 key
// that signs the audit digests and tree heads (CBEC_AUDIT_KEY_FILE, PKCS#8 PEM). Servers on several machines mount
// the same two files from the platform's secret store instead (docs/operations.md, "PostgreSQL").
const { generateKeyPairSync, randomBytes } = require('node:crypto');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.argv[2] || '/secrets';
mkdirSync(dir, { recursive: true });
function createOnce(name, text) {
  try {
    writeFileSync(join(dir, name), text, { flag: 'wx', mode: 0o600 });
    console.log(`init-secrets: created ${join(dir, name)}`);
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    console.log(`init-secrets: ${join(dir, name)} exists, kept`);
  }
}
createOnce('jwt-secret', randomBytes(48).toString('base64url') + '\n');
createOnce('audit-signing-key.pem', generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
