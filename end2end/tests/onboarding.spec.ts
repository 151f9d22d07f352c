import { test, expect } from "@playwright/test";
import { completeHostedSteps, confirmSignup, hydrated } from "./helpers";

// A person signs up, verifies on the sandbox's hosted page, and comes back approved.

test("sign up, verify on the hosted page, come back approved", async ({ page }) => {
  const email = `ada+${Date.now()}@example.com`;
  // Our Content-Security-Policy must not block anything the app needs.
  const blocked: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) blocked.push(message.text());
  });

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Why we verify your identity" })).toBeVisible();
  await page.getByRole("link", { name: "Create your account" }).first().click();

  await expect(page).toHaveURL(/\/signup$/);
  await hydrated(page);
  await page.getByLabel("First name").fill("Ada");
  await page.getByLabel("Last name").fill("Lovelace");
  await page.getByLabel("Email address").fill(email);
  const password = page.getByLabel("Create a password");
  await password.fill("correct horse battery staple");

  // Hydration works: the reactive "Show password" toggle changes the field in place.
  await expect(password).toHaveAttribute("type", "password");
  await page.getByRole("button", { name: "Show password" }).click();
  await expect(password).toHaveAttribute("type", "text");
  await expect(page.getByRole("button", { name: "Hide password" })).toHaveAttribute("aria-pressed", "true");

  await page.getByRole("button", { name: "Create account" }).click();

  // The address is confirmed with the link we email (read here in the demo's dev mailbox).
  await confirmSignup(page, email);
  await expect(page.getByRole("heading", { name: "Verification in progress" })).toBeVisible();
  await expect(page.locator("#deposit")).toContainText("Available once your identity is verified");
  await page.getByRole("button", { name: "Continue verification" }).click();

  // LedgerOS's hosted page (the built-in sandbox): four steps.
  await completeHostedSteps(page);
  await page.check("input[name=outcome][value=approve]");
  await page.getByRole("button", { name: "Submit verification" }).click();

  // Back in the app: the status is fetched on arrival and the webhook confirms it.
  await expect(page).toHaveURL(/\/verification\/return$/);
  await expect(page.getByRole("heading", { name: "You're verified" })).toBeVisible();
  await expect(page.locator("#deposit")).not.toContainText("Available once your identity is verified");
  await page.goto("/status");
  await expect(page.locator("[data-status=approved]")).toBeVisible();
  await hydrated(page);
  expect(blocked).toEqual([]);
});

test("an open status page shows the decision without reloading", async ({ page, context }) => {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel("First name").fill("Grace");
  await page.getByLabel("Last name").fill("Hopper");
  const email = `grace+${Date.now()}@example.com`;
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Create a password").fill("another long passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await confirmSignup(page, email, true, "another long passphrase");
  await hydrated(page);
  const status = page.locator("[aria-live=polite]");
  await expect(status).toContainText("Verification in progress");

  // A second tab of the same browser completes verification and gets denied.
  const other = await context.newPage();
  await other.goto("/status");
  await other.getByRole("button", { name: "Continue verification" }).click();
  await completeHostedSteps(other);
  await other.check("input[name=outcome][value=deny]");
  await other.getByRole("button", { name: "Submit verification" }).click();
  await expect(other).toHaveURL(/\/verification\/return$/);

  // The first tab, never reloaded, announces the decision.
  await expect(status).toContainText("We couldn't verify your identity");
  await expect(page.getByRole("link", { name: "Contact support" })).toBeVisible();
});
