import { POLICY_VERSION } from '@cbec/domain';
console.log(JSON.stringify({ policyVersion: POLICY_VERSION }));
