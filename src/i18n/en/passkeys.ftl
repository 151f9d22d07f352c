# Passkeys (issue 27): the account page's list, the login page's button, and the email sent
# when one is added.
passkeys-title = Passkeys
passkeys-body = A passkey signs you in with your face, fingerprint or screen lock instead of your password. It stays on your phone or computer and cannot be phished. Your password keeps working.
passkeys-none = You have no passkeys yet.
passkeys-name = Name
passkeys-added = Added
passkeys-last-used = Last used
passkeys-never-used = Not yet
passkeys-remove = Remove
passkeys-new-name = Name it (optional)
passkeys-new-name-hint = For example "My phone", so you can tell your passkeys apart.
passkeys-add = Add a passkey
passkeys-add-failed = No passkey was added. Try again, or keep using your password.
passkeys-needs-script = Adding a passkey needs JavaScript in this browser. Your password works as before.
passkeys-off = Passkeys work when this site is opened by its name, not by a number like 127.0.0.1.
passkeys-default-name = Passkey in { $browser }
notice-passkey-added = Passkey added. Next time, sign in with it.
notice-passkey-removed = Passkey removed. It no longer signs you in.
notice-passkey-refused = That passkey did not sign you in. Try again, or use your email and password.
login-passkey = Sign in with a passkey
login-passkey-failed = No passkey was used. Try again, or type your email and password.
login-or-password = Or with your email and password:
email-passkey-subject = A passkey was added to your account
email-passkey-intro = A passkey named "{ $name }" was just added to your account. It can now sign you in without your password.
email-passkey-not-you = If this wasn't you, remove it on your account page and change your password:
