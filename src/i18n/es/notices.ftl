# Lo que dice el servidor después de un formulario: avisos y los errores que encuentra.
notice-try-again = Algo ha fallado por nuestra parte. Vuelve a intentarlo en un minuto.
notice-send-form-again = Este formulario estuvo abierto demasiado tiempo. Revísalo y envíalo de nuevo.
notice-too-many-attempts = Demasiados intentos. Vuelve a intentarlo en { $minutes ->
    [one] 1 minuto
   *[other] { $minutes } minutos
}.
notice-account-ready = Tu cuenta está lista. Inicia sesión.
notice-already-confirmed = Tu correo ya está confirmado y tu cuenta está lista. Inicia sesión.
error-wrong-signup-password = Esa no es la contraseña que se eligió al registrarse con esta dirección. Vuelve a intentarlo, o regístrate de nuevo para elegir otra.
error-login-mismatch = Ese correo y esa contraseña no coinciden con ninguna cuenta. Revisa ambos y vuelve a intentarlo.
notice-logged-out = Has cerrado sesión. ¡Hasta pronto!
notice-reset-sent = Si hay una cuenta con { $email }, le hemos enviado un enlace para elegir una contraseña nueva. El enlace funciona durante { $minutes } minutos. ¿No te llega? Revisa la carpeta de spam o vuelve a intentarlo en unos minutos.
notice-password-changed-log-in = Tu contraseña ha cambiado. Inicia sesión con ella.
notice-password-changed = Tu contraseña ha cambiado y se han cerrado tus sesiones en todos los demás sitios.
notice-reminders-on = Los recordatorios están activados.
notice-reminders-off = Los recordatorios están desactivados. No te enviaremos más.
notice-reminders-back-on = Los recordatorios vuelven a estar activados.
notice-partner-unreachable = No hemos podido contactar con nuestro socio de verificación ahora mismo. Tu progreso está guardado: vuelve a intentarlo en un minuto.
notice-no-details-asked = LedgerOS no está pidiendo ningún dato ahora mismo, así que no se ha enviado nada.
notice-details-unreachable = No hemos podido contactar con LedgerOS ahora mismo. Tus datos siguen aquí: vuelve a intentarlo en un minuto.
notice-details-sent = Gracias: tus datos ya están en LedgerOS. Aquí te mostraremos qué pasa a continuación.
error-appeal-empty = Cuéntanos brevemente por qué crees que la decisión es un error.
error-appeal-too-long = Tu mensaje debe tener menos de { $max } caracteres.
notice-appeal-received = Hemos recibido tu apelación. Nuestro equipo de soporte te responderá por correo en un plazo de 2 días hábiles.
too-many-title = Demasiados intentos
