import { expect, test } from "@playwright/test";
import { PASSWORD, openEmail, signUp } from "./helpers";

// After login, `next` is followed only as a path on this site, as the browser itself reads it:
// tabs, newlines and backslashes that the URL parser drops or rewrites must not turn a path
// into another host (`/<TAB>/evil.example` is `//evil.example` to a browser).
const NEXT_VALUES = [
  "/\t/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "/.//evil.example",
  "///evil.example",
  "https:/evil.example",
];

test("login never sends the browser to another site, whatever next says", async ({ page, baseURL }) => {
  const email = await signUp(page, "Redirect", "Check");
  const origin = new URL(baseURL!).origin;
  for (const next of NEXT_VALUES) {
    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    // Wherever the login leads (an error page, if it were another site), it leaves /login.
    await page.waitForURL((url) => url.pathname !== "/login");
    expect(new URL(page.url()).origin, `next=${JSON.stringify(next)} led to ${page.url()}`).toBe(origin);
    await page.goto("/status");
  }
});

test("the confirmation page names the address and needs the signup's password", async ({ page }) => {
  const email = `stranger-target+${Date.now()}@example.com`;
  // Someone else signs up with this address and a password of their own.
  await page.goto("/signup");
  await page.getByLabel("First name").fill("Mallory");
  await page.getByLabel("Last name").fill("M");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Create a password").fill("the stranger's own words");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/signup\/sent$/);
  // The owner of the address opens the link without knowing that password.
  await openEmail(page, email, /Confirm your email to finish signing up/);
  await page.getByRole("link", { name: /\/signup\/confirm\?token=/ }).click();
  await expect(page.getByText(email, { exact: true })).toBeVisible();
  await page.getByLabel("Your password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Confirm and continue" }).click();
  await expect(page).toHaveURL(/\/signup\/confirm\?token=/);
  await expect(page.getByText("not the password chosen", { exact: false }).first()).toBeVisible();
  await page.goto("/status");
  await expect(page).toHaveURL(/\/login/);
});
