use leptos::prelude::*;
use leptos_meta::Title;

/// Explains identity verification before anything starts: why, what to have ready, how long.
#[component]
pub fn Landing() -> impl IntoView {
    view! {
        <Title text="Open your account" />
        <section class="hero">
            <h1>"Your card, a few minutes away"</h1>
            <p class="lead">
                "Open an account, verify your identity once, and you're ready to deposit and get cards. "
                "Here's what to expect before you start."
            </p>
            <div class="actions">
                <a class="button" href="/signup">"Create your account"</a>
                <a class="button button-secondary" href="/login">"I already have an account"</a>
            </div>
        </section>

        <section class="panel" aria-labelledby="why-title">
            <h2 id="why-title">"Why we verify your identity"</h2>
            <p>
                "Card issuing is regulated: before anyone can deposit funds, receive cards or make transactions, the law requires us to know who they are (this is called KYC, \"know your customer\"). "
                "It can't be skipped, and it protects you from someone opening an account in your name."
            </p>
        </section>

        <section class="panel" aria-labelledby="ready-title">
            <h2 id="ready-title">"What to have ready"</h2>
            <table class="info-table">
                <caption class="visually-hidden">"Information the verification asks for"</caption>
                <thead><tr><th scope="col">"What"</th><th scope="col">"Details"</th></tr></thead>
                <tbody>
                    <tr><th scope="row">"Identity"</th><td>"Your full legal name and date of birth"</td></tr>
                    <tr><th scope="row">"Contact"</th><td>"Your email address and phone number"</td></tr>
                    <tr><th scope="row">"Address"</th><td>"Street address, city, state, postal code and country"</td></tr>
                    <tr><th scope="row">"Tax ID"</th><td>"Your Social Security number (US) or your country's equivalent"</td></tr>
                    <tr><th scope="row">"Documents"</th><td>"A government-issued photo ID, such as a passport or driver's license"</td></tr>
                </tbody>
            </table>
            <p class="muted">"Sometimes LedgerOS asks for more, like proof of address or a selfie. We'll tell you exactly what, if it does."</p>
        </section>

        <section class="panel" aria-labelledby="time-title">
            <h2 id="time-title">"How long it takes"</h2>
            <ol class="timeline">
                <li><strong>"Create your account"</strong>" — a minute, with a link we email you to confirm your address"</li>
                <li><strong>"Complete verification"</strong>" — about 5–10 minutes on LedgerOS's secure page"</li>
                <li><strong>"Automatic check"</strong>" — usually 1–5 minutes"</li>
                <li><strong>"Manual review, if needed"</strong>" — 1–2 business days"</li>
                <li><strong>"Deposit and get cards"</strong>" — as soon as you're approved"</li>
            </ol>
        </section>

        <section class="panel" aria-labelledby="data-title">
            <h2 id="data-title">"How we handle your personal data"</h2>
            <ul>
                <li>"Verification happens on the secure page of LedgerOS, our regulated verification partner."</li>
                <li>"Your Social Security number and ID documents go straight to LedgerOS. We never store them."</li>
                <li>"We keep your name, email address and your verification status, so we can show you where you stand."</li>
            </ul>
        </section>

        <section class="cta-band">
            <h2>"Ready when you are"</h2>
            <p>"If you stop half way, you can pick up where you left off whenever you come back."</p>
            <a class="button" href="/signup">"Create your account"</a>
        </section>
    }
}
