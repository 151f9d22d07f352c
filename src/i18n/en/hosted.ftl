## LedgerOS's hosted verification page, as the built-in sandbox serves it (`sandbox/src/hosted`).
## "LedgerOS Sandbox" is a name and stays as it is.

hosted-banner = Test environment: no real identity check happens, and nothing you enter is kept.
hosted-error-title = Error: { $title }
hosted-error-prefix = Error:{" "}
hosted-problem = There is a problem
hosted-invalid-title = Link not valid
hosted-invalid-heading = This verification link is not valid
hosted-invalid-body = Go back to the app and open the verification again to get a fresh link.
hosted-wrong = Something went wrong

hosted-progress = Step { $step } of { $total }
hosted-steps = Verification steps
hosted-done = (done)
hosted-back = Back
hosted-continue = Continue

hosted-step-personal = Personal information
hosted-step-government-id = Government ID
hosted-step-selfie = Selfie
hosted-step-address = Address
hosted-step-review = Sandbox controls

hosted-personal-intro = We need a few details to confirm who you are. Use your name exactly as it appears on your ID.
hosted-first-name = Legal first name
hosted-last-name = Legal last name
hosted-date-of-birth = Date of birth
hosted-date-of-birth-hint = For example 1990-04-27
hosted-phone = Phone number
hosted-phone-hint = Include the country code, like +1 555 010 0100
hosted-tax-id = SSN or tax ID
hosted-tax-id-hint = US: 9-digit SSN or ITIN, like 123-45-6789. Elsewhere: your national tax ID. It is checked and never stored.
hosted-error-first-name = Enter your legal first name
hosted-error-last-name = Enter your legal last name
hosted-error-date-of-birth = Enter your date of birth
hosted-error-date-of-birth-format = Enter a real date in the form YYYY-MM-DD
hosted-error-date-of-birth-real = Enter a real date of birth
hosted-error-date-of-birth-age = You must be at least 18 years old
hosted-error-phone = Enter your phone number
hosted-error-phone-digits = Enter a phone number with 7 to 15 digits, like +1 555 010 0100
hosted-error-tax-id = Enter your SSN or tax ID
hosted-error-tax-id-invalid = Enter a valid SSN (9 digits, like 123-45-6789) or tax ID

hosted-id-intro = Upload a photo or scan of a valid government-issued ID.
hosted-id-type = Type of ID
hosted-id-front = Front of your ID
hosted-id-front-hint = JPEG, PNG or PDF. In the sandbox any file works; its content is discarded.
hosted-id-sample = Use a sample ID instead (sandbox only)
hosted-error-id-type = Choose the type of ID
hosted-error-id-front = Upload the front of your ID, or use the sample ID

hosted-selfie-intro = A quick selfie confirms that you are the person on the ID (liveness check).
hosted-selfie-photo = Selfie photo
hosted-selfie-hint = A clear photo of your face. In the sandbox any image works; its content is discarded.
hosted-selfie-liveness = Take selfie (simulated)
hosted-error-selfie = Upload a selfie, or tick “{ hosted-selfie-liveness }”

hosted-address-intro = Where you live now. A PO box is not accepted.
hosted-line1 = Street address
hosted-line2 = Apartment, suite, etc. (optional)
hosted-city = City or town
hosted-region = State, province or region
hosted-postal-code = Postal code
hosted-country = Country
hosted-country-hint = Two-letter code, like US
hosted-error-line1 = Enter the first line of your street address
hosted-error-city = Enter your city or town
hosted-error-region = Enter your state, province or region
hosted-error-postal-code = Enter your postal code
hosted-error-country = Enter a two-letter country code, like US

hosted-status-not-started = Not started
hosted-status-pending = Pending
hosted-status-needs-information = Needs information
hosted-status-needs-verification = Needs verification
hosted-status-manual-review = Manual review
hosted-status-approved = Approved
hosted-status-denied = Denied
hosted-status-locked = Locked
hosted-status-canceled = Canceled
hosted-status-other = Other

hosted-review-complete = All four steps are complete.
hosted-review-current = Current status:{" "}
hosted-review-scheduled = Scheduled: { $what }.
hosted-documents-title = Upload requested documents
hosted-documents-samples = Use sample documents (sandbox only)
hosted-documents-upload = Upload documents
hosted-error-documents = Choose at least one file to upload, or use sample documents

hosted-outcome-title = Choose the outcome
hosted-outcome-intro = Real LedgerOS reviews the application now. Here you decide what happens: the status changes, a signed webhook goes to the app, and you return to the app.
hosted-outcome = Outcome
hosted-outcome-approve = Approve
hosted-outcome-deny = Deny (uses the reason below)
hosted-outcome-needs-information = Needs information (request the documents below)
hosted-outcome-needs-verification = Needs verification (the user starts again)
hosted-outcome-manual-review = Manual review, then approve or deny
hosted-outcome-lock = Lock the account
hosted-reason = Denial reason (for deny)
hosted-request = Documents to request (for needs information)
hosted-manual-review = Manual review
hosted-then-approve = Then approve
hosted-then-deny = Then deny (with the reason above)
hosted-review-seconds = Review takes (seconds)
hosted-delay = Delay before the outcome (seconds)
hosted-delay-hint = How long the application stays as it is before the outcome applies
hosted-webhooks = Webhook delivery (advanced)
hosted-delivery = Delivery
hosted-delivery-normal = Normal: each event once, right away
hosted-delivery-duplicate = Duplicate: each event twice, same id
hosted-delivery-late = Late: each event after the delay below
hosted-delivery-reversed = Reversed: for a manual review, the final event before the review one
hosted-delivery-skip = Skip: change the status without any webhook
hosted-late-by = Late by (seconds)
hosted-submit = Submit verification
hosted-return = Return to the app without deciding
hosted-error-outcome = Choose an outcome
hosted-error-reason = Enter a reason for the denial
hosted-error-request = Choose at least one document to request
hosted-error-review-outcome = Choose approve or deny after the review
hosted-error-delivery = Choose how webhooks are delivered
hosted-error-seconds = Enter a whole number of seconds from 0 to { $max }
