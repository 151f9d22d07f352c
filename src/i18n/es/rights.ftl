## La página de la cuenta: los datos de la persona (issue 26).
nav-account = Tu cuenta
account-page-title = Tu cuenta
account-lead = Tus datos y una copia de todo lo que guardamos sobre ti.
account-details-title = Tu información
account-name = Nombre
account-email = Correo electrónico
account-language = Idioma
account-signed-up = Registro
account-data-title = Tus datos
account-data-body = Descarga una copia de todo lo que guardamos sobre ti, en un archivo que otras aplicaciones pueden leer (JSON): tus datos, el historial de tu verificación, los correos que te enviamos, tus apelaciones y lo que se ha hecho con tu cuenta.
account-data-not-included = No incluye tus documentos de identidad, tu selfi ni tu número fiscal: fueron directamente a LedgerOS y nunca los guardamos. Algunos registros de cumplimiento normativo sobre tu verificación se conservan y no se incluyen, como exige la ley.
account-data-password = Tu contraseña
account-data-password-hint = Te la pedimos de nuevo para asegurarnos de que eres tú.
account-data-submit = Descargar mis datos
account-data-limit = Puedes descargar tus datos una vez al día.
account-back = Volver a tu estado
notice-export-too-soon = Descargaste tus datos hace menos de un día. Podrás descargarlos de nuevo dentro de { $hours ->
    [one] 1 hora
   *[other] { $hours } horas
}.
error-password-missing = Escribe tu contraseña.
error-password-wrong = Esa no es tu contraseña. Vuelve a intentarlo.

## Eliminar la cuenta.
account-delete-title = Eliminar tu cuenta
account-delete-body = Te enviaremos un enlace por correo para confirmarlo. Cuando lo confirmes, cerraremos tu sesión y dejaremos de escribirte. Esperamos { $days } días antes de eliminar nada: si inicias sesión en ese tiempo, no se elimina nada.
account-delete-hold = Si LedgerOS ya ha tomado una decisión sobre tu identidad (aprobada, no aprobada o bloqueada), la ley nos obliga a conservar un registro de esa verificación (tu nombre, tu correo, los identificadores de LedgerOS, su historial y tus apelaciones) durante { $years } años después de cerrar tu cuenta. Todo lo demás se elimina y ya no podrás iniciar sesión.
account-delete-submit = Eliminar mi cuenta
notice-deletion-sent = Hemos enviado un enlace a { $email }. Ábrelo para confirmar que quieres eliminar tu cuenta. No cambia nada hasta que lo hagas.
notice-deletion-cancelled = Te damos la bienvenida de nuevo. Has iniciado sesión, así que tu cuenta no se eliminará.
delete-page-title = ¿Eliminar tu cuenta?
delete-page-body = Cuando lo confirmes, cerraremos tu sesión y dejaremos de escribirte. Tu cuenta se eliminará el { $date }, salvo que inicies sesión antes.
delete-page-submit = Sí, eliminar mi cuenta
delete-page-keep = No, conservar mi cuenta
delete-page-invalid = Este enlace ya no funciona. Puede que ya se haya usado o que tenga más de { $hours } horas. Inicia sesión y vuelve a pedirlo desde la página de tu cuenta.
deleted-page-title = Tu cuenta se eliminará
deleted-page-body = Hemos cerrado tu sesión y no volveremos a escribirte salvo para confirmarlo. Tu cuenta se eliminará el { $date }. ¿Has cambiado de opinión? Inicia sesión antes y no se eliminará nada.
email-delete-subject = Confirma que quieres eliminar tu cuenta
email-delete-intro = Nos has pedido que eliminemos tu cuenta. Abre este enlace para confirmarlo:
email-delete-expiry = El enlace funciona una vez y caduca en { $hours } horas. Si no lo has pedido tú, ignora este correo: no cambia nada, aunque quizá quieras cambiar tu contraseña.
email-deleted-subject = Tu cuenta se eliminará el { $date }
email-deleted-intro = Has confirmado que quieres eliminar tu cuenta. Hemos cerrado tu sesión en todas partes y hemos dejado de enviarte recordatorios.
email-deleted-when = Tu cuenta se eliminará el { $date }. Si LedgerOS ya tomó una decisión sobre tu identidad, la ley nos obliga a conservar un registro de esa verificación durante { $years } años; todo lo demás se elimina.
email-deleted-cancel = ¿Has cambiado de opinión? Inicia sesión antes de esa fecha y no se eliminará nada:
account-back-home = Volver a la página de inicio
email-idle-subject = Tu cuenta se eliminará el { $date } si no inicias sesión
email-idle-intro = Nadie ha iniciado sesión en tu cuenta en { $days } días y nunca empezaste a verificar tu identidad, así que vamos a eliminar tu cuenta y lo que guardamos sobre ti.
email-idle-keep = Para conservar tu cuenta, inicia sesión antes del { $date }:
email-idle-nothing = Si ya no la necesitas, no tienes que hacer nada.
