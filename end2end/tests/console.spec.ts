import { test, expect } from "@playwright/test";
import { consoleLogin, freshCode, giveSecondFactor, hydrated, OPERATOR, signUp, uniqueName, verifyWithOutcome } from "./helpers";
import { audit } from "./a11y";

// The operator console: support finds a denied applicant's appeal, answers it, and the
// applicant's open status page shows the answer.


test("support answers an appeal and the applicant sees it", async ({ page, browser }) => {
  const lastName = uniqueName("Appealing");
  await signUp(page, "Dana", lastName);
  await verifyWithOutcome(page, "deny");
  await page.getByLabel(/Tell our support team why/).fill("My ID was renewed last month.");
  await page.getByRole("button", { name: "Send appeal" }).click();
  await expect(page.getByRole("heading", { name: "Your appeal is with our support team" })).toBeVisible();
  await hydrated(page);

  // An operator, in another browser: customers' sessions never open the console.
  const console = await (await browser.newContext()).newPage();
  await console.goto("/admin");
  await expect(console.getByRole("heading", { name: "Operator login" })).toBeVisible();
  await console.getByLabel("Work email").fill(OPERATOR.email);
  await console.getByLabel("Password").fill(OPERATOR.password);
  await console.getByRole("button", { name: "Log in to the console" }).click();
  // A password alone opens nothing: the second factor comes first.
  await giveSecondFactor(console, OPERATOR.secret);
  await expect(console.getByRole("heading", { name: "Appeals queue" })).toBeVisible();
  await console.getByRole("link", { name: `Dana ${lastName}` }).click();
  await expect(console.getByText("My ID was renewed last month.")).toBeVisible();
  await console.getByLabel(/Your reply, emailed to Dana/).fill("Thanks Dana: we asked LedgerOS to look again with your new ID.");
  await console.getByRole("button", { name: "Send reply" }).click();
  await expect(console.getByText("Reply sent and the appeal resolved.")).toBeVisible();
  await expect(console.getByRole("link", { name: `Dana ${lastName}` })).toHaveCount(0);

  // The applicant's open page changes by itself (no reload), and the email is in the mailbox.
  await expect(page.getByRole("heading", { name: "Our support team has answered your appeal" })).toBeVisible({ timeout: 15_000 });
  await audit(page, "status: appeal answered");
  await console.getByRole("link", { name: "Audit log" }).click();
  await expect(console.getByRole("cell", { name: "appeal answered and resolved" }).first()).toBeVisible();
});

test("support finds an applicant and is refused what only admins may do", async ({ page, browser }) => {
  const lastName = uniqueName("Findable");
  await signUp(page, "Farah", lastName);
  await verifyWithOutcome(page, "deny");
  await expect(page.getByRole("heading", { name: "We couldn't verify your identity" })).toBeVisible();

  // An admin adds a support operator.
  const supportEmail = `support${Date.now()}@fintech.example`;
  const admin = await (await browser.newContext()).newPage();
  await consoleLogin(admin);
  await admin.getByRole("link", { name: "Operators" }).click();
  await admin.getByLabel("Work email").fill(supportEmail);
  await admin.getByLabel("First password").fill("a long support passphrase");
  await admin.getByLabel("Role").selectOption("support");
  await admin.getByRole("button", { name: "Add operator" }).click();
  await expect(admin.getByRole("heading", { name: "Operator added" })).toBeVisible();
  // The one-time link that sets up their second factor, shown once.
  const link = (await admin.locator("code.setup-link").textContent()) ?? "";
  expect(link).toContain("/admin/setup/");
  await audit(admin, "console: operator added, setup link");

  // The new operator: the link, their password, then an authenticator app (its key typed, as
  // if the QR code were scanned), and recovery codes shown once.
  const support = await (await browser.newContext()).newPage();
  await support.goto(new URL(link).pathname);
  await audit(support, "console: setup link");
  await support.getByRole("button", { name: "Continue" }).click();
  await support.getByLabel("Work email").fill(supportEmail);
  await support.getByLabel("Password").fill("a long support passphrase");
  await support.getByRole("button", { name: "Log in to the console" }).click();
  await expect(support.getByRole("heading", { name: "Set up your second factor" })).toBeVisible();
  await audit(support, "console: second factor setup");
  const secret = (await support.locator("[data-totp-secret]").getAttribute("data-totp-secret")) ?? "";
  await support.getByLabel("The six digits your app shows").fill(await freshCode(secret));
  await support.getByRole("button", { name: "Use this app" }).click();
  await expect(support.getByRole("heading", { name: "Save your recovery codes" })).toBeVisible();
  await expect(support.locator("ol.recovery-codes li")).toHaveCount(10);
  await audit(support, "console: recovery codes");
  await support.getByRole("link", { name: /continue to the console/ }).click();
  await support.getByRole("link", { name: "Applicants" }).click();
  await support.getByLabel("Name, email or LedgerOS id").fill(lastName);
  await support.getByLabel("Status").selectOption("denied");
  await support.getByRole("button", { name: "Search" }).click();
  await support.getByRole("link", { name: `Farah ${lastName}` }).click();
  await expect(support.getByRole("heading", { name: `Farah ${lastName}` })).toBeVisible();
  await expect(support.getByText("Status: Not approved")).toBeVisible();
  await expect(support.getByText("Webhook received: user.application.denied")).toBeVisible();
  // No operators link for support, and the page itself refuses.
  await expect(support.getByRole("link", { name: "Operators" })).toHaveCount(0);
  const refused = await support.goto("/admin/operators");
  expect(refused?.status()).toBe(403);
  await expect(support.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await audit(support, "console: admins only");
});
