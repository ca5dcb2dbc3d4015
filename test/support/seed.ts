// The one seed of every fast-check run in the suite, so a run can always be replayed: fixed by
// default, GUIZE_FAST_CHECK_SEED=<n> to try another. test/global-setup.ts prints it once;
// test/fast-check-seed.ts gives it to fast-check in each test worker. A test that passes its own
// seed (policy-fuzz's GUIZE_FUZZ_SEED, the oracle's GUIZE_ORACLE_SEED) keeps it.

export const FAST_CHECK_SEED = Number(process.env.GUIZE_FAST_CHECK_SEED ?? 20261203);
