import { EVENT_UPCASTERS } from '@cbec/domain';
import { UpcasterRegistry } from './upcasters';

/** The domain's registered upcasters (libs/domain/src/events/upcasters.ts): every store reads through them by default. */
export function domainUpcasters(): UpcasterRegistry {
  const registry = new UpcasterRegistry();
  for (const step of EVENT_UPCASTERS) registry.register(step.type, step.fromSchemaVersion, (data) => step.upcast(data as Record<string, unknown>));
  return registry;
}
