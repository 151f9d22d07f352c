## صفحة التحقق لدى LedgerOS كما يقدّمها الـ sandbox المدمج (`sandbox/src/hosted`).
## ‏"LedgerOS Sandbox" اسم ولا يُترجم.

hosted-banner = بيئة تجريبية: لا يجري أي تحقق حقيقي من الهوية، ولا يُحفظ شيء مما تُدخله.
hosted-error-title = خطأ: { $title }
hosted-error-prefix = خطأ:{" "}
hosted-problem = توجد مشكلة
hosted-invalid-title = الرابط غير صالح
hosted-invalid-heading = رابط التحقق هذا غير صالح
hosted-invalid-body = ارجع إلى التطبيق وافتح التحقق من جديد للحصول على رابط جديد.
hosted-wrong = حدث خطأ ما

hosted-progress = الخطوة { $step } من { $total }
hosted-steps = خطوات التحقق
hosted-done = (تمّت)
hosted-back = رجوع
hosted-continue = متابعة

hosted-step-personal = المعلومات الشخصية
hosted-step-government-id = وثيقة الهوية الرسمية
hosted-step-selfie = صورة سيلفي
hosted-step-address = العنوان
hosted-step-review = أدوات التحكم في البيئة التجريبية

hosted-personal-intro = نحتاج إلى بعض البيانات لنتأكد من هويتك. اكتب اسمك تمامًا كما يظهر في وثيقة هويتك.
hosted-first-name = الاسم الأول القانوني
hosted-last-name = اسم العائلة القانوني
hosted-date-of-birth = تاريخ الميلاد
hosted-date-of-birth-hint = مثلًا 1990-04-27
hosted-phone = رقم الهاتف
hosted-phone-hint = أضف رمز الدولة، مثل ‎+971 50 000 0000‎
hosted-tax-id = رقم الضمان الاجتماعي أو الرقم الضريبي
hosted-tax-id-hint = في الولايات المتحدة: رقم SSN أو ITIN من 9 أرقام، مثل 123-45-6789. في غيرها: رقمك الضريبي الوطني. نتحقق منه ولا نحفظه أبدًا.
hosted-error-first-name = اكتب اسمك الأول القانوني
hosted-error-last-name = اكتب اسم عائلتك القانوني
hosted-error-date-of-birth = اكتب تاريخ ميلادك
hosted-error-date-of-birth-format = اكتب تاريخًا صحيحًا بالصيغة YYYY-MM-DD
hosted-error-date-of-birth-real = اكتب تاريخ ميلاد صحيحًا
hosted-error-date-of-birth-age = يجب ألّا يقل عمرك عن 18 عامًا
hosted-error-phone = اكتب رقم هاتفك
hosted-error-phone-digits = اكتب رقم هاتف من 7 إلى 15 رقمًا، مثل ‎+971 50 000 0000‎
hosted-error-tax-id = اكتب رقم الضمان الاجتماعي أو الرقم الضريبي
hosted-error-tax-id-invalid = اكتب رقم ضمان اجتماعي صحيحًا (9 أرقام، مثل 123-45-6789) أو رقمًا ضريبيًا

hosted-id-intro = ارفع صورة أو نسخة ممسوحة ضوئيًا من وثيقة هوية رسمية سارية.
hosted-id-type = نوع الوثيقة
hosted-id-front = الوجه الأمامي لوثيقتك
hosted-id-front-hint = ‏JPEG أو PNG أو PDF. في البيئة التجريبية يصلح أي ملف، ويُتجاهل محتواه.
hosted-id-sample = استخدم وثيقة نموذجية بدلًا منها (في البيئة التجريبية فقط)
hosted-error-id-type = اختر نوع الوثيقة
hosted-error-id-front = ارفع الوجه الأمامي لوثيقتك، أو استخدم الوثيقة النموذجية

hosted-selfie-intro = صورة سيلفي سريعة تؤكد أنك الشخص الظاهر في الوثيقة (التحقق من الحيوية).
hosted-selfie-photo = صورة السيلفي
hosted-selfie-hint = صورة واضحة لوجهك. في البيئة التجريبية تصلح أي صورة، ويُتجاهل محتواها.
hosted-selfie-liveness = التقط صورة سيلفي (محاكاة)
hosted-error-selfie = ارفع صورة سيلفي، أو حدّد «{ hosted-selfie-liveness }»

hosted-address-intro = مكان سكنك الحالي. لا يُقبل صندوق البريد.
hosted-line1 = عنوان الشارع
hosted-line2 = الشقة أو الجناح أو غير ذلك (اختياري)
hosted-city = المدينة أو البلدة
hosted-region = الولاية أو المقاطعة أو المنطقة
hosted-postal-code = الرمز البريدي
hosted-country = البلد
hosted-country-hint = رمز من حرفين، مثل AE
hosted-error-line1 = اكتب السطر الأول من عنوان الشارع
hosted-error-city = اكتب مدينتك أو بلدتك
hosted-error-region = اكتب ولايتك أو مقاطعتك أو منطقتك
hosted-error-postal-code = اكتب رمزك البريدي
hosted-error-country = اكتب رمز البلد من حرفين، مثل AE

hosted-status-not-started = لم يبدأ
hosted-status-pending = قيد المعالجة
hosted-status-needs-information = بحاجة إلى معلومات
hosted-status-needs-verification = بحاجة إلى تحقق جديد
hosted-status-manual-review = مراجعة يدوية
hosted-status-approved = مقبول
hosted-status-denied = مرفوض
hosted-status-locked = مقفل
hosted-status-canceled = ملغى
hosted-status-other = غير ذلك

hosted-review-complete = اكتملت الخطوات الأربع.
hosted-review-current = الحالة الآن:{" "}
hosted-review-scheduled = مُجدول: { $what }.
hosted-documents-title = ارفع المستندات المطلوبة
hosted-documents-samples = استخدم مستندات نموذجية (في البيئة التجريبية فقط)
hosted-documents-upload = ارفع المستندات
hosted-error-documents = اختر ملفًا واحدًا على الأقل لرفعه، أو استخدم المستندات النموذجية

hosted-outcome-title = اختر النتيجة
hosted-outcome-intro = في LedgerOS الحقيقي تُراجَع الطلبات الآن. هنا تقرر أنت ما يحدث: تتغير الحالة، ويصل إلى التطبيق webhook موقّع، وتعود إلى التطبيق.
hosted-outcome = النتيجة
hosted-outcome-approve = قبول
hosted-outcome-deny = رفض (بالسبب المكتوب أدناه)
hosted-outcome-needs-information = بحاجة إلى معلومات (اطلب المستندات أدناه)
hosted-outcome-needs-verification = بحاجة إلى تحقق جديد (يبدأ الشخص من جديد)
hosted-outcome-manual-review = مراجعة يدوية، ثم قبول أو رفض
hosted-outcome-lock = قفل الحساب
hosted-reason = سبب الرفض (عند الرفض)
hosted-request = المستندات المطلوبة (عند الحاجة إلى معلومات)
hosted-manual-review = المراجعة اليدوية
hosted-then-approve = ثم القبول
hosted-then-deny = ثم الرفض (بالسبب المكتوب أعلاه)
hosted-review-seconds = مدة المراجعة (بالثواني)
hosted-delay = المهلة قبل النتيجة (بالثواني)
hosted-delay-hint = المدة التي يبقى فيها الطلب على حاله قبل تطبيق النتيجة
hosted-webhooks = إرسال الـ webhooks (متقدم)
hosted-delivery = طريقة الإرسال
hosted-delivery-normal = عادي: كل حدث مرة واحدة، فورًا
hosted-delivery-duplicate = مكرر: كل حدث مرتين، بالمعرّف نفسه
hosted-delivery-late = متأخر: كل حدث بعد المهلة المذكورة أدناه
hosted-delivery-reversed = معكوس: في المراجعة اليدوية، يصل الحدث النهائي قبل حدث المراجعة
hosted-delivery-skip = بلا webhook: تتغير الحالة دون إرسال أي حدث
hosted-late-by = مدة التأخير (بالثواني)
hosted-submit = إرسال التحقق
hosted-return = العودة إلى التطبيق دون قرار
hosted-error-outcome = اختر نتيجة
hosted-error-reason = اكتب سببًا للرفض
hosted-error-request = اختر مستندًا واحدًا على الأقل لطلبه
hosted-error-review-outcome = اختر القبول أو الرفض بعد المراجعة
hosted-error-delivery = اختر طريقة إرسال الـ webhooks
hosted-error-seconds = اكتب عددًا صحيحًا من الثواني بين 0 و{ $max }
