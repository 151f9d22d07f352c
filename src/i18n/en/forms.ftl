# Errors in what people typed, next to the field.
error-email-empty = Enter your email address.
error-email-too-long = This email address is too long.
error-email-malformed = Enter an email address like name@example.com.
error-email-throwaway = Please use an address you will keep: we send your verification result there.
error-name-empty = { $field ->
    [first] Enter your first name.
    [last] Enter your last name.
    [legal-first] Enter your legal first name, as on your ID.
   *[legal-last] Enter your legal last name, as on your ID.
}
error-name-not-a-name = { $field ->
    [first] Enter your first name as it appears on your ID: letters, spaces, apostrophes, hyphens and periods only.
    [last] Enter your last name as it appears on your ID: letters, spaces, apostrophes, hyphens and periods only.
    [legal-first] Enter your legal first name as it appears on your ID: letters, spaces, apostrophes, hyphens and periods only.
   *[legal-last] Enter your legal last name as it appears on your ID: letters, spaces, apostrophes, hyphens and periods only.
}
error-too-long = Keep this under { $max } characters.
error-password-too-short = Use at least { $min } characters. A few words together work well.
error-password-too-long = Use at most { $max } characters.
error-password-common = This password is on lists that attackers try first. Please choose another one.
error-line1-missing = Enter the first line of your address.
error-city-missing = Enter your city or town.
error-state-missing = Enter your state, region or province.
error-postal-code-missing = Enter your postal code.
error-country = Enter the two-letter country code, for example US.
error-control-characters = Use letters, numbers and punctuation only.
error-date-format = Enter your date of birth as year-month-day, for example 1990-04-27.
error-date-future = Your date of birth can't be in the future.
error-too-young = You need to be 18 or older to open an account.
error-date-year = Check the year of your date of birth.
