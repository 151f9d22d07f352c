# Correos: texto plano. Un enlace nunca va dentro de un mensaje: el código lo pone después.
email-hello = Hola:
email-hi = Hola, { $name }:
email-sign-off = — El equipo de alta de clientes

email-confirm-subject = Confirma tu correo para terminar el registro
email-confirm-intro = Gracias por registrarte. Abre este enlace para confirmar tu correo electrónico y terminar de crear tu cuenta:
email-confirm-next = Después te pediremos que verifiques tu identidad con nuestro socio LedgerOS. Tarda de 5 a 10 minutos y, normalmente, de 1 a 5 minutos más para el resultado.
email-confirm-expiry = El enlace funciona una sola vez y caduca en { $hours } horas. Si no te registraste, ignora este correo: sin este enlace no se crea ninguna cuenta.

email-exists-subject = Ya tienes una cuenta
email-exists-intro = Alguien, quizá tú, intentó crear una cuenta nueva con este correo electrónico. Ya tienes una cuenta, así que no ha cambiado nada.
email-exists-login = Para iniciar sesión:
email-exists-forgot = ¿Olvidaste tu contraseña? Elige una nueva aquí:
email-exists-not-you = Si no fuiste tú, puedes ignorar este correo. Tu cuenta y tu contraseña siguen igual.

email-reset-subject = Restablece tu contraseña
email-reset-intro = Hemos recibido una solicitud para restablecer tu contraseña. Abre este enlace para elegir una nueva:
email-reset-expiry = El enlace funciona una sola vez y caduca en { $minutes } minutos. Al poner una contraseña nueva se cerrará tu sesión en todos los demás sitios.
email-reset-not-you = Si no lo pediste tú, ignora este correo: tu contraseña sigue igual.

email-changed-subject = Tu contraseña ha cambiado
email-changed-intro = Se acaba de cambiar tu contraseña y se han cerrado todas las demás sesiones.
email-changed-not-you = Si fuiste tú, no tienes que hacer nada más. Si no, restablece tu contraseña ahora y contacta con soporte:

email-step-not-started = Empieza la verificación de tu identidad. Tarda de 5 a 10 minutos: ten a mano tu número de Seguro Social, un documento de identidad con foto y un comprobante de domicilio reciente.
email-step-pending = Termina la verificación de tu identidad. Lo que ya respondiste está guardado, así que seguirás donde lo dejaste.
email-step-needs-information = Envía { $what }. Para un documento basta con una foto o un escaneo (PDF, JPEG o PNG, hasta 10 MB).
email-step-needs-verification = Vuelve a verificar tu identidad. LedgerOS no pudo confirmar algunos datos y necesita que hagas la comprobación una vez más.
email-requested-fallback = la información adicional que pidió LedgerOS
email-list-separator = ,{" "}

email-approved-subject = Identidad verificada: tu cuenta está lista
email-approved-news = Buenas noticias: LedgerOS ha verificado tu identidad y tu cuenta está lista.
email-approved-next = Ya puedes depositar dinero y pedir tus tarjetas. Empieza aquí:
email-denied-subject = Sobre la verificación de tu identidad
email-denied-news = Lo sentimos: LedgerOS no ha podido verificar tu identidad, así que no podemos abrirte una cuenta. Volver a intentarlo no cambia esta decisión.
email-denied-next = Si crees que la decisión es un error, puedes apelar: abre tu página de estado y cuéntanos por qué. Nuestro equipo de soporte responde por correo en un plazo de 2 días hábiles.
email-locked-subject = Tu cuenta está bloqueada
email-locked-news = Hemos bloqueado tu cuenta para protegerte, así que los depósitos y las tarjetas están en pausa por ahora.
email-locked-next = Contacta con nuestro equipo de soporte en { $support }; te dirán qué pasará a continuación. Tu estado:
email-needs-information-subject = LedgerOS necesita un documento tuyo
email-needs-information-news = Para terminar tu verificación, LedgerOS necesita: { $what }.
email-needs-information-next = Envíalo desde tu página de estado (para un documento, una foto o un escaneo en PDF, JPEG o PNG, hasta 10 MB). Cuando LedgerOS lo tenga todo, una persona revisará tus datos, normalmente en 1–2 días hábiles:
email-needs-verification-subject = Vuelve a verificar tu identidad
email-needs-verification-news = LedgerOS no pudo confirmar algunos de tus datos y necesita que hagas la comprobación de identidad una vez más.
email-needs-verification-next = Tarda de 5 a 10 minutos. Empieza aquí:

email-link-subject = El enlace para verificar tu identidad
email-link-intro = Nuestro equipo de soporte nos pidió que te enviáramos de nuevo el enlace para verificar tu identidad. Tarda de 5 a 10 minutos y sigues donde lo dejaste:
email-link-status = Si no has iniciado sesión, te lo pediremos primero. Tu página de estado muestra en qué punto estás:

email-appeal-subject = Sobre tu apelación
email-appeal-intro = Nuestro equipo de soporte ha revisado tu apelación. Su respuesta:
email-appeal-status = Tu página de estado muestra la fecha de esta respuesta:
email-appeal-answer = Para contestar, escribe a { $support }.

email-reminder-subject = Termina de verificar tu identidad
email-reminder-intro = Tu cuenta está casi lista. Te queda un paso para poder depositar dinero y pedir tus tarjetas:
email-reminder-continue = Sigue aquí:
email-reminder-why = La ley exige verificar la identidad para abrir cuentas financieras; te protege y deja fuera el fraude.
email-reminder-stop = ¿No quieres estos recordatorios? Desactívalos con un clic:

email-can-start-subject = Ya puedes verificar tu identidad
email-can-start-intro = Gracias por esperar. Ya puedes verificar tu identidad: tarda unos cinco minutos, con tu documento de identidad a mano.
email-can-start-link = Para empezar:
