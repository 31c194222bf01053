import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalendarData } from './calendar-data';
import { installCalendar, loadCalendarFrom } from './calendar-loader';
import type { CalendarStore } from './calendar-store';

/**
 * What every CalendarStore adapter does. `emptyPlace` gives a way to open stores over one new, empty place
 * (two opened from it share it, as two servers share one database, or a CLI and a server one data folder).
 */
export function calendarStoreContract(name: string, emptyPlace: () => Promise<() => CalendarStore>): void {
  describe(`CalendarStore contract: ${name}`, () => {
    let open: () => CalendarStore;
    let stores: CalendarStore[] = [];
    let files: string;
    const opened = (): CalendarStore => {
      const store = open();
      stores.push(store);
      return store;
    };
    beforeEach(async () => {
      open = await emptyPlace();
      files = mkdtempSync(join(tmpdir(), 'cbec-cal-files-'));
    });
    afterEach(async () => {
      await Promise.all(stores.map((s) => s.close()));
      stores = [];
    });
    const year = (y: string, holidays: string[], notice = `notice ${y}`): CalendarData => ({ years: { [y]: { notice, holidays, makeUpWorkdays: [] } } });
    const file = (fileName: string, data: CalendarData): string => {
      const path = join(files, fileName);
      writeFileSync(path, JSON.stringify(data));
      return path;
    };
    const at = new Date('2026-12-01T08:00:00.000Z');

    it('lists nothing before a load; a calendar put through one instance is listed by another, with its dates', async () => {
      const [a, b] = [opened(), opened()];
      expect(await b.list()).toEqual([]);
      const source = await a.put('2027.json', year('2027', ['2027-01-01']), { from: '/tmp/2027.json', at });
      expect(await b.list()).toEqual([{ name: '2027.json', source, data: year('2027', ['2027-01-01']) }]);
    });

    it('the same name loaded again replaces the earlier calendar whole', async () => {
      const [a, b] = [opened(), opened()];
      await a.put('2027.json', year('2027', ['2027-01-01'], 'first'), { from: '/tmp/2027.json', at });
      await b.put('2027.json', year('2027', ['2027-01-01', '2027-02-05'], 'revised'), { from: '/tmp/2027.json', at });
      expect((await a.list()).map((c) => [c.name, c.data.years['2027'].notice, c.data.years['2027'].holidays])).toEqual([
        ['2027.json', 'revised', ['2027-01-01', '2027-02-05']],
      ]);
    });

    it('lists by name, not in the order loaded, so the later name wins a year both list', async () => {
      const store = opened();
      await store.put('b-revision.json', year('2027', ['2027-02-05'], 'b'), { from: '/tmp/b', at });
      await store.put('a-notice.json', year('2027', ['2027-01-01'], 'a'), { from: '/tmp/a', at });
      await store.put('Z-upper.json', year('2028', ['2028-01-03'], 'Z'), { from: '/tmp/Z', at });
      expect((await opened().list()).map((c) => c.name)).toEqual(['Z-upper.json', 'a-notice.json', 'b-revision.json']);
      const { calendar, sources } = await loadCalendarFrom(opened(), { env: {} });
      expect(calendar.data.years['2027'].notice).toBe('b');
      expect(sources['2027']).toBe((await store.list())[2].source);
    });

    it('installCalendar: a file is kept under its name (.json added), and the calendar read next covers its year', async () => {
      const store = opened();
      expect((await loadCalendarFrom(opened(), { env: {} })).calendar.covers(2027)).toBe(false);
      const installed = await installCalendar(store, file('cn-workdays-2027', year('2027', ['2027-01-01'])), { env: {} });
      expect(installed).toMatchObject({ years: [2027], coveredYears: expect.arrayContaining([2019, 2026, 2027]) });
      const loaded = await loadCalendarFrom(opened(), { env: {} });
      expect(loaded.sources['2027']).toBe(installed.installedAs);
      expect((await opened().list()).map((c) => c.name)).toEqual(['cn-workdays-2027.json']);
      expect(loaded.calendar.day('2027-01-01')).toMatchObject({ working: false, calendarMissing: null });
    });

    it('installCalendar refuses a file that conflicts with the calendar in force, and keeps nothing', async () => {
      const store = opened();
      // 2018-12-29 (Sat) is a make-up working day of the built-in 2019 notice.
      await expect(installCalendar(store, file('bad.json', year('2018', ['2018-12-29'])), { env: {} })).rejects.toThrow(
        '2018-12-29 is a holiday in years.2018 and a make-up working day in years.2019',
      );
      expect(await opened().list()).toEqual([]);
    });

    it('CBEC_CALENDAR_FILE is read after the loaded calendars and wins a year both list', async () => {
      await installCalendar(opened(), file('2027.json', year('2027', ['2027-01-01'], 'loaded')), { env: {} });
      const override = file('override.json', year('2027', ['2027-01-01', '2027-01-04'], 'from the variable'));
      const { calendar, sources } = await loadCalendarFrom(opened(), { env: { CBEC_CALENDAR_FILE: override } });
      expect([calendar.data.years['2027'].notice, sources['2027']]).toEqual(['from the variable', override]);
    });
  });
}
