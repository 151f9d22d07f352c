# La página de estado: el título, la tarjeta de cada estado y lo que la rodea.
status-hello = Hola, { $name }: así va tu verificación
status-welcome = Te damos la bienvenida, { $name }
status-session-ended = Tu sesión ha terminado.
status-log-in-again = Vuelve a iniciar sesión
status-to-see = para ver tu estado.
status-load-failed = No hemos podido cargar tu estado ahora mismo. Recarga la página para intentarlo de nuevo.
status-eyebrow = Verificación de identidad
status-next-label = Qué pasa ahora:{" "}
status-wait-note = Te mostraremos la decisión aquí en cuanto se tome.
status-make-deposit = Hacer un depósito
status-contact-support = Contactar con soporte
status-what-ledgeros-needs = Lo que necesita LedgerOS
status-other-information = Otra información
status-confirmed-just-now = Confirmado con LedgerOS hace un momento.
status-confirmed-minutes = Confirmado con LedgerOS hace { $count ->
    [one] 1 minuto
   *[other] { $count } minutos
}.
status-confirmed-hours = Confirmado con LedgerOS hace { $count ->
    [one] 1 hora
   *[other] { $count } horas
}.
status-confirmed-days = Confirmado con LedgerOS hace { $count ->
    [one] 1 día
   *[other] { $count } días
}.

action-start-verification = Empezar la verificación
action-continue-verification = Continuar la verificación
action-verify-again = Verificar de nuevo

status-setting-up-title = Estamos preparando tu verificación
status-setting-up-body = Estamos preparando la verificación de tu identidad con LedgerOS, nuestro socio de verificación.
status-setting-up-next = Suele tardar unos segundos. Puedes empezar en cuanto esté lista o volver más tarde: tu cuenta está guardada.
status-budget-wait-title = Estás en la lista
status-budget-wait-body = Tu cuenta está lista. Hoy se ha registrado tanta gente que la verificación de identidad se abrirá para ti un poco más tarde.
status-budget-wait-next = Te enviaremos un correo cuando puedas empezar, normalmente en unas horas. Hasta entonces no tienes que hacer nada.
status-waiting-title = Estamos esperando a LedgerOS
status-waiting-body = Gracias por completar la verificación. LedgerOS está revisando tus datos: suele tardar 1–5 minutos.
status-waiting-next = Esta página se actualiza sola en cuanto haya una decisión. Si cerraste la página de verificación antes de terminar, sigue donde lo dejaste.
status-not-started-title = Verifica tu identidad para empezar
status-not-started-body = Antes de que puedas depositar dinero o pedir una tarjeta, necesitamos confirmar quién eres. Tarda unos 5–10 minutos.
status-not-started-next = Irás a la página segura de LedgerOS y después volverás aquí.
status-pending-title = Verificación en curso
status-pending-body = Completa los cuatro pasos en la página segura de LedgerOS: datos personales, una foto de tu documento de identidad, una selfi y tu dirección. Si ya terminaste, LedgerOS está revisando tus datos: suele tardar 1–5 minutos.
status-pending-next = Sigue donde lo dejaste o espera aquí: esta página se actualiza sola.
status-needs-information-title = Necesitamos algunos documentos más
status-needs-information-body = LedgerOS no ha podido confirmarlo todo automáticamente y necesita los documentos que aparecen abajo.
status-needs-information-next = Sube aquí cada documento. Cuando LedgerOS los tenga todos, una persona revisará tus datos, normalmente en 1–2 días hábiles.
status-needs-verification-title = Vuelve a verificarte
status-needs-verification-body = LedgerOS necesita que hagas la verificación una vez más, por ejemplo porque una foto no se veía bien.
status-needs-verification-next = Tarda unos 5–10 minutos. Al terminar volverás aquí.
status-manual-review-title = Verificación en curso
status-manual-review-body = Una persona de LedgerOS está revisando tus datos. Suele tardar 1–2 días hábiles.
status-manual-review-next = No tienes que hacer nada. Esta página mostrará la decisión en cuanto se tome.
status-approved-title = Verificación completada
status-approved-body = Tu identidad está confirmada. Ya puedes hacer depósitos y pedir tarjetas.
status-approved-next = Haz tu primer depósito y después pide tu tarjeta.
status-denied-title = No hemos podido verificar tu identidad
status-denied-body = LedgerOS no ha podido aprobar tu verificación y no se puede volver a intentar.
status-denied-next = Si crees que es un error, contacta con nuestro equipo de soporte para apelar.
status-locked-title = Tu cuenta está bloqueada
status-locked-body = Tu cuenta se ha bloqueado, así que los depósitos y las tarjetas están en pausa.
status-locked-next = Contacta con nuestro equipo de soporte: te dirán por qué y qué hacer.
status-canceled-title = Verificación cerrada
status-canceled-body = Esta verificación se cerró y no se puede continuar.
status-canceled-next = Contacta con nuestro equipo de soporte si quieres volver a abrir tu cuenta.
status-unknown-title = Verificación en revisión
status-unknown-body = Estamos procesando tu verificación.
status-unknown-next = Ahora mismo no tienes que hacer nada. Esta página mostrará cualquier novedad en cuanto la tengamos.

# Depósitos y tarjetas, y los recordatorios, bajo la tarjeta de estado.
features-locked-note = Disponible cuando tu identidad esté verificada.
features-deposit-title = Depositar fondos
features-deposit-body = Añade dinero por transferencia bancaria. Los depósitos suelen llegar en un día hábil.
features-deposit-details = Aquí aparecerán los datos de tu cuenta para transferencias.
features-cards-title = Tarjetas
features-cards-body = Crea tarjetas virtuales para tus agentes y pide una tarjeta física.
reminders-title = Recordatorios por correo
reminders-on-text = Si tu verificación depende de ti, te enviaremos hasta tres correos breves para recordártelo.
reminders-turn-off = Desactivar recordatorios
reminders-off-text = Los recordatorios por correo están desactivados. Puedes volver a activarlos cuando quieras.
reminders-turn-on = Activar recordatorios
