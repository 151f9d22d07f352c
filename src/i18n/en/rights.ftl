## The account page: the person's details and their data (issue 26).
nav-account = Your account
account-page-title = Your account
account-lead = Your details, and a copy of everything we hold about you.
account-details-title = Your details
account-name = Name
account-email = Email
account-language = Language
account-signed-up = Signed up
account-data-title = Your data
account-data-body = Download a copy of everything we hold about you, as a file that other apps can read (JSON): your details, the history of your verification, the emails we sent you, your appeals, and what was done with your account.
account-data-not-included = Your ID documents, selfie and tax number are not in it: they went straight to LedgerOS and we never stored them. Some compliance records about your verification are held and not included, as the law requires.
account-data-password = Your password
account-data-password-hint = We ask for it again to be sure it's you.
account-data-submit = Download my data
account-data-limit = You can download your data once a day.
account-back = Back to your status
notice-export-too-soon = You downloaded your data less than a day ago. You can download it again in { $hours ->
    [one] 1 hour
   *[other] { $hours } hours
}.
error-password-missing = Enter your password.
error-password-wrong = That's not your password. Try again.

## Deleting the account.
account-delete-title = Delete your account
account-delete-body = We'll email you a link to confirm. After you confirm, you're logged out and we stop emailing you. We wait { $days } days before deleting anything: log in during that time and nothing is deleted.
account-delete-hold = If LedgerOS has already made a decision about your identity (approved, not approved or locked), the law requires us to keep a record of that verification (your name, email, LedgerOS ids, its history and your appeals) for { $years } years after your account closes. Everything else is deleted, and you can no longer log in.
account-delete-submit = Delete my account
notice-deletion-sent = We've sent a link to { $email }. Open it to confirm that you want your account deleted. Nothing changes until you do.
notice-deletion-cancelled = Welcome back. You logged in, so your account will not be deleted.
delete-page-title = Delete your account?
delete-page-body = After you confirm, you're logged out and we stop emailing you. Your account is deleted on { $date }, unless you log in before then.
delete-page-submit = Yes, delete my account
delete-page-keep = No, keep my account
delete-page-invalid = This link doesn't work any more. It may have been used already, or it's more than { $hours } hours old. Log in and ask again from your account page.
deleted-page-title = Your account will be deleted
deleted-page-body = You're logged out, and we won't email you again except to confirm this. Your account is deleted on { $date }. Changed your mind? Log in before then and nothing is deleted.
email-delete-subject = Confirm that you want your account deleted
email-delete-intro = You asked us to delete your account. Open this link to confirm:
email-delete-expiry = The link works once and expires in { $hours } hours. If you didn't ask for this, ignore this email: nothing changes, but you may want to change your password.
email-deleted-subject = Your account will be deleted on { $date }
email-deleted-intro = You confirmed that you want your account deleted. We've logged you out everywhere and stopped our reminders.
email-deleted-when = Your account is deleted on { $date }. If LedgerOS already decided on your identity, the law requires us to keep a record of that verification for { $years } years; everything else is deleted.
email-deleted-cancel = Changed your mind? Log in before then and nothing is deleted:
account-back-home = Back to the home page
email-idle-subject = Your account will be deleted on { $date } unless you log in
email-idle-intro = Nobody has logged in to your account for { $days } days, and your identity verification was never started, so we plan to delete your account and what we hold about you.
email-idle-keep = To keep your account, log in before { $date }:
email-idle-nothing = If you don't need it any more, there's nothing to do.
