import { deciderSpec, evolveAll, IdConflict, InvalidCommand } from '../decider';
import { usccCheckCharacter } from '../shared/uscc';
import type { BeneficiaryCommand } from './beneficiary.commands';
import { beneficiaryDecider } from './beneficiary.decider';
import type { BeneficiaryEvent, RegistrationRecorded } from './beneficiary.events';
import { registrationInYear } from './beneficiary.state';

const PLATFORM = '91340100MA2P00002' + usccCheckCharacter('91340100MA2P00002');
const given = deciderSpec(beneficiaryDecider);

const record = (documentNo: string, division: string, date: string): Extract<BeneficiaryCommand, { type: 'RecordRegistration' }> => ({
  type: 'RecordRegistration',
  data: { uscc: PLATFORM, division, date, documentNo, source: '六安市市场监督管理局登记档案', recordedBy: 'com-liu', batchId: 'batch-1' },
});
const recorded = (c: ReturnType<typeof record>): RegistrationRecorded => ({ type: 'RegistrationRecorded', data: { ...c.data } });

describe('the beneficiary register: where a USCC is registered, from which extract, since when', () => {
  it('given nothing, when COM records an extract, then it is the registration from its date', () => {
    given([])
      .when(record('六市监 2018-12', '341502', '2018-05-02'))
      .then([recorded(record('六市监 2018-12', '341502', '2018-05-02'))]);
  });

  it('given the same extract recorded, when imported again, then nothing new; with other data, an id conflict', () => {
    const first = recorded(record('六市监 2018-12', '341502', '2018-05-02'));
    given([first])
      .when(record('六市监 2018-12', '341502', '2018-05-02'))
      .then([]);
    given([first])
      .when(record('六市监 2018-12', '341503', '2018-05-02'))
      .thenThrows(IdConflict);
  });

  it('refuses a division that is not a GB/T 2260 code, and a date that is not one', () => {
    given([])
      .when(record('x', '3415', '2018-05-02'))
      .thenThrows(InvalidCommand, { field: 'division' });
    given([])
      .when(record('x', '341502', '2018-02-30'))
      .thenThrows(InvalidCommand, { field: 'date' });
  });

  it('decides an award year by the entry in force on its 31 December: a platform that moved into 六安 in 2019 is local for 2019, not 2018', () => {
    const events: BeneficiaryEvent[] = [recorded(record('合肥 2015-3', '340104', '2015-03-01')), recorded(record('六市监 2019-7', '341502', '2019-07-01'))];
    const state = evolveAll(beneficiaryDecider, events);
    expect(registrationInYear(state, 2018)?.division).toBe('340104');
    expect(registrationInYear(state, 2019)?.division).toBe('341502');
    expect(registrationInYear(state, 2014)).toBeNull();
  });
});
