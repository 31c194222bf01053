import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDataDir } from '../testing/audit-fixture';
import { fileSha256, readLines } from './read-lines';

describe('reading a bundle file line by line', () => {
  it('never cuts a multi-byte character at a chunk border, and keeps a last line without newline', () => {
    const dir = tempDataDir();
    const file = join(dir, 'events.jsonl');
    const lines = ['{"name":"六安市经开区鑫茂汽配实业有限公司"}', '', '{"amount":"¥50,000.00"}', 'last line 出口额'];
    writeFileSync(file, lines.join('\n'));
    for (const chunk of [1, 2, 3, 5, 7, 64]) expect([...readLines(file, chunk)]).toEqual(lines);
    expect(fileSha256(file, 3)).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    rmSync(dir, { recursive: true, force: true });
  });
});
