import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliIo, CliUsageError } from './cli';
import { auditCommand } from './commands/audit.command';
import { projectionsCommand } from './commands/projections.command';
import { requireServerDataDir } from './server-data-dir';

describe("the CLI's commands on the server's data folder (CBEC_DATA_DIR)", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cbec-cli-data-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const ioFor = (dataDir: string): CliIo => ({ out: () => undefined, err: () => undefined, env: { CBEC_DATA_DIR: dataDir }, cwd: root });

  it('refuse a folder without an event store, naming CBEC_DATA_DIR, and create nothing there', async () => {
    const misspelt = join(root, 'dta');
    for (const run of [() => auditCommand.run(['verify'], ioFor(misspelt)), () => projectionsCommand.run(['status'], ioFor(misspelt))]) {
      await expect(run()).rejects.toThrow(/dta \(CBEC_DATA_DIR\) holds no event store \(events\.db\): set CBEC_DATA_DIR to the server's data folder/);
    }
    expect(existsSync(misspelt)).toBe(false);

    // A folder that exists but is no server's: left as it was.
    writeFileSync(join(root, 'placeholder'), '');
    await expect(projectionsCommand.run(['rebuild'], ioFor(root))).rejects.toBeInstanceOf(CliUsageError);
    expect(readdirSync(root)).toEqual(['placeholder']);
  });

  it("accept a folder that holds the server's events.db, or any folder when the log is in EventStoreDB", () => {
    writeFileSync(join(root, 'events.db'), '');
    expect(() => requireServerDataDir(root, {})).not.toThrow();
    expect(() => requireServerDataDir(join(root, 'elsewhere'), { EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' })).not.toThrow();
  });
});
