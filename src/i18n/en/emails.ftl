# Emails: plain text. A link is never inside a message: the code puts it after the words.
email-hello = Hello,
email-hi = Hi { $name },
email-sign-off = — The onboarding team

email-confirm-subject = Confirm your email to finish signing up
email-confirm-intro = Thanks for signing up. Open this link to confirm your email address and finish creating your account:
email-confirm-next = Next, we'll ask you to verify your identity with our partner LedgerOS. It takes 5 to 10 minutes, then usually 1 to 5 minutes for the result.
email-confirm-expiry = The link works once and expires in { $hours } hours. If you didn't sign up, ignore this email: no account is created without this link.

email-exists-subject = You already have an account
email-exists-intro = Someone, perhaps you, tried to create a new account with this email address. You already have an account, so nothing was changed.
email-exists-login = To log in:
email-exists-forgot = Forgot your password? Choose a new one here:
email-exists-not-you = If it wasn't you, you can ignore this email. Your account and password are unchanged.

email-reset-subject = Reset your password
email-reset-intro = We received a request to reset your password. Open this link to choose a new one:
email-reset-expiry = The link works once and expires in { $minutes } minutes. Setting a new password logs you out everywhere else.
email-reset-not-you = If you didn't ask for this, ignore this email: your password stays the same.

email-changed-subject = Your password was changed
email-changed-intro = Your password was just changed, and every other session was logged out.
email-changed-not-you = If this was you, there's nothing else to do. If it wasn't, reset your password now and contact support:

email-step-not-started = Start your identity verification. It takes 5 to 10 minutes: have your Social Security number, a photo ID and a recent proof of address ready.
email-step-pending = Finish your identity verification. Your answers so far are saved, so you'll pick up where you left off.
email-step-needs-information = Send { $what }. For a document, a photo or scan (PDF, JPEG or PNG, up to 10 MB) is enough.
email-step-needs-verification = Verify your identity again. LedgerOS couldn't confirm some details and needs you to go through the check once more.
email-requested-fallback = the extra information LedgerOS asked for
email-list-separator = ,{" "}

email-approved-subject = You're verified: your account is ready
email-approved-news = Good news: LedgerOS has verified your identity, and your account is ready.
email-approved-next = You can now deposit money and get your cards. Start here:
email-denied-subject = About your identity verification
email-denied-news = We're sorry: LedgerOS could not verify your identity, so we can't open an account for you. This decision can't be changed by trying again.
email-denied-next = If you think the decision is wrong, you can appeal: open your status page and tell us why. Our support team replies by email within 2 business days.
email-locked-subject = Your account is locked
email-locked-news = Your account has been locked for your protection, so deposits and cards are paused for now.
email-locked-next = Please contact our support team at { $support }; they will tell you what happens next. Your status:
email-needs-information-subject = LedgerOS needs a document from you
email-needs-information-news = To finish your verification, LedgerOS needs: { $what }.
email-needs-information-next = Send it from your status page (for a document, a photo or scan, PDF, JPEG or PNG, up to 10 MB). Once LedgerOS has everything, a person there reviews your details, usually within 1–2 business days:
email-needs-verification-subject = Please verify your identity again
email-needs-verification-news = LedgerOS couldn't confirm some of your details and needs you to go through the identity check once more.
email-needs-verification-next = It takes 5 to 10 minutes. Start here:

email-link-subject = Your identity verification link
email-link-intro = Our support team asked us to send you the link to your identity verification again. It takes 5 to 10 minutes, and you continue where you left off:
email-link-status = You'll be asked to log in first if you aren't already. Your status page shows where you stand:

email-appeal-subject = About your appeal
email-appeal-intro = Our support team has looked at your appeal. Their reply:
email-appeal-status = Your status page shows the date of this reply:
email-appeal-answer = To answer, reply to { $support }.

email-reminder-subject = Finish verifying your identity
email-reminder-intro = Your account is almost ready. One step is left before you can deposit money and get your cards:
email-reminder-continue = Continue here:
email-reminder-why = Identity verification is required by law for financial accounts; it protects you and keeps fraud out.
email-reminder-stop = Don't want these reminders? Turn them off in one click:

email-can-start-subject = You can start your identity verification
email-can-start-intro = Thanks for waiting. You can now verify your identity: it takes about five minutes, with your ID document at hand.
email-can-start-link = To start:
