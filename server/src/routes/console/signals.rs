//! Signals on the funnel page (issue 30): signups this hour against the same hour last week,
//! how many of the last day's confirmed and started, how many were refused for a throwaway
//! address, and the networks most signups came from, so that a spike of bots shows.

use leptos::prelude::*;
use onboarding::store::SignupSignals;

/// A share as words: "12 of 40 (30%)".
fn share(part: i64, whole: i64) -> String {
    if whole == 0 {
        format!("{part} of 0")
    } else {
        format!("{part} of {whole} ({:.0}%)", 100.0 * part as f64 / whole as f64)
    }
}

/// The hour against the same hour last week, in words.
fn against_last_week(now: i64, before: i64) -> String {
    match (now, before) {
        (n, 0) => format!("{n} (none in the same hour last week)"),
        (n, b) => format!(
            "{n} ({:.1}× the {b} of the same hour last week)",
            n as f64 / b as f64
        ),
    }
}

pub(super) fn panel(signals: &SignupSignals) -> AnyView {
    let networks: Vec<_> = signals
        .top_networks
        .iter()
        .map(|(network, count)| view! { <tr><td>{network.clone()}</td><td>{*count}</td></tr> })
        .collect();
    let no_networks = networks.is_empty();
    view! {
        <h2>"Signals"</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Signup signals">
            <table class="info-table">
                <tbody>
                    <tr><th scope="row">"Signups in the last hour"</th><td>{against_last_week(signals.last_hour, signals.same_hour_last_week)}</td></tr>
                    <tr><th scope="row">"Signups in the last 24 hours"</th><td>{signals.day_signups}</td></tr>
                    <tr><th scope="row">"… who confirmed their email"</th><td>{share(signals.day_confirmed, signals.day_signups)}</td></tr>
                    <tr><th scope="row">"… who started verification"</th><td>{share(signals.day_started, signals.day_signups)}</td></tr>
                    <tr><th scope="row">"Refused: throwaway address"</th><td>{signals.day_throwaway}</td></tr>
                </tbody>
            </table>
        </div>
        <h3>"Where signups came from (last 24 hours)"</h3>
        {if no_networks {
            view! { <p class="muted">"No signups in the last 24 hours."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Sending networks">
                    <table class="info-table">
                        <thead><tr><th scope="col">"Network"</th><th scope="col">"Signup forms"</th></tr></thead>
                        <tbody>{networks}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::{against_last_week, share};

    #[test]
    fn figures_read_as_words() {
        assert_eq!(share(3, 12), "3 of 12 (25%)");
        assert_eq!(share(0, 0), "0 of 0");
        assert_eq!(
            against_last_week(30, 10),
            "30 (3.0× the 10 of the same hour last week)"
        );
        assert_eq!(against_last_week(4, 0), "4 (none in the same hour last week)");
    }
}
