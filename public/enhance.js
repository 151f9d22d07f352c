// Small enhancements for pages that are complete without JavaScript. Every form here is a
// plain HTML form that posts to the server; this file only adds a "Show password" button next
// to password fields.
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

  document.body.setAttribute("data-enhanced", "true");
})();
