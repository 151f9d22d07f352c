import { readFile } from "node:fs/promises";
import { test, expect } from "@playwright/test";
import { audit } from "./a11y";
import { PASSWORD, signUp } from "./helpers";

// A person's data (issue 26): the account page, and the file "Download my data" gives.

test("download my data: the password again, then a file with what we hold and no secrets", async ({ page }) => {
  const email = await signUp(page, "Grace", "Hopper");
  await page.getByRole("link", { name: "Your account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account");
  await expect(page.getByText(email, { exact: true })).toBeVisible();
  await audit(page, "account page");

  await page.getByLabel("Your password", { exact: true }).fill("not the password at all");
  await page.getByRole("button", { name: "Download my data" }).click();
  await expect(page.getByRole("alert")).toContainText("That's not your password");
  await audit(page, "account page with an error");

  await page.getByLabel("Your password", { exact: true }).fill(PASSWORD);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download my data" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
  const text = await readFile(await file.path(), "utf8");
  const data = JSON.parse(text);
  expect(data.format).toBe("ledgeros-onboarding/personal-data");
  expect(data.version).toBe(1);
  expect(data.profile.email).toBe(email);
  expect(data.profile.first_name).toBe("Grace");
  expect(data.verification.ledgeros_user_id).toMatch(/^user_/);
  expect(data.emails.map((e: { subject: string }) => e.subject)).toContain("Confirm your email to finish signing up");
  expect(data.audit).toContainEqual(expect.objectContaining({ action: "exported personal data", by: "you" }));
  expect(data.not_included.join(" ")).toContain("compliance records");
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain("argon2");
});
