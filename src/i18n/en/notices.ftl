# What the server says after a form: notices and the errors it finds itself.
notice-try-again = Something went wrong on our side. Please try again in a minute.
notice-send-form-again = This form was open too long. Please check it and send it again.
notice-too-many-attempts = Too many attempts. Please try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
notice-account-ready = Your account is ready. Please log in.
notice-already-confirmed = Your email is already confirmed and your account is ready. Please log in.
error-wrong-signup-password = That's not the password chosen when signing up with this address. Try again, or sign up again to choose a new one.
error-login-mismatch = That email and password don't match an account. Check both and try again.
notice-logged-out = You've logged out. See you soon.
notice-reset-sent = If an account uses { $email }, we've sent it a link to choose a new password. The link works for { $minutes } minutes. Nothing there? Check your spam folder, or try again in a few minutes.
notice-password-changed-log-in = Your password is changed. Please log in with it.
notice-password-changed = Your password is changed, and you've been logged out everywhere else.
notice-reminders-on = Reminders are on.
notice-reminders-off = Reminders are off. We won't send any more.
notice-reminders-back-on = Reminders are back on.
notice-partner-unreachable = We couldn't reach our verification partner just now. Your progress is saved: please try again in a minute.
notice-no-details-asked = LedgerOS isn't asking for any details right now, so nothing was sent.
notice-details-unreachable = We couldn't reach LedgerOS just now. Your details are still here: please try again in a minute.
notice-details-sent = Thanks: your details are with LedgerOS. We'll show what happens next here.
error-appeal-empty = Tell us briefly why you think the decision is wrong.
error-appeal-too-long = Please keep your message under { $max } characters.
notice-appeal-received = We've received your appeal. Our support team will reply by email within 2 business days.
too-many-title = Too many attempts
