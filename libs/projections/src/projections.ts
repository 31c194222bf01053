import { beneficiaryRegisterProjection } from './beneficiary-register/beneficiary-register.projection';
import { beneficiaryNamesProjection } from './beneficiary-names/beneficiary-names.projection';
import { beneficiaryTotalsProjection } from './beneficiary-totals/beneficiary-totals.projection';
import { casesProjection } from './cases/cases.projection';
import { fundStatusProjection } from './fund-status/fund-status.projection';
import { inboxProjection } from './inbox/inbox.projection';
import type { Projection } from './runner/projection';

/** Every read model of `read-models.db`, in the order the runner applies a batch. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  casesProjection,
  inboxProjection,
  beneficiaryTotalsProjection,
  fundStatusProjection,
  beneficiaryNamesProjection,
  beneficiaryRegisterProjection,
];
