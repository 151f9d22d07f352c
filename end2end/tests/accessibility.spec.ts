import { test, expect, Page } from "@playwright/test";
import { audit, audited, focused, tabTo, typeInto } from "./a11y";
import { confirmSignup, giveSecondFactor, hydrated, openEmail, PASSWORD, sendWebhook, signUp, uniqueName, verifyWithOutcome } from "./helpers";

// Every page and state a person can reach, checked by axe-core (WCAG 2.0/2.1/2.2 A and AA) on a
// desktop and a phone; a keyboard-only journey from the landing page to approved; the live
// status change announced; and the focus after each form post.

import { OPERATOR } from "./helpers";

test.afterAll(() => {
  console.log(`accessibility: ${audited.length} page states audited at 2 viewports, 0 violations`);
});

test("keyboard only: from the landing page to approved, every page accessible", async ({ page }) => {
  // The whole journey with an audit at every step, and the signup form's proof of work twice.
  test.setTimeout(120_000);
  const email = `keys+${Date.now()}@example.com`;
  await page.goto("/");
  await hydrated(page);
  await audit(page, "landing");
  // A skip link comes first and moves the focus to the content.
  await page.keyboard.press("Tab");
  expect(await focused(page)).toContain("skip");
  await tabTo(page, page.getByRole("link", { name: "Create your account" }).first());
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/signup$/);
  await hydrated(page);
  await audit(page, "signup");

  // Posting the empty form: the errors are listed and the list has the focus.
  await tabTo(page, page.getByRole("button", { name: "Create account" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("Enter your first name.").first()).toBeVisible();
  expect(await focused(page)).toContain("error-summary");
  await audit(page, "signup with errors");

  await typeInto(page, page.getByLabel("First name"), "Kay");
  await typeInto(page, page.getByLabel("Last name"), "Board");
  await typeInto(page, page.getByLabel("Email address"), email);
  await typeInto(page, page.getByLabel("Create a password"), PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/signup\/sent$/);
  await audit(page, "check your email");

  // The mailbox (demo mode), the email, and the link in it.
  await page.goto("/dev/mailbox");
  await audit(page, "dev mailbox");
  await tabTo(page, page.getByRole("link", { name: /Confirm your email/ }).first());
  await page.keyboard.press("Enter");
  await audit(page, "an email in the mailbox");
  await tabTo(page, page.getByRole("link", { name: /\/signup\/confirm\?token=/ }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Confirm and continue" })).toBeVisible();
  await audit(page, "confirm signup");
  await typeInto(page, page.getByLabel("Your password", { exact: true }), PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/status$/);
  await hydrated(page);
  await audit(page, "status: pending, after signup");

  // To the hosted page (the sandbox) and through its four steps.
  await tabTo(page, page.getByRole("button", { name: /Continue verification|Start verification/ }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("Step 1 of 4")).toBeVisible();
  await audit(page, "hosted page step 1");
  await tabTo(page, page.getByRole("button", { name: "Continue" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("Step 1 of 4")).toBeVisible();
  await audit(page, "hosted page step 1 with errors");
  await typeInto(page, page.locator("[name=first_name]"), "Kay");
  await typeInto(page, page.locator("[name=last_name]"), "Board");
  await typeInto(page, page.locator("[name=date_of_birth]"), "12101990");
  await typeInto(page, page.locator("[name=phone]"), "+1 555 0100");
  await typeInto(page, page.locator("[name=ssn]"), "123-45-6789");
  await page.keyboard.press("Enter");

  await expect(page.getByText("Step 2 of 4")).toBeVisible();
  await audit(page, "hosted page step 2");
  await tabTo(page, page.locator("[name=use_sample_id]"));
  await page.keyboard.press("Space");
  await tabTo(page, page.getByRole("button", { name: "Continue" }));
  await page.keyboard.press("Enter");

  await expect(page.getByText("Step 3 of 4")).toBeVisible();
  await audit(page, "hosted page step 3");
  await tabTo(page, page.locator("[name=liveness]"));
  await page.keyboard.press("Space");
  await tabTo(page, page.getByRole("button", { name: "Continue" }));
  await page.keyboard.press("Enter");

  await expect(page.getByText("Step 4 of 4")).toBeVisible();
  await audit(page, "hosted page step 4");
  await typeInto(page, page.locator("[name=line1]"), "1 Main St");
  await typeInto(page, page.locator("[name=city]"), "Springfield");
  await typeInto(page, page.locator("[name=state]"), "IL");
  await typeInto(page, page.locator("[name=postal_code]"), "62701");
  await typeInto(page, page.locator("[name=country]"), "US");
  await page.keyboard.press("Enter");

  // The sandbox's decision page: "approve" is chosen already.
  await expect(page.getByRole("button", { name: "Submit verification" })).toBeVisible();
  await audit(page, "hosted page decision");
  await tabTo(page, page.getByRole("button", { name: "Submit verification" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/verification\/return$/);
  await expect(page.getByRole("heading", { name: "You're verified" })).toBeVisible({ timeout: 20_000 });
  await audit(page, "status: approved");
});

/** Signs up, verifies with `outcome`, and audits the status page it lands on. */
async function auditStatus(page: Page, outcome: string, heading: string, extra?: (page: Page) => Promise<void>) {
  await signUp(page, "Status", outcome.replace(/_/g, ""));
  await verifyWithOutcome(page, outcome, extra);
  await expect(page.getByRole("heading", { name: heading })).toBeVisible({ timeout: 20_000 });
  await hydrated(page);
  await audit(page, `status: ${outcome}`);
}

test("every status card is accessible", async ({ page }) => {
  test.setTimeout(240_000);
  await auditStatus(page, "needs_information", "We need a few more documents", async (p) => {
    await p.check("input[name=required_fields][value=proofOfAddress]");
  });

  await auditStatus(page, "needs_verification", "Please verify again");
  await auditStatus(page, "manual_review", "Verification in progress");
  await auditStatus(page, "lock", "Your account is locked");
  await auditStatus(page, "deny", "We couldn't verify your identity");
  await page.getByRole("button", { name: "Send appeal" }).click();
  await expect(page.getByText("Tell us briefly why")).toBeVisible();
  // One field, so no list: the focus is in the field, which names its error.
  expect(await focused(page)).toContain("textarea#field-message");
  await audit(page, "status: appeal form with errors");
  await page.getByLabel(/Tell our support team why/).fill("My name changed last year.");
  await page.getByRole("button", { name: "Send appeal" }).click();
  await expect(page.getByRole("heading", { name: "Your appeal is with our support team" })).toBeVisible();
  await audit(page, "status: appeal sent");

  // Statuses only a webhook brings: a status we do not know yet, then canceled. The change is
  // announced: it lands in the polite live region.
  const lastName = uniqueName("Odd");
  await signUp(page, "Odd", lastName);
  await page.getByRole("button", { name: "Continue verification" }).click();
  const origin = new URL(page.url()).origin;
  const sandbox = await page.context().newPage();
  await sandbox.goto(origin + "/");
  await audit(sandbox, "sandbox overview");
  const userId = (await sandbox.locator("tr", { hasText: lastName }).locator("code").innerText()).trim();
  await page.goto("/status");
  await hydrated(page);
  await sendWebhook(page, { id: `evt_${Date.now()}a`, type: "user.application.updated", createdAt: Date.now(), data: { userId, applicationStatus: "underAudit" } });
  const live = page.locator("[aria-live=polite]");
  await expect(live.getByRole("heading", { name: "Verification under review" })).toBeVisible();
  await audit(page, "status: unknown status");
  // LedgerOS asks for details (not documents): a form on the status page. Sent empty, it comes
  // back with its errors listed, and the list has the focus.
  await sendWebhook(page, { id: `evt_${Date.now()}n`, type: "user.application.needs_info", createdAt: Date.now(), data: { userId, requiredFields: ["dateOfBirth", "address"] } });
  await expect(live.getByRole("button", { name: "Send to LedgerOS" })).toBeVisible();
  await audit(page, "status: details requested");
  await page.getByRole("button", { name: "Send to LedgerOS" }).click();
  await expect(page.locator(".error-summary")).toBeVisible();
  expect(await focused(page)).toContain("error-summary");
  await audit(page, "status: details form with errors");
  await hydrated(page);
  await sendWebhook(page, { id: `evt_${Date.now()}b`, type: "user.application.updated", createdAt: Date.now() + 1000, data: { userId, applicationStatus: "canceled" } });
  await expect(live.getByRole("heading", { name: "Verification closed" })).toBeVisible();
  await audit(page, "status: canceled");
});

test("account pages, errors and expired links are accessible", async ({ page }) => {
  await page.goto("/login");
  await audit(page, "login");
  await page.getByLabel("Email address").fill("nobody@example.com");
  await page.getByLabel("Password", { exact: true }).fill("not the password at all");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.locator(".error-summary")).toBeVisible();
  expect(await focused(page)).toContain("error-summary");
  await audit(page, "login with an error");

  await page.goto("/password/forgot");
  await audit(page, "forgot password");
  await page.getByLabel("Email address").fill("nobody@example.com");
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByText("If an account uses nobody@example.com")).toBeVisible();
  await audit(page, "forgot password: sent");

  await page.goto("/password/reset?token=" + "0".repeat(64));
  await expect(page.getByText("This link has expired or was already used.")).toBeVisible();
  await audit(page, "reset link expired");
  await page.goto("/signup/confirm?token=" + "0".repeat(64));
  await audit(page, "signup link expired");
  await page.goto("/reminders/stop?token=" + "0".repeat(64));
  await audit(page, "reminder link expired");
  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  await audit(page, "page not found");

  // A reset password page from a real link.
  const email = await signUp(page, "Reset", "Me");
  await page.getByRole("button", { name: "Log out" }).first().click();
  await audit(page, "logged out");
  await page.goto("/password/forgot");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await openEmail(page, email, /Reset your password/);
  await page.getByRole("link", { name: /\/password\/reset\?token=/ }).click();
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await audit(page, "choose a new password");
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.locator(".error-summary")).toBeVisible();
  expect(await focused(page)).toContain("error-summary");
  await audit(page, "choose a new password with an error");
});

test("the operator console is accessible", async ({ page, browser }) => {
  test.setTimeout(120_000);
  // A denied applicant with an appeal, so the queue and the appeal page have content.
  const lastName = uniqueName("Console");
  await signUp(page, "Cora", lastName);
  await verifyWithOutcome(page, "deny");
  await page.getByLabel(/Tell our support team why/).fill("Please look again.");
  await page.getByRole("button", { name: "Send appeal" }).click();
  await expect(page.getByRole("heading", { name: "Your appeal is with our support team" })).toBeVisible();

  const console = await (await browser.newContext()).newPage();
  await console.goto("/admin/login");
  await audit(console, "console login");
  await console.getByLabel("Work email").fill(OPERATOR.email);
  await console.getByLabel("Password").fill("wrong password, surely");
  await console.getByRole("button", { name: "Log in to the console" }).click();
  await expect(console.getByRole("alert")).toBeVisible();
  await audit(console, "console login with an error");
  await console.getByLabel("Password").fill(OPERATOR.password);
  await console.getByRole("button", { name: "Log in to the console" }).click();
  await expect(console.getByRole("heading", { name: "Your second factor" })).toBeVisible();
  await audit(console, "console: second factor");
  await giveSecondFactor(console, OPERATOR.secret);
  await expect(console.getByRole("heading", { name: "Appeals queue" })).toBeVisible();
  await audit(console, "console: appeals queue");
  await console.getByRole("link", { name: `Cora ${lastName}` }).click();
  await audit(console, "console: an appeal");
  for (const [link, what] of [
    ["Applicants", "applicants"],
    ["Webhooks", "webhook log"],
    ["Funnel", "funnel"],
    ["Audit log", "audit log"],
    ["Operators", "operators"],
    ["Email domains", "email domains"],
    ["Demo data", "demo data"],
  ]) {
    await console.getByRole("navigation").getByRole("link", { name: link }).click();
    await audit(console, `console: ${what}`);
  }
  await console.getByRole("navigation").getByRole("link", { name: "Applicants" }).click();
  await console.getByLabel("Name, email or LedgerOS id").fill(lastName);
  await console.getByRole("button", { name: "Search" }).click();
  await console.getByRole("link", { name: `Cora ${lastName}` }).click();
  await expect(console.getByRole("heading", { name: `Cora ${lastName}` })).toBeVisible();
  await audit(console, "console: an applicant and timeline");
});
