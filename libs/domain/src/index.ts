export const POLICY_VERSION = 'LZB-2019-4';
