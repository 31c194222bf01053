import { NewEvent } from '@cbec/event-store';
import { deterministicEventId } from '@cbec/platform';

/** The applicant every benchmark submission is made for. */
export const APPLICANT_USCC = '91341502MA2DEM001K';

/** The body of every benchmark submission: a P2a application with two invoiced platform fees. */
export const SUBMISSION_BODY = JSON.stringify({
  program: 'P2a',
  year: 2019,
  beneficiary: { uscc: APPLICANT_USCC, kind: 'enterprise', manufacturing: false },
  claims: {
    promotesOnThirdPartyPlatform: true,
    platformFeesCny: [
      { amountCny: '120000.00', invoiceRef: 'INV-2019-0731' },
      { amountCny: '30000.00', invoiceRef: 'INV-2019-1120' },
    ],
  },
});

/**
 * The event a submission ends in, as the service stores it: ApplicationSubmitted (the same shape and size)
 * carrying the request body, for the baselines that append it without the service.
 */
export function submittedEvent(applicationId: string, request: Record<string, unknown>): NewEvent {
  return {
    eventId: deterministicEventId(applicationId, 0),
    type: 'ApplicationSubmitted',
    data: {
      ...request,
      applicationId,
      leadUnit: 'FIN',
      cooperatingUnits: ['COM', 'CUS', 'PBC'],
      policyVersion: 'LZB-2019-4',
      submittedBy: 'applicant-bench',
    },
    metadata: {
      correlationId: applicationId,
      causationId: null,
      commandId: applicationId,
      actor: { user: 'applicant-bench', unit: 'APPLICANT', role: 'applicant', uscc: APPLICANT_USCC },
      occurredAt: new Date().toISOString(),
      policyVersion: null,
    },
  };
}
