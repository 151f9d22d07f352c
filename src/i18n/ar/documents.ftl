# ما قد تطلبه LedgerOS، والنماذج التي ترسله.
document-passport = جواز السفر
document-passport-description = صفحة الصورة في جواز سفرك، ساري المفعول وتظهر زواياه الأربع.
document-drivers-license = رخصة القيادة
document-drivers-license-description = الوجه الأمامي لرخصة قيادتك، سارية المفعول وتظهر زواياها الأربع.
document-national-id = بطاقة الهوية الوطنية
document-national-id-description = الوجه الأمامي لبطاقة هويتك الوطنية، سارية المفعول وتظهر زواياها الأربع.
document-proof-of-address = إثبات العنوان
document-proof-of-address-description = فاتورة خدمات أو كشف حساب مصرفي أو خطاب حكومي من آخر ٣ أشهر يظهر فيه اسمك وعنوانك.
document-government-id-back = الوجه الخلفي لهويتك الرسمية
document-government-id-back-description = صورة للوجه الخلفي للهوية التي استخدمتها في التحقق، تظهر فيها زواياها الأربع.
document-selfie = صورة سيلفي
document-selfie-description = صورة حديثة وواضحة لوجهك في إضاءة جيدة، من دون نظارة شمسية أو قبعة.
upload-choose-file = اختر ملفًا
upload-for = {" "}لـ{ $document }
upload-hint = PDF أو JPEG أو PNG، حتى ١٠ ميغابايت
upload-submit = رفع
upload-other-information = تحتاج LedgerOS أيضًا إلى معلومات أخرى، يمكنك تقديمها على صفحتها الآمنة.
upload-continue-on-ledgeros = المتابعة على صفحة LedgerOS

detail-first-name = الاسم الأول كما في الوثائق الرسمية
detail-last-name = اسم العائلة كما في الوثائق الرسمية
detail-date-of-birth = تاريخ الميلاد
detail-date-of-birth-hint = السنة والشهر واليوم، مثل 1990-04-27.
detail-address = عنوان السكن
detail-line1 = سطر العنوان الأول
detail-line2 = سطر العنوان الثاني (اختياري)
detail-city = المدينة أو البلدة
detail-state = الولاية أو المنطقة أو المحافظة
detail-postal-code = الرمز البريدي
detail-country = البلد
detail-country-hint = الرمز المكوّن من حرفين، مثل AE.
details-title = أكّد بياناتك
details-hint = كما تظهر في هويتك تمامًا. نرسلها مباشرةً إلى LedgerOS.
details-submit = إرسال إلى LedgerOS

appeal-answered-title = ردّ فريق الدعم على تظلّمك
appeal-answered-body = أرسلوا الرد بالبريد الإلكتروني في { $date }. يُرجى تفقّد بريدك الوارد (ومجلد الرسائل غير المرغوب فيها). للرد عليهم، أجب على تلك الرسالة.
appeal-sent-title = تظلّمك لدى فريق الدعم
appeal-sent-body = استلمناه في { $date }. سيردّون عليك بالبريد الإلكتروني خلال يومَي عمل. لا شيء آخر مطلوب منك.
appeal-title = ترى أن في الأمر خطأ؟
appeal-label = أخبر فريق الدعم بالسبب، وسيراجعون حالتك
appeal-hint = مثلًا، إن تغيّر اسمك مؤخرًا أو جدّدت هويتك. سنرد عليك بالبريد الإلكتروني خلال يومَي عمل.
appeal-submit = إرسال التظلّم

# بعد رفع ملف.
upload-unreadable = تعذّرت علينا قراءة هذا الملف. يُرجى اختيار الملف مرة أخرى ثم الضغط على «رفع».
upload-no-file = لم يُرفع «{ $document }»: اختر ملفًا أولًا، ثم اضغط على «رفع».
upload-empty-file = لم يُرفع «{ $document }»: الملف الذي اخترته فارغ. يُرجى اختيار ملف آخر.
upload-too-large = لم يُرفع «{ $document }»: حجم الملف أكبر من ١٠ ميغابايت. يُرجى اختيار ملف أصغر، مثل صورة أو نسخة ممسوحة بدقة أقل.
upload-wrong-type = لم يُرفع «{ $document }»: الملف ليس PDF أو JPEG أو PNG. يُرجى اختيار ملف PDF أو JPEG أو PNG للوثيقة.
upload-nothing-requested = لا تنتظر LedgerOS أي وثائق منك الآن، لذا لم يُرسَل شيء.
upload-not-requested = لم تطلب LedgerOS هذه الوثيقة، لذا لم تُرسَل. يُرجى رفع الوثائق المذكورة في هذه الصفحة.
upload-partner-unavailable = تعذّر علينا الوصول إلى شريكنا في التحقق، لذا لم يُرسَل «{ $document }». يُرجى المحاولة مرة أخرى بعد دقيقة.
upload-partner-refused = لم يتمكن شريكنا في التحقق من قبول هذا الملف لـ«{ $document }». تأكد من أنه يُظهر الوثيقة كاملة بوضوح، ثم حاول مرة أخرى.
upload-internal = حدث خطأ من جهتنا، لذا لم يُرسَل «{ $document }». يُرجى المحاولة مرة أخرى بعد دقيقة.
upload-your-document = وثيقتك
upload-sent = شكرًا: أُرسل «{ $document }» إلى LedgerOS.{ $remaining ->
    [0] {""}
    [1] {" "}يُرجى رفع الوثيقة الأخيرة المذكورة أدناه.
   *[other] {" "}يُرجى رفع الوثائق الأخرى المذكورة أدناه.
}
