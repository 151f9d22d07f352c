import { test, expect } from "@playwright/test";
import { hydrated, signUp, verifyWithOutcome } from "./helpers";

// The operator console: support finds a denied applicant's appeal, answers it, and the
// applicant's open status page shows the answer.

const OPERATOR = { email: "admin@demo.example", password: "demo console passphrase" };

test("support answers an appeal and the applicant sees it", async ({ page, browser }) => {
  const lastName = `Appealing${Date.now()}`;
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
  await expect(console.getByRole("heading", { name: "Appeals queue" })).toBeVisible();
  await console.getByRole("link", { name: `Dana ${lastName}` }).click();
  await expect(console.getByText("My ID was renewed last month.")).toBeVisible();
  await console.getByLabel(/Your reply, emailed to Dana/).fill("Thanks Dana: we asked LedgerOS to look again with your new ID.");
  await console.getByRole("button", { name: "Send reply" }).click();
  await expect(console.getByText("Reply sent and the appeal resolved.")).toBeVisible();
  await expect(console.getByRole("link", { name: `Dana ${lastName}` })).toHaveCount(0);

  // The applicant's open page changes by itself (no reload), and the email is in the mailbox.
  await expect(page.getByRole("heading", { name: "Our support team has answered your appeal" })).toBeVisible({ timeout: 15_000 });
  await console.getByRole("link", { name: "Audit log" }).click();
  await expect(console.getByRole("cell", { name: "appeal answered and resolved" }).first()).toBeVisible();
});
