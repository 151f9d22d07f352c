# Every page: the header, the footer and the language switcher.
skip-to-content = Skip to content
nav-label = Account
nav-signed-in-as = Signed in as { $name }
nav-your-status = Your status
nav-log-out = Log out
nav-log-in = Log in
nav-sign-up = Sign up
footer-privacy = Identity verification is provided by LedgerOS. We never store your Social Security number or ID documents. Questions?
language-label = Language
language-change = Change

# The landing page.
landing-page-title = Open your account
landing-title = Your card, a few minutes away
landing-lead = Open an account, verify your identity once, and you're ready to deposit and get cards. Here's what to expect before you start.
landing-create = Create your account
landing-have-account = I already have an account
landing-why-title = Why we verify your identity
landing-why-body = Card issuing is regulated: before anyone can deposit funds, receive cards or make transactions, the law requires us to know who they are (this is called KYC, "know your customer"). It can't be skipped, and it protects you from someone opening an account in your name.
landing-ready-title = What to have ready
landing-ready-caption = Information the verification asks for
landing-ready-what = What
landing-ready-details = Details
landing-ready-identity = Identity
landing-ready-identity-details = Your full legal name and date of birth
landing-ready-contact = Contact
landing-ready-contact-details = Your email address and phone number
landing-ready-address = Address
landing-ready-address-details = Street address, city, state, postal code and country
landing-ready-tax = Tax ID
landing-ready-tax-details = Your Social Security number (US) or your country's equivalent
landing-ready-documents = Documents
landing-ready-documents-details = A government-issued photo ID, such as a passport or driver's license
landing-ready-more = Sometimes LedgerOS asks for more, like proof of address or a selfie. We'll tell you exactly what, if it does.
landing-time-title = How long it takes
landing-time-account = Create your account
landing-time-account-details = — a minute, with a link we email you to confirm your address
landing-time-verify = Complete verification
landing-time-verify-details = — about 5–10 minutes on LedgerOS's secure page
landing-time-check = Automatic check
landing-time-check-details = — usually 1–5 minutes
landing-time-review = Manual review, if needed
landing-time-review-details = — 1–2 business days
landing-time-cards = Deposit and get cards
landing-time-cards-details = — as soon as you're approved
landing-data-title = How we handle your personal data
landing-data-partner = Verification happens on the secure page of LedgerOS, our regulated verification partner.
landing-data-never = Your Social Security number and ID documents go straight to LedgerOS. We never store them.
landing-data-keep = We keep your name, email address and your verification status, so we can show you where you stand.
landing-ready-cta-title = Ready when you are
landing-ready-cta-body = If you stop half way, you can pick up where you left off whenever you come back.

# Signing up.
signup-page-title = Create your account
signup-lead = We'll email you a link to confirm your address. Then you'll verify your identity with our partner LedgerOS: about 5–10 minutes.
field-first-name = First name
field-last-name = Last name
field-email = Email address
field-email-hint = We'll send updates about your verification here.
field-new-password = Create a password
field-new-password-hint = At least 12 characters. A few words together work well.
signup-submit = Create account
signup-have-account = Already have an account?

# Logging in.
login-page-title = Log in
login-lead = Pick up where you left off with your verification.
field-password = Password
login-forgot = Forgot your password?
login-new-here = New here?
login-create = Create an account
login-just-signed-up = Just signed up? Open the link in the email we sent you first: it finishes creating your account.

# Forms.
form-error-prefix = Error:{" "}
form-fix-title = Please fix the following

# An unknown address, and the return from the hosted page.
not-found-page-title = Page not found
not-found-title = We can't find that page
not-found-body = The link may be old or mistyped.
not-found-home = Go to the start
not-found-status = See your status
return-page-title = Welcome back
password-show = Show password
password-hide = Hide password
