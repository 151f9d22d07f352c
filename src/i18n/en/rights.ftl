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
