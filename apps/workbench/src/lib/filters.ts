/** A filter form's values as the server takes them: a cleared field is no filter. */
export function withoutEmpty<T extends object>(all: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== null && v !== '') (out as Record<string, unknown>)[k] = v;
  return out;
}
