# صفحة الحالة: العنوان وبطاقة كل حالة وما حولها.
status-hello = مرحبًا { $name }، هذا ما وصلت إليه
status-welcome = أهلًا بك معنا يا { $name }
status-session-ended = انتهت جلستك.
status-log-in-again = سجّل الدخول مجددًا
status-to-see = لترى حالتك.
status-load-failed = تعذّر علينا تحميل حالتك الآن. أعد تحميل الصفحة للمحاولة مرة أخرى.
status-eyebrow = التحقق من الهوية
status-next-label = ما التالي:{" "}
status-wait-note = سنعرض القرار هنا فور صدوره.
status-make-deposit = إجراء إيداع
status-contact-support = تواصل مع الدعم
status-what-ledgeros-needs = ما تحتاجه LedgerOS
status-other-information = معلومات أخرى
status-confirmed-just-now = آخر تأكيد مع LedgerOS قبل لحظات.
status-confirmed-minutes = آخر تأكيد مع LedgerOS منذ { $count ->
    [zero] أقل من دقيقة
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $count } دقائق
    [many] { $count } دقيقة
   *[other] { $count } دقيقة
}.
status-confirmed-hours = آخر تأكيد مع LedgerOS منذ { $count ->
    [zero] أقل من ساعة
    [one] ساعة واحدة
    [two] ساعتين
    [few] { $count } ساعات
    [many] { $count } ساعة
   *[other] { $count } ساعة
}.
status-confirmed-days = آخر تأكيد مع LedgerOS منذ { $count ->
    [zero] أقل من يوم
    [one] يوم واحد
    [two] يومين
    [few] { $count } أيام
    [many] { $count } يومًا
   *[other] { $count } يوم
}.

action-start-verification = ابدأ التحقق
action-continue-verification = تابع التحقق
action-verify-again = تحقق مرة أخرى

status-setting-up-title = نجهّز عملية التحقق
status-setting-up-body = نجهّز التحقق من هويتك مع LedgerOS، شريكنا في التحقق.
status-setting-up-next = يستغرق ذلك عادةً بضع ثوانٍ. يمكنك البدء فور جاهزيته أو العودة لاحقًا: حسابك محفوظ.
status-budget-wait-title = أنت على القائمة
status-budget-wait-body = حسابك جاهز. سجّل اليوم عدد كبير من الأشخاص، لذا سيُتاح لك التحقق من الهوية بعد قليل.
status-budget-wait-next = سنرسل إليك بريدًا إلكترونيًا عندما يمكنك البدء، عادةً خلال ساعات. لا تحتاج إلى فعل أي شيء حتى ذلك الحين.
status-waiting-title = ننتظر LedgerOS
status-waiting-body = شكرًا لإكمالك التحقق. تراجع LedgerOS بياناتك الآن: يستغرق ذلك عادةً ١–٥ دقائق.
status-waiting-next = تتحدّث هذه الصفحة تلقائيًا فور صدور القرار. إن أغلقت صفحة التحقق قبل أن تنتهي، تابع من حيث توقفت.
status-not-started-title = تحقق من هويتك لتبدأ
status-not-started-body = قبل أن تتمكن من إيداع الأموال أو الحصول على بطاقة، علينا التأكد من هويتك. يستغرق ذلك نحو ٥–١٠ دقائق.
status-not-started-next = ستنتقل إلى صفحة LedgerOS الآمنة، ثم تعود إلى هنا.
status-pending-title = التحقق قيد التنفيذ
status-pending-body = أكمل الخطوات الأربع على صفحة LedgerOS الآمنة: معلوماتك الشخصية وصورة لهويتك وصورة سيلفي وعنوانك. إن كنت قد انتهيت، فإن LedgerOS تراجع بياناتك: يستغرق ذلك عادةً ١–٥ دقائق.
status-pending-next = تابع من حيث توقفت، أو انتظر هنا: تتحدّث هذه الصفحة تلقائيًا.
status-needs-information-title = نحتاج إلى بعض الوثائق الإضافية
status-needs-information-body = لم تتمكن LedgerOS من تأكيد كل شيء تلقائيًا، وتحتاج إلى الوثائق المذكورة أدناه.
status-needs-information-next = ارفع كل وثيقة هنا. حين تصل كلها إلى LedgerOS، يراجع أحد موظفيها بياناتك، عادةً خلال ١–٢ يوم عمل.
status-needs-verification-title = يُرجى التحقق مرة أخرى
status-needs-verification-body = تحتاج LedgerOS إلى أن تمر بالتحقق مرة أخرى، لأن إحدى الصور لم تكن واضحة مثلًا.
status-needs-verification-next = يستغرق ذلك نحو ٥–١٠ دقائق. ستعود إلى هنا حين تنتهي.
status-manual-review-title = التحقق قيد التنفيذ
status-manual-review-body = يراجع أحد موظفي LedgerOS بياناتك. يستغرق ذلك عادةً ١–٢ يوم عمل.
status-manual-review-next = لا شيء مطلوب منك. ستعرض هذه الصفحة القرار فور صدوره.
status-approved-title = تم التحقق من هويتك
status-approved-body = تأكدت هويتك. يمكنك الآن الإيداع والحصول على البطاقات.
status-approved-next = أجرِ أول إيداع لك، ثم اطلب بطاقتك.
status-denied-title = لم نتمكن من التحقق من هويتك
status-denied-body = لم تتمكن LedgerOS من الموافقة على طلب التحقق، ولا يمكن إعادة المحاولة.
status-denied-next = إن كنت ترى أن في الأمر خطأ، تواصل مع فريق الدعم لتقديم تظلّم.
status-locked-title = حسابك مقفل
status-locked-body = قُفل حسابك، لذا توقفت الإيداعات والبطاقات مؤقتًا.
status-locked-next = تواصل مع فريق الدعم: سيخبرونك بالسبب وبما عليك فعله.
status-canceled-title = أُغلق التحقق
status-canceled-body = أُغلقت عملية التحقق هذه ولا يمكن متابعتها.
status-canceled-next = تواصل مع فريق الدعم إن أردت فتح حسابك من جديد.
status-unknown-title = التحقق قيد المراجعة
status-unknown-body = تجري معالجة طلب التحقق الخاص بك.
status-unknown-next = لا شيء مطلوب منك الآن. ستعرض هذه الصفحة أي جديد فور وصوله إلينا.

# الإيداع والبطاقات، ومفتاح التذكيرات، أسفل بطاقة الحالة.
features-locked-note = متاح بعد التحقق من هويتك.
features-deposit-title = إيداع الأموال
features-deposit-body = أضف الأموال بتحويل مصرفي. تصل الإيداعات عادةً خلال يوم عمل واحد.
features-deposit-details = ستظهر هنا بيانات حسابك للتحويلات.
features-cards-title = البطاقات
features-cards-body = أنشئ بطاقات افتراضية لوكلائك واطلب بطاقة فعلية.
reminders-title = التذكير بالبريد الإلكتروني
reminders-on-text = إن كان التحقق بانتظارك، فسنرسل إليك ما يصل إلى ثلاث رسائل تذكير قصيرة.
reminders-turn-off = إيقاف التذكيرات
reminders-off-text = رسائل التذكير متوقفة. يمكنك إعادة تشغيلها في أي وقت.
reminders-turn-on = تشغيل التذكيرات
