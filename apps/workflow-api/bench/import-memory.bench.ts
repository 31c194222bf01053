/**
 * `npm run bench:import-memory`: what one customs import needs in memory, without the server around it
 * (no projector, no other threads): one runCustomsImport of --rows bench rows (as `bench:import` writes
 * them, --years 5) into a fresh SQLite store on this thread. Prints the process's peak RSS, the heap of
 * the checked rows held until every year is decided (after a gc, per row), and the heap at each phase.
 * A benchmark prints figures; it asserts nothing. Last line: one JSON object. Run with --expose-gc.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usccCheckCharacter } from '@cbec/domain';
import { openSqliteEventStore } from '@cbec/event-store';
import { AggregateStore } from '../../../libs/platform/src/store/aggregate-store';
import { runCustomsImport } from '../../../libs/workflow/src/import-customs-stats/customs-import.job';
import { readCustomsFile } from '../../../libs/workflow/src/import-customs-stats/customs-file';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const rows = Number(flag('rows', '350000'));
const years = Number(flag('years', '5'));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (bytes: number): number => Math.round(bytes / 1048576);

function customsCsv(): Buffer {
  const uscc = (n: number): string => {
    const first17 = `91341502MA${String(n).padStart(7, '0')}`;
    return first17 + usccCheckCharacter(first17);
  };
  const lines = ['year,uscc,name,export_9610_usd,cbec_import_usd,cbec_export_usd,total_export_usd,platform_local_online_trade_usd'];
  for (let i = 0; i < rows; i++) {
    const n = 1 + Math.floor(i / years);
    lines.push(
      `${2016 + (i % years)},${uscc(n)},六安市某某跨境电子商务有限公司${n},${(n % 90000) + 1}.25,${n % 5000}.00,${(n % 70000) + 10}.10,${(n % 900000) + 100}.90,`,
    );
  }
  return Buffer.from(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  const content = customsCsv();
  // The checked rows alone: what an import holds per row until every year is decided.
  gc();
  const before = process.memoryUsage().heapUsed;
  const checked = await readCustomsFile({ content, contentType: 'text/csv' });
  gc();
  const rowsHeapBytesPerRow = Math.round((process.memoryUsage().heapUsed - before) / rows);
  checked.byYear.clear();

  const directory = mkdtempSync(join(tmpdir(), 'cbec-bench-import-memory-'));
  const store = openSqliteEventStore({ directory });
  const heapMb: Record<string, number> = {};
  const started = performance.now();
  try {
    const answer = await runCustomsImport(
      { content, contentType: 'text/csv' },
      { commandId: 'bench', correlationId: 'bench', causationId: null, actor: { user: 'cus-bench', unit: 'CUS', role: 'officer' }, now: new Date() },
      new AggregateStore(store),
      {
        progress: (p) => {
          heapMb[p.state] = Math.max(heapMb[p.state] ?? 0, mb(process.memoryUsage().heapUsed));
        },
      },
    );
    const seconds = Math.round((performance.now() - started) / 10) / 100;
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(
      `${rows} rows over ${years} year(s): ${seconds} s, ${answer.imported} imported; peak RSS ${peakRssMb} MB; checked rows ${rowsHeapBytesPerRow} bytes of heap a row`,
    );
    console.log(JSON.stringify({ bench: 'import-memory', rows, years, seconds, peakRssMb, rowsHeapBytesPerRow, heapMbByPhase: heapMb }));
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
