## صفحة الحساب: بيانات الشخص (issue 26).
nav-account = حسابك
account-page-title = حسابك
account-lead = بياناتك، ونسخة من كل ما نحتفظ به عنك.
account-details-title = بياناتك
account-name = الاسم
account-email = البريد الإلكتروني
account-language = اللغة
account-signed-up = تاريخ التسجيل
account-data-title = بياناتك
account-data-body = نزّل نسخة من كل ما نحتفظ به عنك، في ملف تستطيع التطبيقات الأخرى قراءته (JSON): بياناتك، وسجل التحقق من هويتك، والرسائل التي أرسلناها إليك، وطلبات المراجعة، وما جرى على حسابك.
account-data-not-included = لا يتضمن الملف وثائق هويتك ولا صورة السيلفي ولا رقمك الضريبي: فقد ذهبت مباشرة إلى LedgerOS ولم نحفظها قط. وبعض سجلات الامتثال المتعلقة بالتحقق من هويتك محفوظة وغير مضمّنة، كما يقتضي القانون.
account-data-password = كلمة المرور
account-data-password-hint = نطلبها مرة أخرى لنتأكد أنك أنت.
account-data-submit = نزّل بياناتي
account-data-limit = يمكنك تنزيل بياناتك مرة واحدة في اليوم.
account-back = العودة إلى حالتك
notice-export-too-soon = نزّلت بياناتك قبل أقل من يوم. يمكنك تنزيلها مرة أخرى بعد { $hours ->
    [zero] أقل من ساعة
    [one] ساعة واحدة
    [two] ساعتين
    [few] { $hours } ساعات
    [many] { $hours } ساعة
   *[other] { $hours } ساعة
}.
error-password-missing = اكتب كلمة المرور.
error-password-wrong = هذه ليست كلمة المرور الخاصة بك. حاول مرة أخرى.
