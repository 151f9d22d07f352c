# The status page: the heading, the status card for each status, and what surrounds it.
status-hello = Hi { $name }, here's where you stand
status-welcome = Welcome aboard, { $name }
status-session-ended = Your session has ended.
status-log-in-again = Log in again
status-to-see = to see your status.
status-load-failed = We couldn't load your status just now. Reload the page to try again.
status-eyebrow = Identity verification
status-next-label = What happens next:{" "}
status-wait-note = We'll show the decision here as soon as it's made.
status-make-deposit = Make a deposit
status-contact-support = Contact support
status-what-ledgeros-needs = What LedgerOS needs
status-other-information = Other information
status-confirmed-just-now = Last confirmed with LedgerOS just now.
status-confirmed-minutes = Last confirmed with LedgerOS { $count ->
    [one] 1 minute
   *[other] { $count } minutes
} ago.
status-confirmed-hours = Last confirmed with LedgerOS { $count ->
    [one] 1 hour
   *[other] { $count } hours
} ago.
status-confirmed-days = Last confirmed with LedgerOS { $count ->
    [one] 1 day
   *[other] { $count } days
} ago.

action-start-verification = Start verification
action-continue-verification = Continue verification
action-verify-again = Verify again

status-setting-up-title = Setting up your verification
status-setting-up-body = We're preparing your identity verification with LedgerOS, our verification partner.
status-setting-up-next = This usually takes a few seconds. You can start as soon as it's ready, or come back later: your account is saved.
status-budget-wait-title = You're on the list
status-budget-wait-body = Your account is ready. So many people signed up today that identity verification opens for you a little later.
status-budget-wait-next = We'll email you when you can start, usually within hours. There's nothing you need to do until then.
status-waiting-title = We're waiting for LedgerOS
status-waiting-body = Thanks for completing verification. LedgerOS is checking your details: this usually takes 1–5 minutes.
status-waiting-next = This page updates by itself as soon as there's a decision. If you closed the verification page before finishing, continue where you left off.
status-not-started-title = Verify your identity to get started
status-not-started-body = Before you can deposit money or get a card, we need to confirm who you are. It takes about 5–10 minutes.
status-not-started-next = You'll go to LedgerOS's secure page, then come back here.
status-pending-title = Verification in progress
status-pending-body = Finish the four steps on LedgerOS's secure page: personal information, a photo of your ID, a selfie and your address. If you've already finished, LedgerOS is checking your details: that usually takes 1–5 minutes.
status-pending-next = Continue where you left off, or wait here: this page updates by itself.
status-needs-information-title = We need a few more documents
status-needs-information-body = LedgerOS couldn't confirm everything automatically and needs the documents listed below.
status-needs-information-next = Upload each document here. Once LedgerOS has them all, a person there reviews your details, usually within 1–2 business days.
status-needs-verification-title = Please verify again
status-needs-verification-body = LedgerOS needs you to go through verification once more, for example because a photo was unclear.
status-needs-verification-next = It takes about 5–10 minutes. You'll come back here when you're done.
status-manual-review-title = Verification in progress
status-manual-review-body = A person at LedgerOS is reviewing your details. This usually takes 1–2 business days.
status-manual-review-next = There's nothing you need to do. This page shows the decision as soon as it's made.
status-approved-title = You're verified
status-approved-body = Your identity is confirmed. Deposits and cards are now open to you.
status-approved-next = Make your first deposit, then order your card.
status-denied-title = We couldn't verify your identity
status-denied-body = LedgerOS could not approve your verification, and it can't be tried again.
status-denied-next = If you think this is a mistake, contact our support team to appeal.
status-locked-title = Your account is locked
status-locked-body = Your account has been locked, so deposits and cards are paused.
status-locked-next = Contact our support team: they'll tell you why and what to do.
status-canceled-title = Verification closed
status-canceled-body = This verification was closed and can't be continued.
status-canceled-next = Contact our support team if you'd like to open your account again.
status-unknown-title = Verification under review
status-unknown-body = Your verification is being processed.
status-unknown-next = There's nothing you need to do right now. This page shows any news as soon as we have it.

# Deposit and cards, and the reminders switch, under the status card.
features-locked-note = Available once your identity is verified.
features-deposit-title = Deposit funds
features-deposit-body = Add money by bank transfer. Deposits usually arrive within one business day.
features-deposit-details = Your account details for transfers appear here.
features-cards-title = Cards
features-cards-body = Create virtual cards for your agents and order a physical card.
reminders-title = Email reminders
reminders-on-text = If your verification waits on you, we'll send up to three short reminder emails.
reminders-turn-off = Turn off reminders
reminders-off-text = Reminder emails are off. You can turn them back on at any time.
reminders-turn-on = Turn reminders on
