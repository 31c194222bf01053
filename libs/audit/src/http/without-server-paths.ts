/**
 * An answer with every absolute file path cut to its last name (`/srv/cbec/data/audit-key.pub` →
 * `audit-key.pub`): the auditor learns which file, the caller learns nothing of the server's folders
 * (docs/api.md "Uniform answers"). The CLI, run on the server by its operator, keeps the full paths.
 */
export function withoutServerPaths<T>(value: T): T {
  if (typeof value === 'string') return value.replace(ABSOLUTE_PATH, (path) => path.slice(path.lastIndexOf('/') + 1)) as T;
  if (Array.isArray(value)) return value.map(withoutServerPaths) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutServerPaths(v)])) as T;
  }
  return value;
}

/** A POSIX path of two or more parts from the root (a single `/x` is left: a route, not a folder). */
const ABSOLUTE_PATH = /(?<![\w.:/])(?:\/[\w.@+~-]+){2,}/g;
