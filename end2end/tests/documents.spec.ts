import { test, expect } from "@playwright/test";
import { signUp, verifyWithOutcome } from "./helpers";
import { audit } from "./a11y";

// LedgerOS asks for one more document; the person uploads it from the status page.

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

test("needs information: upload the requested document, then manual review", async ({ page }) => {
  await signUp(page, "Doc", "Upload");
  await verifyWithOutcome(page, "needs_information", async (p) => {
    await p.check("input[name=required_fields][value=proofOfAddress]");
  });

  // Back in the app: what LedgerOS needs, in plain words, with a form for it.
  await expect(page.getByRole("heading", { name: "We need a few more documents" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Proof of address" })).toBeVisible();
  await expect(page.getByText("from the last 3 months")).toBeVisible();
  await expect(page.getByText("PDF, JPEG or PNG, up to 10 MB")).toBeVisible();
  await expect(page.getByRole("button", { name: "Continue verification" })).toHaveCount(0);

  const input = page.getByLabel("Choose a file for Proof of address");
  await input.setInputFiles({ name: "bill.png", mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "Upload Proof of address" }).click();

  // The form posts to the server, which sends the file to LedgerOS and comes back to /status.
  await expect(page).toHaveURL(/\/status$/);
  await expect(page.getByRole("status").filter({ hasText: "Proof of address was sent to LedgerOS" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Verification in progress" })).toBeVisible();
  await expect(page.getByText("A person at LedgerOS is reviewing")).toBeVisible();
  await expect(page.locator("[data-status=manualReview]")).toBeVisible();
  await audit(page, "status: document sent, manual review");
});
