# كل الصفحات: الترويسة والتذييل ومبدّل اللغة.
skip-to-content = انتقل إلى المحتوى
nav-label = الحساب
nav-signed-in-as = مسجّل الدخول باسم { $name }
nav-your-status = حالتك
nav-log-out = تسجيل الخروج
nav-log-in = تسجيل الدخول
nav-sign-up = إنشاء حساب
footer-privacy = تتولى LedgerOS التحقق من الهوية. لا نحتفظ أبدًا برقم الضمان الاجتماعي أو بوثائق هويتك. لديك أسئلة؟
language-label = اللغة
language-change = تغيير

# الصفحة الرئيسية.
landing-page-title = افتح حسابك
landing-title = بطاقتك على بُعد دقائق
landing-lead = افتح حسابًا وتحقق من هويتك مرة واحدة، وستكون جاهزًا للإيداع والحصول على البطاقات. إليك ما ينتظرك قبل أن تبدأ.
landing-create = أنشئ حسابك
landing-have-account = لديّ حساب بالفعل
landing-why-title = لماذا نتحقق من هويتك
landing-why-body = إصدار البطاقات نشاط خاضع للتنظيم: قبل أن يتمكن أي شخص من إيداع الأموال أو استلام البطاقات أو إجراء المعاملات، يُلزمنا القانون بمعرفة هويته (ويُسمّى ذلك «اعرف عميلك» أو KYC). لا يمكن تخطي هذه الخطوة، وهي تحميك من أن يفتح أحد حسابًا باسمك.
landing-ready-title = ما تحتاج إلى تجهيزه
landing-ready-caption = المعلومات التي يطلبها التحقق
landing-ready-what = ماذا
landing-ready-details = التفاصيل
landing-ready-identity = الهوية
landing-ready-identity-details = اسمك القانوني الكامل وتاريخ ميلادك
landing-ready-contact = التواصل
landing-ready-contact-details = بريدك الإلكتروني ورقم هاتفك
landing-ready-address = العنوان
landing-ready-address-details = الشارع والمدينة والولاية والرمز البريدي والبلد
landing-ready-tax = الرقم الضريبي
landing-ready-tax-details = رقم الضمان الاجتماعي (في الولايات المتحدة) أو ما يعادله في بلدك
landing-ready-documents = الوثائق
landing-ready-documents-details = هوية رسمية بصورة، مثل جواز السفر أو رخصة القيادة
landing-ready-more = قد تطلب LedgerOS أحيانًا المزيد، مثل إثبات العنوان أو صورة سيلفي. إن حدث ذلك، سنخبرك بما تحتاجه بالضبط.
landing-time-title = كم يستغرق الأمر
landing-time-account = إنشاء حسابك
landing-time-account-details = — دقيقة واحدة، مع رابط نرسله إلى بريدك لتأكيد عنوانك
landing-time-verify = إكمال التحقق
landing-time-verify-details = — نحو ٥–١٠ دقائق على صفحة LedgerOS الآمنة
landing-time-check = الفحص الآلي
landing-time-check-details = — عادةً ١–٥ دقائق
landing-time-review = المراجعة اليدوية، عند الحاجة
landing-time-review-details = — ١–٢ يوم عمل
landing-time-cards = الإيداع والحصول على البطاقات
landing-time-cards-details = — فور الموافقة عليك
landing-data-title = كيف نتعامل مع بياناتك الشخصية
landing-data-partner = يجري التحقق على صفحة LedgerOS الآمنة، شريكنا المرخّص في التحقق من الهوية.
landing-data-never = يذهب رقم الضمان الاجتماعي ووثائق هويتك مباشرةً إلى LedgerOS، ولا نحتفظ بها أبدًا.
landing-data-keep = نحتفظ باسمك وبريدك الإلكتروني وحالة التحقق، لنُريك أين وصلت.
landing-ready-cta-title = نحن جاهزون متى شئت
landing-ready-cta-body = إن توقفت في منتصف الطريق، يمكنك المتابعة من حيث توقفت متى عدت.

# إنشاء حساب.
signup-page-title = أنشئ حسابك
signup-lead = سنرسل إليك رابطًا بالبريد الإلكتروني لتأكيد عنوانك. بعد ذلك تتحقق من هويتك مع شريكنا LedgerOS: نحو ٥–١٠ دقائق.
field-first-name = الاسم الأول
field-last-name = اسم العائلة
field-email = البريد الإلكتروني
field-email-hint = سنرسل إلى هذا العنوان آخر أخبار التحقق.
field-new-password = أنشئ كلمة مرور
field-new-password-hint = ١٢ حرفًا على الأقل. بضع كلمات متتالية خيار جيد.
signup-submit = إنشاء الحساب
signup-have-account = لديك حساب بالفعل؟

# تسجيل الدخول.
login-page-title = تسجيل الدخول
login-lead = تابع التحقق من هويتك من حيث توقفت.
field-password = كلمة المرور
login-forgot = نسيت كلمة المرور؟
login-new-here = جديد هنا؟
login-create = أنشئ حسابًا
login-just-signed-up = سجّلت للتو؟ افتح أولًا الرابط في الرسالة التي أرسلناها إليك: به يكتمل إنشاء حسابك.

# النماذج.
form-error-prefix = خطأ:{" "}
form-fix-title = يُرجى تصحيح ما يلي

# عنوان غير معروف، والعودة من صفحة التحقق.
not-found-page-title = الصفحة غير موجودة
not-found-title = لم نعثر على هذه الصفحة
not-found-body = ربما يكون الرابط قديمًا أو فيه خطأ.
not-found-home = اذهب إلى البداية
not-found-status = اعرض حالتك
return-page-title = أهلًا بعودتك
password-show = إظهار كلمة المرور
password-hide = إخفاء كلمة المرور
