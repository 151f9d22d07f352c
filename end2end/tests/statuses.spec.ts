import { test, expect } from "@playwright/test";
import { hydrated, signUp, uniqueName, verifyWithOutcome, sendWebhook } from "./helpers";
import { audit } from "./a11y";

// Each status as a person sees it: plain words, and what happens next.

test("coming back before a decision says we're waiting for LedgerOS", async ({ page }) => {
  await signUp(page, "Wait", "Ing");
  await page.getByRole("button", { name: "Continue verification" }).click();
  await expect(page.getByText("Step 1 of 4")).toBeVisible();
  // The person leaves half way and comes back through the app.
  await page.goto("/verification/return");
  await expect(page.getByRole("heading", { name: "We're waiting for LedgerOS" })).toBeVisible();
  await audit(page, "status: back before a decision");
  await expect(page.getByRole("button", { name: "Continue verification" })).toBeVisible();
  // And can always get back in: the same hosted page, at the step they reached.
  await page.getByRole("button", { name: "Continue verification" }).click();
  await expect(page.getByText("Step 1 of 4")).toBeVisible();
});

test("needs verification asks to verify again", async ({ page }) => {
  await signUp(page, "Again", "Please");
  await verifyWithOutcome(page, "needs_verification");
  await expect(page.getByRole("heading", { name: "Please verify again" })).toBeVisible();
  await page.getByRole("button", { name: "Verify again" }).click();
  await expect(page.getByText("LedgerOS Sandbox")).toBeVisible();
});

test("manual review explains the wait, then shows the decision by itself", async ({ page }) => {
  await signUp(page, "Manual", "Review");
  await verifyWithOutcome(page, "manual_review", async (p) => {
    await p.check("input[name=review_outcome][value=approve]");
    await p.fill("[name=review_seconds]", "3");
  });
  await expect(page.getByRole("heading", { name: "Verification in progress" })).toBeVisible();
  await expect(page.getByText("1–2 business days")).toBeVisible();
  await hydrated(page);
  // No reload: the server pushes the change.
  await expect(page.getByRole("heading", { name: "You're verified" })).toBeVisible({ timeout: 20_000 });
});

test("a denied applicant can appeal", async ({ page }) => {
  await signUp(page, "Denied", "Person");
  await verifyWithOutcome(page, "deny");
  await expect(page.getByRole("heading", { name: "We couldn't verify your identity" })).toBeVisible();
  await page.getByRole("button", { name: "Send appeal" }).click();
  await expect(page.getByText("Tell us briefly why")).toBeVisible();
  await page.getByLabel(/Tell our support team why/).fill("My name changed last year.");
  await page.getByRole("button", { name: "Send appeal" }).click();
  await expect(page.getByText("We've received your appeal")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Your appeal is with our support team" })).toBeVisible();
});

test("a locked account points to support", async ({ page }) => {
  await signUp(page, "Locked", "Out");
  await verifyWithOutcome(page, "lock");
  await expect(page.getByRole("heading", { name: "Your account is locked" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Contact support" })).toBeVisible();
  await expect(page.locator("#cards")).toContainText("Available once your identity is verified");
});

test("canceled and unknown statuses get a safe, plain message", async ({ page }) => {
  const lastName = uniqueName("Odd");
  await signUp(page, "Odd", lastName);
  // Find this person's LedgerOS id on the sandbox overview.
  const sandbox = await page.context().newPage();
  await page.getByRole("button", { name: "Continue verification" }).click();
  const origin = new URL(page.url()).origin;
  await sandbox.goto(origin + "/");
  const userId = (await sandbox.locator("tr", { hasText: lastName }).locator("code").innerText()).trim();
  await page.goto("/status");
  await hydrated(page);

  await sendWebhook(page, { id: `evt_${Date.now()}a`, type: "user.application.updated", createdAt: Date.now(), data: { userId, applicationStatus: "underAudit" } });
  await expect(page.getByRole("heading", { name: "Verification under review" })).toBeVisible();

  await sendWebhook(page, { id: `evt_${Date.now()}b`, type: "user.application.updated", createdAt: Date.now() + 1, data: { userId, applicationStatus: "canceled" } });
  await expect(page.getByRole("heading", { name: "Verification closed" })).toBeVisible();
});

test("pages work without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/signup");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your first name.").first()).toBeVisible();
  await signUp(page, "NoScript", "User", false);
  await expect(page.getByRole("heading", { name: "Verification in progress" })).toBeVisible();
  await verifyWithOutcome(page, "approve");
  await expect(page.getByRole("heading", { name: "You're verified" })).toBeVisible();
  await context.close();
});
