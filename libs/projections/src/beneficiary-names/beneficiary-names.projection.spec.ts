import { given } from '../testing/given-events';
import { describeEachEngine } from '../testing/read-model-engines';
import { uscc } from '../testing/scenario';
import { beneficiaryNameOf, beneficiaryNamesProjection, customsNameOf } from './beneficiary-names.projection';

const zeros = { export9610Usd: '0.00', cbecImportUsd: '0.00', cbecExportUsd: '0.00', totalExportUsd: '0.00', platformLocalOnlineTradeUsd: null };

describeEachEngine('beneficiary names from the customs statistics', (engine) => {
  it('keeps the name of the latest year per USCC, whatever order the years are imported in', async () => {
    const g = await given(
      async (s) => {
        await s.importCustoms(2019, [{ uscc: uscc(1), name: '六安市金安区新名称有限公司', ...zeros }]);
        await s.importCustoms(2018, [{ uscc: uscc(1), name: '六安市金安区旧名称有限公司', ...zeros }]);
      },
      [beneficiaryNamesProjection],
      engine,
    );
    expect(await customsNameOf(g.readModels.reader, uscc(1))).toBe('六安市金安区新名称有限公司');
  });

  it('takes a revised name of the same year', async () => {
    const g = await given(
      async (s) => {
        await s.importCustoms(2019, [{ uscc: uscc(2), name: '霍山县甲公司', ...zeros }]);
        await s.importCustoms(2019, [{ uscc: uscc(2), name: '霍山县甲股份有限公司', ...zeros, totalExportUsd: '1.00' }]);
      },
      [beneficiaryNamesProjection],
      engine,
    );
    expect(await customsNameOf(g.readModels.reader, uscc(2))).toBe('霍山县甲股份有限公司');
  });

  it('prefers the name the application gave, and knows no name for an enterprise without statistics', async () => {
    const g = await given(
      async (s) => {
        await s.importCustoms(2019, [{ uscc: uscc(3), name: '海关登记名称', ...zeros }]);
      },
      [beneficiaryNamesProjection],
      engine,
    );
    expect(await beneficiaryNameOf(g.readModels.reader, uscc(3), null)).toBe('海关登记名称');
    expect(await beneficiaryNameOf(g.readModels.reader, uscc(3), '申报名称')).toBe('申报名称');
    expect(await beneficiaryNameOf(g.readModels.reader, uscc(4), null)).toBeNull();
  });
});
