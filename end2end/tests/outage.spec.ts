import { test, expect } from "@playwright/test";
import { hydrated, signUp } from "./helpers";
import { audit } from "./a11y";

// LedgerOS is down at signup: the account is kept, and verification is set up when it's back.

test("signing up during a LedgerOS outage, then watching it recover", async ({ page, context }) => {
  // The sandbox's own page has the outage switch; find it through the app's "start" redirect.
  const probe = await context.newPage();
  await signUp(probe, "Probe", "User");
  await probe.getByRole("button", { name: "Continue verification" }).click();
  const sandbox = new URL(probe.url()).origin;
  await probe.goto(sandbox + "/");
  await probe.getByRole("button", { name: "Start an outage" }).click();
  await expect(probe.getByText("down (answering 503)")).toBeVisible();
  await audit(probe, "sandbox overview during an outage");
  await probe.context().clearCookies();

  try {
    await signUp(page, "Patient", "Person");
    await expect(page.getByRole("heading", { name: "Setting up your verification" })).toBeVisible();
    await hydrated(page);
    await audit(page, "status: setting up (LedgerOS down)");
  } finally {
    await probe.goto(sandbox + "/");
    await probe.getByRole("button", { name: "End the outage" }).click();
  }

  // The outbox retries; the open page hears about it without a reload.
  await expect(page.getByRole("heading", { name: "Verification in progress" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Continue verification" })).toBeVisible();
});
