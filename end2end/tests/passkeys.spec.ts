import { test, expect, Page } from "@playwright/test";
import { audit } from "./a11y";
import { consoleLogin, openEmail, signUp, uniqueName } from "./helpers";

// Passkeys (issue 27) with Chromium's virtual authenticator (the DevTools WebAuthn domain): it
// answers like a phone or a laptop's fingerprint reader, with the user verified. Passkeys need a
// domain name, so these pages are on http://localhost (Makefile.toml sets BASE_URL and PUBLIC_URL).

/** A platform authenticator that keeps discoverable passkeys, on this page only. */
async function addAuthenticator(page: Page) {
  const client = await page.context().newCDPSession(page);
  await client.send("WebAuthn.enable");
  const { authenticatorId } = await client.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      ctap2Version: "ctap2_1",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const credentials = async () => (await client.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  return { credentials };
}

test("an applicant adds a passkey, is emailed, and signs in with it alone", async ({ page }) => {
  const lastName = uniqueName("Passkey");
  const email = await signUp(page, "Petra", lastName);
  const authenticator = await addAuthenticator(page);

  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Passkeys" })).toBeVisible();
  await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
  await page.getByLabel("Name it (optional)").fill("My laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("Passkey added. Next time, sign in with it.")).toBeVisible();
  await expect(page.getByRole("cell", { name: "My laptop", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Not yet" })).toBeVisible();
  await audit(page, "account page with a passkey");
  const stored = await authenticator.credentials();
  expect(stored).toHaveLength(1);
  expect(stored[0].isResidentCredential).toBe(true);

  await openEmail(page, email, /A passkey was added to your account/);
  await expect(page.getByText(/A passkey named "My laptop" was just added/)).toBeVisible();

  // Logged out, the login page: the browser offers the saved passkey and it signs her in,
  // without her email or password (conditional UI; the virtual authenticator picks it at once).
  await page.goto("/status");
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/status/);
  await page.goto("/account");
  await expect(page.getByRole("cell", { name: "Not yet" })).toHaveCount(0);

  // Removed, it signs nobody in: the login page stays, with the password form.
  await page.getByRole("button", { name: /Remove/ }).click();
  await expect(page.getByText("Passkey removed. It no longer signs you in.")).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByText("That passkey did not sign you in.")).toBeVisible();
  await expect(page.getByLabel("Password")).toBeVisible();
});

test("an operator sets up a passkey as their second factor and signs in with it", async ({ browser }) => {
  const email = `passkey${Date.now()}@fintech.example`;
  const admin = await (await browser.newContext()).newPage();
  await consoleLogin(admin);
  await admin.getByRole("link", { name: "Operators" }).click();
  await admin.getByLabel("Work email").fill(email);
  await admin.getByLabel("First password").fill("a long operator passphrase");
  await admin.getByRole("button", { name: "Add operator" }).click();
  const link = (await admin.locator("code.setup-link").textContent()) ?? "";

  const operator = await (await browser.newContext()).newPage();
  await addAuthenticator(operator);
  await operator.goto(new URL(link).pathname);
  await operator.getByRole("button", { name: "Continue" }).click();
  await operator.getByLabel("Work email").fill(email);
  await operator.getByLabel("Password").fill("a long operator passphrase");
  await operator.getByRole("button", { name: "Log in to the console" }).click();
  await expect(operator.getByRole("heading", { name: "A passkey (recommended)" })).toBeVisible();
  await operator.getByLabel("Name it (optional)").fill("Work laptop");
  await operator.getByRole("button", { name: "Add a passkey" }).click();
  await expect(operator.getByRole("heading", { name: "Save your recovery codes" })).toBeVisible();
  await operator.getByRole("link", { name: /continue to the console/ }).click();
  await expect(operator.getByRole("heading", { name: "Appeals queue" })).toBeVisible();

  // Next login: the password, then the passkey.
  await operator.getByRole("button", { name: "Log out" }).click();
  await operator.getByLabel("Work email").fill(email);
  await operator.getByLabel("Password").fill("a long operator passphrase");
  await operator.getByRole("button", { name: "Log in to the console" }).click();
  await expect(operator.getByRole("heading", { name: "Your second factor" })).toBeVisible();
  await audit(operator, "console: second factor with a passkey");
  await operator.getByRole("button", { name: "Use your passkey" }).click();
  await expect(operator.getByRole("heading", { name: "Appeals queue" })).toBeVisible();
  await operator.getByRole("link", { name: "Your sign-in" }).click();
  await expect(operator.getByRole("cell", { name: "Work laptop", exact: true })).toBeVisible();
  await audit(operator, "console: your sign-in");

  // Without the authenticator (another browser), the password alone opens nothing.
  const thief = await (await browser.newContext()).newPage();
  await thief.goto("/admin/login");
  await thief.getByLabel("Work email").fill(email);
  await thief.getByLabel("Password").fill("a long operator passphrase");
  await thief.getByRole("button", { name: "Log in to the console" }).click();
  await expect(thief.getByRole("heading", { name: "Your second factor" })).toBeVisible();
  await thief.getByLabel(/A recovery code/).fill("123456");
  await thief.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(thief.getByRole("alert")).toContainText("That code is not right");
  await thief.goto("/admin/applicants");
  await expect(thief).toHaveURL(/\/admin\/2fa/);
});
