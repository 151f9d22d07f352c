# Todas las páginas: la cabecera, el pie y el selector de idioma.
skip-to-content = Ir al contenido
nav-label = Cuenta
nav-signed-in-as = Sesión iniciada como { $name }
nav-your-status = Tu estado
nav-log-out = Cerrar sesión
nav-log-in = Iniciar sesión
nav-sign-up = Registrarse
footer-privacy = La verificación de identidad la realiza LedgerOS. Nunca guardamos tu número de Seguro Social ni tus documentos de identidad. ¿Tienes preguntas?
language-label = Idioma
language-change = Cambiar

# La página de inicio.
landing-page-title = Abre tu cuenta
landing-title = Tu tarjeta, a unos minutos
landing-lead = Abre una cuenta, verifica tu identidad una sola vez y podrás depositar dinero y pedir tarjetas. Esto es lo que te espera antes de empezar.
landing-create = Crear tu cuenta
landing-have-account = Ya tengo una cuenta
landing-why-title = Por qué verificamos tu identidad
landing-why-body = La emisión de tarjetas está regulada: antes de que alguien pueda depositar fondos, recibir tarjetas o hacer operaciones, la ley nos obliga a saber quién es (esto se llama KYC, «conoce a tu cliente»). No se puede omitir, y te protege de que otra persona abra una cuenta a tu nombre.
landing-ready-title = Qué tener a mano
landing-ready-caption = Información que pide la verificación
landing-ready-what = Qué
landing-ready-details = Detalles
landing-ready-identity = Identidad
landing-ready-identity-details = Tu nombre legal completo y tu fecha de nacimiento
landing-ready-contact = Contacto
landing-ready-contact-details = Tu correo electrónico y tu número de teléfono
landing-ready-address = Dirección
landing-ready-address-details = Calle y número, ciudad, estado o provincia, código postal y país
landing-ready-tax = Identificación fiscal
landing-ready-tax-details = Tu número de Seguro Social (EE. UU.) o su equivalente en tu país
landing-ready-documents = Documentos
landing-ready-documents-details = Un documento de identidad oficial con foto, como el pasaporte o la licencia de conducir
landing-ready-more = A veces LedgerOS pide algo más, como un comprobante de domicilio o una selfi. Si lo hace, te diremos exactamente qué.
landing-time-title = Cuánto tarda
landing-time-account = Crear tu cuenta
landing-time-account-details = — un minuto, con un enlace que te enviamos por correo para confirmar tu dirección
landing-time-verify = Completar la verificación
landing-time-verify-details = — unos 5–10 minutos en la página segura de LedgerOS
landing-time-check = Revisión automática
landing-time-check-details = — normalmente 1–5 minutos
landing-time-review = Revisión manual, si hace falta
landing-time-review-details = — 1–2 días hábiles
landing-time-cards = Depositar y pedir tarjetas
landing-time-cards-details = — en cuanto te aprueben
landing-data-title = Cómo tratamos tus datos personales
landing-data-partner = La verificación se hace en la página segura de LedgerOS, nuestro socio de verificación regulado.
landing-data-never = Tu número de Seguro Social y tus documentos de identidad van directamente a LedgerOS. Nosotros nunca los guardamos.
landing-data-keep = Guardamos tu nombre, tu correo electrónico y el estado de tu verificación, para mostrarte en qué punto estás.
landing-ready-cta-title = Cuando quieras
landing-ready-cta-body = Si lo dejas a medias, puedes seguir donde lo dejaste cuando vuelvas.

# Registro.
signup-page-title = Crea tu cuenta
signup-lead = Te enviaremos un enlace por correo para confirmar tu dirección. Después verificarás tu identidad con nuestro socio LedgerOS: unos 5–10 minutos.
field-first-name = Nombre
field-last-name = Apellidos
field-email = Correo electrónico
field-email-hint = Aquí te enviaremos novedades sobre tu verificación.
field-new-password = Crea una contraseña
field-new-password-hint = Al menos 12 caracteres. Unas cuantas palabras juntas funcionan bien.
signup-submit = Crear cuenta
signup-have-account = ¿Ya tienes una cuenta?

# Inicio de sesión.
login-page-title = Iniciar sesión
login-lead = Sigue con tu verificación donde la dejaste.
field-password = Contraseña
login-forgot = ¿Olvidaste tu contraseña?
login-new-here = ¿Es tu primera vez aquí?
login-create = Crea una cuenta
login-just-signed-up = ¿Te acabas de registrar? Abre primero el enlace del correo que te enviamos: con él terminas de crear tu cuenta.

# Formularios.
form-error-prefix = Error:{" "}
form-fix-title = Corrige lo siguiente

# Una dirección desconocida, y la vuelta desde la página de verificación.
not-found-page-title = Página no encontrada
not-found-title = No encontramos esa página
not-found-body = Puede que el enlace sea antiguo o tenga un error.
not-found-home = Ir al inicio
not-found-status = Ver tu estado
return-page-title = Hola de nuevo
password-show = Mostrar contraseña
password-hide = Ocultar contraseña
