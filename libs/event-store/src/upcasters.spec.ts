import type { RecordedEvent } from './event-store.port';
import { UpcasterRegistry } from './upcasters';

const stored = (type: string, schemaVersion: number, data: unknown): RecordedEvent => ({
  eventId: 'e',
  type,
  schemaVersion,
  data,
  streamId: 's',
  version: 0,
  globalPosition: 1,
  recordedAt: '',
  prevHash: '',
  hash: 'h',
  metadata: { correlationId: 'c', causationId: null, commandId: null, actor: { user: 'u', unit: 'COM', role: 'r' }, occurredAt: '', policyVersion: null },
});

describe('upcaster registry', () => {
  const registry = new UpcasterRegistry()
    .register('ApplicationSubmitted', 1, (data) => ({ amountYuan: (data as { amount: number }).amount }))
    .register('ApplicationSubmitted', 2, (data) => ({ amountMinor: String((data as { amountYuan: number }).amountYuan * 100) }));

  it('chains steps from the stored version to the current one, keeping the stored hash', () => {
    const event = registry.upcast(stored('ApplicationSubmitted', 1, { amount: 12 }));
    expect(event).toMatchObject({ schemaVersion: 3, data: { amountMinor: '1200' }, hash: 'h' });
  });

  it('starts from whatever version is stored and leaves current or unknown events untouched', () => {
    expect(registry.upcast(stored('ApplicationSubmitted', 2, { amountYuan: 1 })).data).toEqual({ amountMinor: '100' });
    const current = stored('ApplicationSubmitted', 3, { amountMinor: '1' });
    expect(registry.upcast(current)).toBe(current);
    const other = stored('FundAppropriated', 1, {});
    expect(registry.upcast(other)).toBe(other);
  });

  it('refuses a second step for the same type and version, and bad versions', () => {
    expect(() => registry.register('ApplicationSubmitted', 1, (d) => d)).toThrow(/registered twice/);
    expect(() => new UpcasterRegistry().register('X', 0, (d) => d)).toThrow(/integer >= 1/);
  });
});
