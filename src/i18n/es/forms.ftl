# Errores en lo que se escribió, junto al campo.
error-email-empty = Escribe tu correo electrónico.
error-email-too-long = Este correo electrónico es demasiado largo.
error-email-malformed = Escribe un correo electrónico como nombre@ejemplo.com.
error-email-throwaway = Usa una dirección que vayas a conservar: allí te enviamos el resultado de tu verificación.
error-name-empty = { $field ->
    [first] Escribe tu nombre.
    [last] Escribe tus apellidos.
    [legal-first] Escribe tu nombre legal, tal como aparece en tu documento de identidad.
   *[legal-last] Escribe tus apellidos legales, tal como aparecen en tu documento de identidad.
}
error-name-not-a-name = { $field ->
    [first] Escribe tu nombre tal como aparece en tu documento de identidad: solo letras, espacios, apóstrofos, guiones y puntos.
    [last] Escribe tus apellidos tal como aparecen en tu documento de identidad: solo letras, espacios, apóstrofos, guiones y puntos.
    [legal-first] Escribe tu nombre legal tal como aparece en tu documento de identidad: solo letras, espacios, apóstrofos, guiones y puntos.
   *[legal-last] Escribe tus apellidos legales tal como aparecen en tu documento de identidad: solo letras, espacios, apóstrofos, guiones y puntos.
}
error-too-long = Usa menos de { $max } caracteres.
error-password-too-short = Usa al menos { $min } caracteres. Unas cuantas palabras juntas funcionan bien.
error-password-too-long = Usa como máximo { $max } caracteres.
error-password-common = Esta contraseña aparece en las listas que los atacantes prueban primero. Elige otra.
error-line1-missing = Escribe la primera línea de tu dirección.
error-city-missing = Escribe tu ciudad o localidad.
error-state-missing = Escribe tu estado, región o provincia.
error-postal-code-missing = Escribe tu código postal.
error-country = Escribe el código de país de dos letras, por ejemplo ES.
error-control-characters = Usa solo letras, números y signos de puntuación.
error-date-format = Escribe tu fecha de nacimiento como año-mes-día, por ejemplo 1990-04-27.
error-date-future = Tu fecha de nacimiento no puede estar en el futuro.
error-too-young = Necesitas tener 18 años o más para abrir una cuenta.
error-date-year = Revisa el año de tu fecha de nacimiento.
