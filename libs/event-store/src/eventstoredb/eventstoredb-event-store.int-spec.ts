import { eventStoreContract } from '../contract/event-store.contract';
import { verifyEventStore } from '../verify';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  eventStoreContract({
    name: `eventstoredb (${connectionString})`,
    // Events of one append share a commit position.
    uniquePositions: false,
    async createLog() {
      return {
        open: async (options) => new EventStoreDbEventStore({ connectionString, upcasters: options?.upcasters, logger: options?.logger }),
        verify: (store, streamPrefixes) => verifyEventStore(store, { streamPrefixes }),
        tamper: {
          skipReason: 'EventStoreDB offers no way to edit, reorder or delete a stored event in place; the tamper cases run on SQLite',
        },
        cleanup: async () => undefined,
      };
    },
  });
} else {
  describe('EventStore contract: eventstoredb', () => {
    it('is skipped (EVENTSTORE_CONNECTION_STRING is not set) — this test only reports the skip', () => {
      console.log(
        'EventStoreDB contract SKIPPED: EVENTSTORE_CONNECTION_STRING is not set. Run it with: ' +
          'docker compose up -d eventstoredb && EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false npm run test:int',
      );
      expect(connectionString).toBeUndefined();
    });
  });
}
