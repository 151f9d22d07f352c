import { test, expect } from "@playwright/test";
import { hydrated, openEmail, signUp } from "./helpers";
import { audit } from "./a11y";

// Forgotten password: the link by email, a new password, and the old session ends.

test("a forgotten password is reset by email, and other sessions end", async ({ browser }) => {
  const first = await browser.newContext();
  const page = await first.newPage();
  const email = await signUp(page, "Forgetful", "Person");
  await expect(page.locator("[data-status]")).toBeVisible();

  // A second browser asks for a reset from the login page.
  const second = await browser.newContext();
  const other = await second.newPage();
  await other.goto("/login");
  await other.getByRole("link", { name: "Forgot your password?" }).click();
  await hydrated(other);
  await other.getByLabel("Email address").fill(email);
  await other.getByRole("button", { name: "Send me a link" }).click();
  await expect(other.getByText(`If an account uses ${email}`)).toBeVisible();

  await openEmail(other, email, /Reset your password/);
  await other.getByRole("link", { name: /\/password\/reset\?token=/ }).click();
  await expect(other.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await other.getByLabel("New password").fill("a brand new passphrase");
  await other.getByRole("button", { name: "Save new password" }).click();
  await expect(other).toHaveURL(/\/status$/);
  await expect(other.getByText("Your password is changed")).toBeVisible();
  await audit(other, "status: password changed notice");

  // The first browser's session has ended.
  await page.goto("/status");
  await expect(page).toHaveURL(/\/login\?next=%2Fstatus|\/login\?next=\/status/);

  // The link worked once.
  await openEmail(other, email, /Reset your password/);
  await other.getByRole("link", { name: /\/password\/reset\?token=/ }).click();
  await expect(other.getByText("This link has expired or was already used.")).toBeVisible();
  await expect(other.getByRole("link", { name: "Send me a new link" })).toBeVisible();

  await first.close();
  await second.close();
});

test("the dev mailbox lists what was sent and the signup page gives nothing away", async ({ page }) => {
  const email = await signUp(page, "Once", "Only");
  await page.getByRole("button", { name: "Log out" }).click();
  // Signing up again with the same address looks exactly like a first signup.
  await page.goto("/signup");
  await page.getByLabel("First name").fill("Someone");
  await page.getByLabel("Last name").fill("Else");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Create a password").fill("some other passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/signup\/sent$/);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  // Only the owner of the address learns it already has an account.
  await openEmail(page, email, /You already have an account/);
  await expect(page.getByText("nothing was changed")).toBeVisible();
});
