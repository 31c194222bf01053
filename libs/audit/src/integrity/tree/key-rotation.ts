import type { EventStore } from '@cbec/event-store';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { verifySignature, type SigningKey } from '../signing-key';
import { keyIdOf } from './tree-head';

/** The stream that records every change of the audit signing key, in the log the tree covers. */
export const AUDIT_KEYS_STREAM = 'audit-keys';
export const KEY_ROTATED = 'AuditSigningKeyRotated';

/** What the previous key signs to endorse the next one. */
export const endorsementText = (keyId: string): string => `cbec-audit-key-rotation/v1:${keyId}`;

export interface KeyRotation {
  keyId: string;
  publicKeyPem: string;
  previousKeyId: string;
  previousPublicKeyPem: string;
  /** Base64 Ed25519 signature of `endorsementText(keyId)` by the previous key. */
  endorsement: string;
}

/**
 * `audit rotate-key <new-key-file>`: generates the next key into a file of its own (0600, must not exist),
 * has the current key endorse it, and records the rotation in the log (stream `audit-keys`), where the
 * Merkle tree covers it. Point CBEC_AUDIT_KEY_FILE at the new file and restart: heads signed before and
 * after verify with the key an auditor holds, through the endorsement.
 */
export async function rotateSigningKey(store: EventStore, current: SigningKey, newKeyFile: string, actor: { user: string }): Promise<KeyRotation> {
  if (existsSync(newKeyFile)) throw new Error(`${newKeyFile} exists: the new key goes into a new file`);
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(newKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  const publicKey = createPublicKey(createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })));
  const keyId = keyIdOf(publicKey);
  const rotation: KeyRotation = {
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    previousKeyId: keyIdOf(current.publicKey),
    previousPublicKeyPem: current.publicKeyPem(),
    endorsement: current.sign(endorsementText(keyId)),
  };
  const id = randomUUID();
  await store.append(
    AUDIT_KEYS_STREAM,
    [
      {
        eventId: id,
        type: KEY_ROTATED,
        schemaVersion: 1,
        data: rotation,
        metadata: {
          commandId: id,
          correlationId: id,
          causationId: null,
          actor: { user: actor.user, unit: 'AUDIT', role: 'key-custodian' },
          occurredAt: new Date().toISOString(),
          policyVersion: null,
        },
      },
    ],
    { expectedVersion: 'any' },
  );
  return rotation;
}

/** The rotations recorded in the log, in order. */
export async function recordedRotations(store: EventStore): Promise<KeyRotation[]> {
  const rotations: KeyRotation[] = [];
  for await (const e of store.readStream(AUDIT_KEYS_STREAM, { upcast: false })) if (e.type === KEY_ROTATED) rotations.push(e.data as KeyRotation);
  return rotations;
}

/**
 * The keys whose signatures count, starting from the one the auditor trusts: a key endorsed by a counted
 * key counts (the rotation forward), and so does the key that endorsed a counted key (heads signed before
 * the rotation). Each step needs the previous key's endorsement signature, which only its holder could make.
 */
export function acceptedKeys(trusted: KeyObject, rotations: readonly KeyRotation[]): KeyObject[] {
  const accepted = new Map<string, KeyObject>([[keyIdOf(trusted), trusted]]);
  const valid = rotations.filter((r) => {
    try {
      const previous = createPublicKey(r.previousPublicKeyPem);
      const next = createPublicKey(r.publicKeyPem);
      return keyIdOf(previous) === r.previousKeyId && keyIdOf(next) === r.keyId && verifySignature(previous, endorsementText(r.keyId), r.endorsement);
    } catch {
      return false;
    }
  });
  for (let grew = true; grew;) {
    grew = false;
    for (const r of valid) {
      if (accepted.has(r.previousKeyId) && !accepted.has(r.keyId)) {
        accepted.set(r.keyId, createPublicKey(r.publicKeyPem));
        grew = true;
      }
      if (accepted.has(r.keyId) && !accepted.has(r.previousKeyId)) {
        accepted.set(r.previousKeyId, createPublicKey(r.previousPublicKeyPem));
        grew = true;
      }
    }
  }
  return [...accepted.values()];
}
