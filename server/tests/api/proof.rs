//! The proof harnesses, in this binary so that the test build links one executable, not four.
//! Each is short by default and long under `cargo make proof` (settings in each module).
//!
//! They are ignored in the ordinary run: they measure the server under load, and beside a
//! hundred other tests on two cores they would measure the other tests. Run them on their own,
//! one at a time: `cargo test -p server --test api -- --ignored --test-threads 1 proof::`
//! (`cargo make test` does, on SQLite and on PostgreSQL).

mod crash;
mod load;
mod outage;

/// Crash without loss: webhooks while the server is SIGKILLed (crash.rs).
#[test]
#[ignore = "a proof harness: run on its own with `--ignored --test-threads 1 proof::`"]
fn crash() {
    assert!(
        crash::run(),
        "the crash proof failed (its checks and the server log above)"
    );
}

/// LedgerOS down (503, then 429) while people sign up, with SIGKILLs (outage.rs).
#[test]
#[ignore = "a proof harness: run on its own with `--ignored --test-threads 1 proof::`"]
fn outage() {
    assert!(
        outage::run(),
        "the outage proof failed (its checks and the server log above)"
    );
}

/// Open status pages under a steady stream of webhooks (load.rs).
#[test]
#[ignore = "a proof harness: run on its own with `--ignored --test-threads 1 proof::`"]
fn load() {
    assert!(
        load::run(),
        "the load proof failed (its checks and the server log above)"
    );
}
