/**
 * The Secret the operator creates before the first apply (README: "Create the Secret"). Kept
 * apart from the constructs so that `npm run validate` knows it without loading cdk8s.
 */
export const PGPASSWORD_SECRET = { name: 'pgpassword', key: 'PGPASSWORD' } as const;
