# Lo que LedgerOS puede pedir, y los formularios para enviarlo.
document-passport = Pasaporte
document-passport-description = La página con foto de tu pasaporte, vigente y con las cuatro esquinas visibles.
document-drivers-license = Licencia de conducir
document-drivers-license-description = El frente de tu licencia de conducir, vigente y con las cuatro esquinas visibles.
document-national-id = Documento nacional de identidad
document-national-id-description = El frente de tu documento nacional de identidad, vigente y con las cuatro esquinas visibles.
document-proof-of-address = Comprobante de domicilio
document-proof-of-address-description = Una factura de suministros, un extracto bancario o una carta oficial de los últimos 3 meses con tu nombre y tu dirección.
document-government-id-back = Reverso de tu documento de identidad
document-government-id-back-description = Una foto del reverso del documento que usaste para verificarte, con las cuatro esquinas visibles.
document-selfie = Selfi
document-selfie-description = Una foto reciente y nítida de tu cara con buena luz, sin gafas de sol ni gorra.
upload-choose-file = Elegir un archivo
upload-for = {" "}para { $document }
upload-hint = PDF, JPEG o PNG, hasta 10 MB
upload-submit = Subir
upload-other-information = LedgerOS también necesita otra información, que puedes dar en su página segura.
upload-continue-on-ledgeros = Continuar en la página de LedgerOS

detail-first-name = Nombre legal
detail-last-name = Apellidos legales
detail-date-of-birth = Fecha de nacimiento
detail-date-of-birth-hint = Año, mes y día, por ejemplo 1990-04-27.
detail-address = Domicilio
detail-line1 = Dirección, línea 1
detail-line2 = Dirección, línea 2 (opcional)
detail-city = Ciudad o localidad
detail-state = Estado, región o provincia
detail-postal-code = Código postal
detail-country = País
detail-country-hint = El código de dos letras, por ejemplo ES.
details-title = Confirma tus datos
details-hint = Tal como aparecen en tu documento de identidad. Los enviamos directamente a LedgerOS.
details-submit = Enviar a LedgerOS

appeal-answered-title = Nuestro equipo de soporte ha respondido a tu apelación
appeal-answered-body = Te respondieron por correo el { $date }. Revisa tu bandeja de entrada (y la carpeta de spam). Para contestar, responde a ese correo.
appeal-sent-title = Tu apelación está en manos de nuestro equipo de soporte
appeal-sent-body = La recibimos el { $date }. Te responderán por correo en un plazo de 2 días hábiles. No tienes que hacer nada más.
appeal-title = ¿Crees que es un error?
appeal-label = Cuéntale a nuestro equipo de soporte por qué, y revisarán tu caso
appeal-hint = Por ejemplo, si te cambiaste el nombre hace poco o renovaste tu documento. Te responderemos por correo en un plazo de 2 días hábiles.
appeal-submit = Enviar apelación

# Después de subir un archivo.
upload-unreadable = No hemos podido leer ese archivo. Vuelve a elegirlo y pulsa Subir.
upload-no-file = No se ha subido «{ $document }»: primero elige un archivo y después pulsa Subir.
upload-empty-file = No se ha subido «{ $document }»: el archivo que elegiste está vacío. Elige otro archivo.
upload-too-large = No se ha subido «{ $document }»: el archivo ocupa más de 10 MB. Elige uno más pequeño, por ejemplo una foto o un escaneo con menos resolución.
upload-wrong-type = No se ha subido «{ $document }»: el archivo no es PDF, JPEG ni PNG. Elige un archivo PDF, JPEG o PNG del documento.
upload-nothing-requested = LedgerOS no está esperando ningún documento tuyo ahora mismo, así que no se ha enviado nada.
upload-not-requested = LedgerOS no ha pedido ese documento, así que no se ha enviado. Sube los documentos que aparecen en esta página.
upload-partner-unavailable = No hemos podido contactar con nuestro socio de verificación, así que «{ $document }» no se ha enviado. Vuelve a intentarlo en un minuto.
upload-partner-refused = Nuestro socio de verificación no ha podido aceptar este archivo para «{ $document }». Comprueba que se vea el documento entero y con claridad, y vuelve a intentarlo.
upload-internal = Algo ha fallado por nuestra parte, así que «{ $document }» no se ha enviado. Vuelve a intentarlo en un minuto.
upload-your-document = Tu documento
upload-sent = Gracias: «{ $document }» se ha enviado a LedgerOS.{ $remaining ->
    [0] {""}
    [1] {" "}Sube el último documento de la lista de abajo.
   *[other] {" "}Sube los demás documentos de la lista de abajo.
}
