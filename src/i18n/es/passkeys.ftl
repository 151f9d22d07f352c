# Llaves de acceso (issue 27): la lista de la página de la cuenta, el botón de la página de inicio de sesión
# y el correo que se envía cuando se añade una.
passkeys-title = Llaves de acceso
passkeys-body = Una llave de acceso te permite iniciar sesión con tu cara, tu huella o el bloqueo de pantalla en lugar de tu contraseña. Se queda en tu teléfono o tu computadora, y nadie puede robártela con páginas o correos falsos. Tu contraseña sigue funcionando.
passkeys-none = Todavía no tienes llaves de acceso.
passkeys-name = Nombre
passkeys-added = Añadida
passkeys-last-used = Último uso
passkeys-never-used = Todavía no
passkeys-remove = Eliminar
passkeys-new-name = Ponle un nombre (opcional)
passkeys-new-name-hint = Por ejemplo, «Mi teléfono», para distinguir tus llaves de acceso.
passkeys-add = Añadir una llave de acceso
passkeys-add-failed = No se ha añadido ninguna llave de acceso. Vuelve a intentarlo o sigue usando tu contraseña.
passkeys-needs-script = Para añadir una llave de acceso, este navegador necesita JavaScript. Tu contraseña funciona como siempre.
passkeys-off = Las llaves de acceso funcionan cuando abres este sitio por su nombre, no por un número como 127.0.0.1.
passkeys-default-name = Llave de acceso en { $browser }
notice-passkey-added = Llave de acceso añadida. La próxima vez, inicia sesión con ella.
notice-passkey-removed = Llave de acceso eliminada. Ya no sirve para iniciar sesión.
notice-passkey-refused = No se pudo iniciar sesión con esa llave de acceso. Vuelve a intentarlo o usa tu correo y tu contraseña.
login-passkey = Iniciar sesión con una llave de acceso
login-passkey-failed = No se ha usado ninguna llave de acceso. Vuelve a intentarlo o escribe tu correo y tu contraseña.
login-or-password = O con tu correo y tu contraseña:
email-passkey-subject = Se ha añadido una llave de acceso a tu cuenta
email-passkey-intro = Se acaba de añadir a tu cuenta una llave de acceso llamada «{ $name }». Desde ahora sirve para iniciar sesión sin tu contraseña.
email-passkey-not-you = Si no fuiste tú, elimínala en la página de tu cuenta y cambia tu contraseña:
