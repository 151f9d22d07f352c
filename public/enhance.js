// Small enhancements for pages that are complete without JavaScript. Every form here is a
// plain HTML form that posts to the server; this file only adds a "Show password" button next
// to password fields, and answers the signup form's proof-of-work challenge.
// The live status on the status page is a Leptos island (the only WebAssembly we ship).
(() => {
  "use strict";

  // "Show password": a real button, announced as a toggle, controlling its input.
  for (const row of document.querySelectorAll("[data-password-toggle]")) {
    const input = row.querySelector("input");
    if (!input || !input.id) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary button-small";
    button.setAttribute("aria-controls", input.id);
    // The words come from the page, in its language.
    const labels = { show: row.dataset.showLabel || "Show password", hide: row.dataset.hideLabel || "Hide password" };
    const show = (visible) => {
      input.type = visible ? "text" : "password";
      button.setAttribute("aria-pressed", String(visible));
      button.textContent = visible ? labels.hide : labels.show;
    };
    button.addEventListener("click", () => show(input.type === "password"));
    show(false);
    row.appendChild(button);
  }

  // The signup form's proof of work (ALTCHA's protocol): find the number n from 0 to
  // `maxnumber` whose SHA-256 of salt + n is the challenge, while the person types. About a
  // second on a phone; sending before it is done waits for it. No WebCrypto (not a secure
  // context): the form goes without, under a tighter limit.
  for (const form of document.querySelectorAll("form[data-proof]")) {
    const field = form.querySelector('input[name="altcha"]');
    if (!field || !window.crypto || !crypto.subtle) continue;
    const solve = async () => {
      const response = await fetch(form.dataset.proof, { credentials: "same-origin" });
      const c = await response.json();
      const started = Date.now();
      const encoder = new TextEncoder();
      const target = new Uint8Array(c.challenge.match(/../g).map((pair) => parseInt(pair, 16)));
      const isTarget = (digest) => new Uint8Array(digest).every((byte, i) => byte === target[i]);
      // Digests in batches: one await per batch, not per try, keeps the page's thread free
      // and lets the browser hash them side by side.
      const BATCH = 500;
      for (let from = 0; from <= c.maxnumber; from += BATCH) {
        const tries = [];
        for (let n = from; n < Math.min(from + BATCH, c.maxnumber + 1); n++) {
          tries.push(crypto.subtle.digest("SHA-256", encoder.encode(c.salt + n)));
        }
        const found = (await Promise.all(tries)).findIndex(isTarget);
        if (found >= 0) {
          const took = Date.now() - started;
          const payload = { algorithm: c.algorithm, challenge: c.challenge, number: from + found, salt: c.salt, signature: c.signature, took };
          field.value = btoa(JSON.stringify(payload));
          form.dataset.proofMs = String(took);
          return;
        }
      }
    };
    const solved = solve().catch(() => {});
    let sending = false;
    form.addEventListener("submit", (event) => {
      if (field.value || sending) return;
      event.preventDefault();
      sending = true;
      solved.then(() => form.requestSubmit ? form.requestSubmit() : form.submit());
    });
  }

  document.body.setAttribute("data-enhanced", "true");
})();
