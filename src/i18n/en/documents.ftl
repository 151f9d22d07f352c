# What LedgerOS may ask for, and the forms that send it.
document-passport = Passport
document-passport-description = The photo page of your passport, valid and with all four corners visible.
document-drivers-license = Driver's license
document-drivers-license-description = The front of your driver's license, valid and with all four corners visible.
document-national-id = National ID card
document-national-id-description = The front of your national ID card, valid and with all four corners visible.
document-proof-of-address = Proof of address
document-proof-of-address-description = A utility bill, bank statement or government letter from the last 3 months showing your name and address.
document-government-id-back = Back of your government ID
document-government-id-back-description = A photo of the back of the ID you used to verify, with all four corners visible.
document-selfie = Selfie
document-selfie-description = A clear, recent photo of your face in good light, without sunglasses or a hat.
upload-choose-file = Choose a file
upload-for = {" "}for { $document }
upload-hint = PDF, JPEG or PNG, up to 10 MB
upload-submit = Upload
upload-other-information = LedgerOS also needs some other information, which you can provide on its secure page.
upload-continue-on-ledgeros = Continue on LedgerOS's page

detail-first-name = Legal first name
detail-last-name = Legal last name
detail-date-of-birth = Date of birth
detail-date-of-birth-hint = Year, month and day, for example 1990-04-27.
detail-address = Home address
detail-line1 = Address line 1
detail-line2 = Address line 2 (optional)
detail-city = City or town
detail-state = State, region or province
detail-postal-code = Postal code
detail-country = Country
detail-country-hint = The two-letter code, for example US.
details-title = Confirm your details
details-hint = Exactly as on your ID. We send them straight to LedgerOS.
details-submit = Send to LedgerOS

appeal-answered-title = Our support team has answered your appeal
appeal-answered-body = They replied on { $date } by email. Please check your inbox (and your spam folder). To write back, reply to that email.
appeal-sent-title = Your appeal is with our support team
appeal-sent-body = We received it on { $date }. They'll reply by email within 2 business days. You don't need to do anything else.
appeal-title = Think this is a mistake?
appeal-label = Tell our support team why, and they'll review your case
appeal-hint = For example, if your name changed recently or your ID was renewed. We'll reply by email within 2 business days.
appeal-submit = Send appeal

# After an upload.
upload-unreadable = We couldn't read that upload. Please choose the file again and select Upload.
upload-no-file = { $document } was not uploaded: choose a file first, then select Upload.
upload-empty-file = { $document } was not uploaded: the file you chose is empty. Please choose another file.
upload-too-large = { $document } was not uploaded: the file is larger than 10 MB. Please choose a smaller file, for example a photo or scan at a lower resolution.
upload-wrong-type = { $document } was not uploaded: the file is not a PDF, JPEG or PNG. Please choose a PDF, JPEG or PNG file of the document.
upload-nothing-requested = LedgerOS isn't waiting for any documents from you right now, so nothing was sent.
upload-not-requested = LedgerOS hasn't asked for that document, so it was not sent. Please upload the documents listed on this page.
upload-partner-unavailable = We couldn't reach our verification partner, so { $document } was not sent. Please try again in a minute.
upload-partner-refused = Our verification partner couldn't accept this file for { $document }. Please check that it shows the whole document clearly, then try again.
upload-internal = Something went wrong on our side, so { $document } was not sent. Please try again in a minute.
upload-your-document = Your document
upload-sent = Thanks: { $document } was sent to LedgerOS.{ $remaining ->
    [0] {""}
    [1] {" "}Please upload the last document listed below.
   *[other] {" "}Please upload the other documents listed below.
}
