## La página de verificación de LedgerOS, tal como la sirve el sandbox integrado (`sandbox/src/hosted`).
## "LedgerOS Sandbox" es un nombre y no se traduce.

hosted-banner = Entorno de pruebas: no se comprueba ninguna identidad de verdad y no se guarda nada de lo que escribas.
hosted-error-title = Error: { $title }
hosted-error-prefix = Error:{" "}
hosted-problem = Hay un problema
hosted-invalid-title = Enlace no válido
hosted-invalid-heading = Este enlace de verificación no es válido
hosted-invalid-body = Vuelve a la aplicación y abre de nuevo la verificación para obtener un enlace nuevo.
hosted-wrong = Algo ha fallado

hosted-progress = Paso { $step } de { $total }
hosted-steps = Pasos de la verificación
hosted-done = (hecho)
hosted-back = Atrás
hosted-continue = Continuar

hosted-step-personal = Datos personales
hosted-step-government-id = Documento de identidad
hosted-step-selfie = Selfi
hosted-step-address = Dirección
hosted-step-review = Controles del sandbox

hosted-personal-intro = Necesitamos algunos datos para confirmar quién eres. Escribe tu nombre tal como aparece en tu documento de identidad.
hosted-first-name = Nombre legal
hosted-last-name = Apellidos legales
hosted-date-of-birth = Fecha de nacimiento
hosted-date-of-birth-hint = Por ejemplo, 1990-04-27
hosted-phone = Número de teléfono
hosted-phone-hint = Incluye el prefijo del país, como +34 600 000 000
hosted-tax-id = SSN o número de identificación fiscal
hosted-tax-id-hint = EE. UU.: SSN o ITIN de 9 cifras, como 123-45-6789. En otros países: tu número de identificación fiscal. Se comprueba y nunca se guarda.
hosted-error-first-name = Escribe tu nombre legal
hosted-error-last-name = Escribe tus apellidos legales
hosted-error-date-of-birth = Escribe tu fecha de nacimiento
hosted-error-date-of-birth-format = Escribe una fecha real con el formato AAAA-MM-DD
hosted-error-date-of-birth-real = Escribe una fecha de nacimiento real
hosted-error-date-of-birth-age = Debes tener al menos 18 años
hosted-error-phone = Escribe tu número de teléfono
hosted-error-phone-digits = Escribe un número de teléfono de 7 a 15 cifras, como +34 600 000 000
hosted-error-tax-id = Escribe tu SSN o número de identificación fiscal
hosted-error-tax-id-invalid = Escribe un SSN válido (9 cifras, como 123-45-6789) o un número de identificación fiscal

hosted-id-intro = Sube una foto o un escaneo de un documento de identidad oficial válido.
hosted-id-type = Tipo de documento
hosted-id-front = Parte delantera del documento
hosted-id-front-hint = JPEG, PNG o PDF. En el sandbox vale cualquier archivo; su contenido se descarta.
hosted-id-sample = Usar un documento de ejemplo (solo en el sandbox)
hosted-error-id-type = Elige el tipo de documento
hosted-error-id-front = Sube la parte delantera de tu documento o usa el documento de ejemplo

hosted-selfie-intro = Un selfi rápido confirma que eres la persona del documento (prueba de vida).
hosted-selfie-photo = Foto selfi
hosted-selfie-hint = Una foto nítida de tu cara. En el sandbox vale cualquier imagen; su contenido se descarta.
hosted-selfie-liveness = Hacer el selfi (simulado)
hosted-error-selfie = Sube un selfi o marca «{ hosted-selfie-liveness }»

hosted-address-intro = Dónde vives ahora. No se aceptan apartados de correos.
hosted-line1 = Dirección
hosted-line2 = Piso, puerta, etc. (opcional)
hosted-city = Ciudad o localidad
hosted-region = Provincia, estado o región
hosted-postal-code = Código postal
hosted-country = País
hosted-country-hint = Código de dos letras, como ES
hosted-error-line1 = Escribe la primera línea de tu dirección
hosted-error-city = Escribe tu ciudad o localidad
hosted-error-region = Escribe tu provincia, estado o región
hosted-error-postal-code = Escribe tu código postal
hosted-error-country = Escribe un código de país de dos letras, como ES

hosted-status-not-started = Sin empezar
hosted-status-pending = Pendiente
hosted-status-needs-information = Falta información
hosted-status-needs-verification = Hay que verificar de nuevo
hosted-status-manual-review = Revisión manual
hosted-status-approved = Aprobada
hosted-status-denied = Denegada
hosted-status-locked = Bloqueada
hosted-status-canceled = Cancelada
hosted-status-other = Otro

hosted-review-complete = Los cuatro pasos están completos.
hosted-review-current = Estado actual:{" "}
hosted-review-scheduled = Programado: { $what }.
hosted-documents-title = Sube los documentos solicitados
hosted-documents-samples = Usar documentos de ejemplo (solo en el sandbox)
hosted-documents-upload = Subir documentos
hosted-error-documents = Elige al menos un archivo para subir o usa documentos de ejemplo

hosted-outcome-title = Elige el resultado
hosted-outcome-intro = Ahora LedgerOS revisaría la solicitud. Aquí decides tú qué pasa: el estado cambia, la aplicación recibe un webhook firmado y vuelves a ella.
hosted-outcome = Resultado
hosted-outcome-approve = Aprobar
hosted-outcome-deny = Denegar (con el motivo de abajo)
hosted-outcome-needs-information = Falta información (pide los documentos de abajo)
hosted-outcome-needs-verification = Verificar de nuevo (la persona empieza otra vez)
hosted-outcome-manual-review = Revisión manual y, después, aprobar o denegar
hosted-outcome-lock = Bloquear la cuenta
hosted-reason = Motivo de la denegación (para denegar)
hosted-request = Documentos que pedir (para falta información)
hosted-manual-review = Revisión manual
hosted-then-approve = Después, aprobar
hosted-then-deny = Después, denegar (con el motivo de arriba)
hosted-review-seconds = Duración de la revisión (segundos)
hosted-delay = Espera antes del resultado (segundos)
hosted-delay-hint = Cuánto tiempo sigue la solicitud igual antes de aplicar el resultado
hosted-webhooks = Entrega de webhooks (avanzado)
hosted-delivery = Entrega
hosted-delivery-normal = Normal: cada evento una vez, enseguida
hosted-delivery-duplicate = Duplicada: cada evento dos veces, con el mismo id
hosted-delivery-late = Con retraso: cada evento tras la espera de abajo
hosted-delivery-reversed = Invertida: en una revisión manual, el evento final antes que el de revisión
hosted-delivery-skip = Sin webhook: cambia el estado sin enviar ninguno
hosted-late-by = Retraso (segundos)
hosted-submit = Enviar la verificación
hosted-return = Volver a la aplicación sin decidir
hosted-error-outcome = Elige un resultado
hosted-error-reason = Escribe un motivo para la denegación
hosted-error-request = Elige al menos un documento que pedir
hosted-error-review-outcome = Elige aprobar o denegar después de la revisión
hosted-error-delivery = Elige cómo se entregan los webhooks
hosted-error-seconds = Escribe un número entero de segundos entre 0 y { $max }
