import { expect, Page } from "@playwright/test";
import { createHmac } from "node:crypto";

/**
 * Waits until the page is interactive: its small script has run (`data-enhanced`) and, on a page
 * with an island (the live status), the island has hydrated (`data-hydrated`, set by an Effect,
 * which runs only in the browser).
 */
export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-enhanced", "true");
  if ((await page.locator("leptos-island").count()) > 0) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
}

/** The password the helpers sign up with. */
export const PASSWORD = "correct horse battery staple";

/**
 * Makes the page's requests come from an address of its own (the app trusts X-Forwarded-For
 * from loopback in the browser tests), as each real person has: the per-address signup limit
 * then counts this person's signups, not the whole suite's.
 */
export async function fromOwnAddress(page: Page) {
  const octet = () => 1 + Math.floor(Math.random() * 254);
  await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.${octet()}.${octet()}.${octet()}` });
}

/**
 * A name no other test uses, by the app's name rule (letters, no digits): `prefix` and the
 * time in letters ("Odd" + "bhgc…"), so the console can find this test's person.
 */
export function uniqueName(prefix: string): string {
  return prefix + String(Date.now()).replace(/\d/g, (d) => "abcdefghij"[Number(d)]);
}

/** Signs up a new person through the form; ends on /status. Returns the email used. */
export async function signUp(page: Page, firstName: string, lastName: string, javascript = true): Promise<string> {
  await fromOwnAddress(page);
  const email = `${firstName.toLowerCase()}+${Date.now()}${Math.floor(Math.random() * 1000)}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("First name").fill(firstName);
  await page.getByLabel("Last name").fill(lastName);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Create a password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await confirmSignup(page, email, javascript);
  return email;
}

/** Opens the newest email to `email` whose subject matches, in the demo's dev mailbox. */
export async function openEmail(page: Page, email: string, subject: RegExp) {
  const entry = page.getByRole("link", { name: new RegExp(`${subject.source}.*To: ${email.replace(/[+.]/g, "\\$&")}`) }).first();
  await expect(async () => {
    await page.goto("/dev/mailbox");
    await expect(entry).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15000 });
  await entry.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(subject);
}

/** After the signup form: "check your email", then the link in it, then "Confirm and continue"; ends on /status. */
export async function confirmSignup(page: Page, email: string, javascript = true, password = PASSWORD) {
  await expect(page).toHaveURL(/\/signup\/sent$/);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  // The page hydrates cleanly (the demo-mode hint comes from the server, not from context).
  if (javascript) await hydrated(page);
  await openEmail(page, email, /Confirm your email to finish signing up/);
  await page.getByRole("link", { name: /\/signup\/confirm\?token=/ }).click();
  // The page names the address being confirmed and asks for the signup's password.
  await expect(page.getByText(email, { exact: true })).toBeVisible();
  await page.getByLabel("Your password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Confirm and continue" }).click();
  await expect(page).toHaveURL(/\/status$/);
}

/** The words of LedgerOS's hosted page (the built-in sandbox) that the tests follow. */
export type HostedWords = { step: (n: number) => string; continue: string; submit: string };
export const HOSTED_ENGLISH: HostedWords = {
  step: (n) => `Step ${n} of 4`,
  continue: "Continue",
  submit: "Submit verification",
};
export const HOSTED_SPANISH: HostedWords = {
  step: (n) => `Paso ${n} de 4`,
  continue: "Continuar",
  submit: "Enviar la verificación",
};

/** The demo's console admin (created at start in demo mode), with its published authenticator secret. */
export const OPERATOR = {
  email: "admin@demo.example",
  password: "demo console passphrase",
  secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
};

function base32(s: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of s.toUpperCase().replace(/[\s=-]/g, "")) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code an authenticator app shows for `secret` at `ms` (RFC 6238: SHA-1, 6 digits, 30 s). */
export function totp(secret: string, ms = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 1000 / 30)));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, "0");
}

/** The latest time step this worker used a code of, per secret: a code works once, so the next
 * login uses the next step's code (the server accepts one step ahead) or waits for it. */
const usedSteps = new Map<string, number>();

export async function freshCode(secret: string): Promise<string> {
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    const use = Math.max(step, (usedSteps.get(secret) ?? 0) + 1);
    if (use <= step + 1) {
      usedSteps.set(secret, use);
      return totp(secret, use * 30_000);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** Types the second factor on the console's second-factor page. */
export async function giveSecondFactor(page: Page, secret: string) {
  await expect(page.getByRole("heading", { name: /Your second factor|Confirm it's you/ })).toBeVisible();
  await page.getByLabel(/Code from your authenticator app/).fill(await freshCode(secret));
  await page.getByRole("button", { name: "Continue", exact: true }).click();
}

/** Logs in to the console: the password, then the second factor (an app's code). */
export async function consoleLogin(page: Page, who: { email: string; password: string; secret: string } = OPERATOR) {
  await page.goto("/admin/login");
  await page.getByLabel("Work email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Log in to the console" }).click();
  await giveSecondFactor(page, who.secret);
}

/** Goes through the four steps of LedgerOS's hosted page (the built-in sandbox). */
export async function completeHostedSteps(page: Page, words: HostedWords = HOSTED_ENGLISH) {
  await expect(page.getByText(words.step(1))).toBeVisible();
  await page.fill("[name=first_name]", "Ada");
  await page.fill("[name=last_name]", "Lovelace");
  await page.fill("[name=date_of_birth]", "1990-12-10");
  await page.fill("[name=phone]", "+1 555 0100");
  await page.fill("[name=ssn]", "123-45-6789");
  await page.getByRole("button", { name: words.continue }).click();

  await expect(page.getByText(words.step(2))).toBeVisible();
  await page.selectOption("[name=id_type]", "passport");
  await page.check("[name=use_sample_id]");
  await page.getByRole("button", { name: words.continue }).click();

  await expect(page.getByText(words.step(3))).toBeVisible();
  await page.check("[name=liveness]");
  await page.getByRole("button", { name: words.continue }).click();

  await expect(page.getByText(words.step(4))).toBeVisible();
  await page.fill("[name=line1]", "1 Main St");
  await page.fill("[name=city]", "Springfield");
  await page.fill("[name=state]", "IL");
  await page.fill("[name=postal_code]", "62701");
  await page.fill("[name=country]", "US");
  await page.getByRole("button", { name: words.continue }).click();
}

/** From /status: continue to the hosted page, do the steps and pick `outcome` on the sandbox controls. */
export async function verifyWithOutcome(page: Page, outcome: string, extra?: (page: Page) => Promise<void>) {
  await page.getByRole("button", { name: /Continue verification|Start verification/ }).click();
  await completeHostedSteps(page);
  await page.check(`input[name=outcome][value=${outcome}]`);
  if (extra) await extra(page);
  await page.getByRole("button", { name: "Submit verification" }).click();
  await expect(page).toHaveURL(/\/verification\/return$/);
}

/** The demo webhook secret of the built-in sandbox. */
const SECRET = "whsec_sandbox_demo";

/** Sends a signed LedgerOS webhook to the app, as LedgerOS would. */
export async function sendWebhook(page: Page, event: object) {
  const body = JSON.stringify(event);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac("sha256", SECRET).update(`${t}.${body}`).digest("hex");
  const response = await page.request.post("/webhooks/ledger", {
    data: body,
    headers: { "content-type": "application/json", "x-ledger-signature": `t=${t},v1=${v1}` },
  });
  expect(response.status()).toBe(200);
}
