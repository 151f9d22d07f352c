// Passkeys (WebAuthn): the only script on the pages that use them, loaded from our own origin
// (no inline script). Each passkey form carries the server's options in `data-options` and
// stays hidden without JavaScript or WebAuthn; the pages work without it (a code, a password).
// The browser's answer goes back in a plain form post, like every other form here.
(() => {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) return;
  // Browsers refuse passkeys on an IP address (http://127.0.0.1): the forms stay hidden.
  if (/^[\d.]+$|^\[/.test(location.hostname)) return;

  const toBytes = (text) =>
    Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const toText = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
  const created = (c) => ({
    id: c.id,
    rawId: toText(c.rawId),
    type: c.type,
    extensions: {},
    response: {
      attestationObject: toText(c.response.attestationObject),
      clientDataJSON: toText(c.response.clientDataJSON),
      transports: c.response.getTransports ? c.response.getTransports() : undefined,
    },
  });
  const asserted = (c) => ({
    id: c.id,
    rawId: toText(c.rawId),
    type: c.type,
    extensions: {},
    response: {
      authenticatorData: toText(c.response.authenticatorData),
      clientDataJSON: toText(c.response.clientDataJSON),
      signature: toText(c.response.signature),
      userHandle: c.response.userHandle ? toText(c.response.userHandle) : null,
    },
  });
  const send = (form, credential) => {
    form.elements.credential.value = JSON.stringify(credential);
    form.submit();
  };
  const requestOptions = (publicKey) => {
    publicKey.challenge = toBytes(publicKey.challenge);
    (publicKey.allowCredentials || []).forEach((c) => {
      c.id = toBytes(c.id);
    });
    return publicKey;
  };
  // The server's options: in the page, or fetched when the page itself is cached for everyone.
  const optionsOf = async (form) => {
    if (!form.dataset.optionsUrl) return JSON.parse(form.dataset.options);
    const response = await fetch(form.dataset.optionsUrl, {
      method: "POST",
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`options: ${response.status}`);
    return response.json();
  };
  // Only one WebAuthn request may be pending: an explicit one cancels the login page's
  // quiet offer first.
  let pending = null;

  for (const form of document.querySelectorAll("form[data-passkey]")) {
    form.hidden = false;
    const problem = form.querySelector("[data-passkey-error]");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (problem) problem.hidden = true;
      if (pending) pending.abort();
      try {
        const { publicKey } = await optionsOf(form);
        if (form.dataset.passkey === "register") {
          publicKey.challenge = toBytes(publicKey.challenge);
          publicKey.user.id = toBytes(publicKey.user.id);
          (publicKey.excludeCredentials || []).forEach((c) => {
            c.id = toBytes(c.id);
          });
          send(form, created(await navigator.credentials.create({ publicKey })));
        } else {
          send(form, asserted(await navigator.credentials.get({ publicKey: requestOptions(publicKey) })));
        }
      } catch (error) {
        // Cancelled, timed out, or no passkey here: say so, and leave the other ways open.
        if (problem) {
          problem.hidden = false;
          problem.focus?.();
        }
      }
    });
  }

  // The applicant login: the browser offers a saved passkey in the email field's suggestions
  // (conditional UI); choosing it signs in. Fetched options keep the page itself cacheable.
  // Not again within a minute of the last quiet try: a passkey the server refused (removed
  // from the account) must not send the page round in circles.
  const quiet = document.querySelector("form[data-passkey-conditional]");
  const lastTry = Number(sessionStorage.getItem("passkey-quiet-try") || 0);
  if (quiet && PublicKeyCredential.isConditionalMediationAvailable && Date.now() - lastTry > 60_000) {
    PublicKeyCredential.isConditionalMediationAvailable()
      .then(async (available) => {
        if (!available) return;
        const { publicKey } = await optionsOf(quiet);
        pending = new AbortController();
        const credential = await navigator.credentials.get({
          publicKey: requestOptions(publicKey),
          mediation: "conditional",
          signal: pending.signal,
        });
        sessionStorage.setItem("passkey-quiet-try", String(Date.now()));
        send(quiet, asserted(credential));
      })
      .catch(() => {
        // Nothing chosen, or another request took over: the password form is still there.
      });
  }
})();
