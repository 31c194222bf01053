import { ACCOUNT_EVENT_TYPES } from '@cbec/domain';
import type { RecordedEvent } from '@cbec/event-store';
import { isPublished, PUBLISHED_DOMAIN_EVENTS, toIntegrationEvent } from './to-integration-event';

/**
 * Account events (who may log in, with which grant, lock-outs) are internal to the workflow and the
 * audit: none reaches the integration feed (SSE) or Kafka, whatever they hold.
 */
describe('account events and the integration feed', () => {
  it('publishes no account event type', () => {
    for (const type of ACCOUNT_EVENT_TYPES) expect(isPublished(type)).toBe(false);
    expect(Object.keys(PUBLISHED_DOMAIN_EVENTS).filter((t) => t.startsWith('Account'))).toEqual([]);
  });

  it('maps a stored account event to nothing', () => {
    const event: RecordedEvent = {
      eventId: 'e1',
      type: 'AccountPasswordReset',
      schemaVersion: 1,
      data: { credentialId: 'c1', scheme: 'scrypt', resetBy: 'root' },
      metadata: {
        correlationId: 'c',
        causationId: null,
        commandId: 'c',
        actor: { user: 'root', unit: 'ADMIN', role: 'admin' },
        occurredAt: '2020-01-01T00:00:00.000Z',
        policyVersion: null,
      },
      streamId: 'account-li',
      version: 2,
      globalPosition: 3,
      recordedAt: '2020-01-01T00:00:00.000Z',
      prevHash: '',
      hash: '',
    };
    expect(toIntegrationEvent(event, () => undefined)).toBeNull();
  });
});
