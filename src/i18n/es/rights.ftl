## La página de la cuenta: los datos de la persona (issue 26).
nav-account = Tu cuenta
account-page-title = Tu cuenta
account-lead = Tus datos y una copia de todo lo que guardamos sobre ti.
account-details-title = Tus datos
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
