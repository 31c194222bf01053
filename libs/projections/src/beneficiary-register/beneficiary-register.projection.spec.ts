import { readInbox } from '../inbox/get-inbox/get-inbox.query';
import { given } from '../testing/given-events';
import { describeEachEngine } from '../testing/read-model-engines';
import { uscc } from '../testing/scenario';
import { readRegistration } from './get-registration/get-registration.query';
import { registrationInForce } from './beneficiary-register.projection';

const COM = { user: 'com-officer', unit: 'COM', role: 'officer' };

describeEachEngine('the beneficiary register as people read it', (engine) => {
  it('gives the entries of a USCC with their sources, oldest first, the latest as current', async () => {
    const g = await given(
      async (s) => {
        await s.recordRegistration(uscc(1), '341502', '2019-07-01', '六市监 2019-7');
        await s.recordRegistration(uscc(1), '340104', '2015-03-01', '合市监 2015-3');
      },
      undefined,
      engine,
    );
    const read = await readRegistration(g.readModels.reader, uscc(1), COM);
    expect(read.history.map((e) => [e.division, e.date, e.documentNo, e.source])).toEqual([
      ['340104', '2015-03-01', '合市监 2015-3', '市场监管登记档案'],
      ['341502', '2019-07-01', '六市监 2019-7', '市场监管登记档案'],
    ]);
    expect(read.current).toMatchObject({ division: '341502', recordedBy: 'com-officer', eventId: expect.any(String) });
    expect((await registrationInForce(g.readModels.reader, uscc(1), 2018))?.division).toBe('340104');
    const none = await readRegistration(g.readModels.reader, uscc(2), COM);
    expect(none).toEqual({ uscc: uscc(2), current: null, history: [] });
  });

  it('lets an applicant read its own registration only', async () => {
    const g = await given(async () => undefined, undefined, engine);
    const applicant = { user: 'a', unit: 'APPLICANT', role: 'applicant', uscc: uscc(1) };
    await expect(readRegistration(g.readModels.reader, uscc(2), applicant)).rejects.toThrow(expect.objectContaining({ httpStatus: 403 }));
    expect(await readRegistration(g.readModels.reader, uscc(1), applicant)).toMatchObject({ current: null });
  });

  it('flags an inbox item whose beneficiary the register does not confirm for the award year', async () => {
    const g = await given(
      async (s) => {
        await s.submit('a-1', 'P1', uscc(1));
        await s.submit('a-2', 'P1', uscc(2));
        await s.recordRegistration(uscc(2), '341503', '2018-01-02', 'D-2');
      },
      undefined,
      engine,
    );
    const items = (await readInbox(g.readModels.reader, 'FIN', null, 10)).items;
    expect(items.find((i) => i.uscc === uscc(1))).toMatchObject({ registeredDivision: null, localityConfirmed: false });
    expect(items.find((i) => i.uscc === uscc(2))).toMatchObject({ registeredDivision: '341503', localityConfirmed: true });
  });
});
