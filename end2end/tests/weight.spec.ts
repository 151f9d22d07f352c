import { expect, Page, test } from "@playwright/test";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { hydrated, signUp } from "./helpers";

// Page weight: every byte a first visit loads (HTML, CSS, scripts, WebAssembly), raw, gzip and
// brotli, against the budgets of the release build. Runs only when PAGE_BUDGETS=1 (`cargo make
// page-weight`, and CI's release run): a debug build's wasm is ten times the release one.
//
// Compressed sizes are computed here (gzip -9, brotli 11, what a precompressed deploy serves);
// "sent" is what this server actually put on the wire to Chromium.

const BUDGETS_KB: Record<string, number> = {
  "/": 30,
  "/signup": 30,
  "/login": 30,
  "/status": 100,
};
/** CI fails only when a budget is exceeded by more than this. */
const TOLERANCE = 0.1;

test.skip(!process.env.PAGE_BUDGETS, "page budgets are checked on the release build (PAGE_BUDGETS=1)");

type Weight = { raw: number; gzip: number; brotli: number; sent: number; files: string[] };

/** Loads `path` in a fresh page with an empty cache and adds up everything it fetched. */
async function weigh(page: Page, path: string): Promise<Weight> {
  const bodies: Promise<{ url: string; body: Buffer; sent: number }>[] = [];
  const listener = (response: import("@playwright/test").Response) => {
    const url = response.url();
    // The live-status stream stays open; it is data, not page weight.
    if (url.includes("/events/")) return;
    bodies.push(
      (async () => ({
        url,
        body: await response.body(),
        sent: (await response.request().sizes()).responseBodySize,
      }))(),
    );
  };
  page.on("response", listener);
  await page.goto(path);
  await hydrated(page);
  await page.waitForLoadState("networkidle");
  page.off("response", listener);
  const all = await Promise.all(bodies);
  const weight: Weight = { raw: 0, gzip: 0, brotli: 0, sent: 0, files: [] };
  for (const { url, body, sent } of all) {
    weight.raw += body.length;
    weight.gzip += gzipSync(body, { level: 9 }).length;
    weight.brotli += brotliCompressSync(body).length;
    weight.sent += sent;
    weight.files.push(new URL(url).pathname);
  }
  return weight;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

test("every page stays within its weight budget (release build)", async ({ browser }) => {
  const results: [string, Weight][] = [];
  for (const path of ["/", "/signup", "/login"]) {
    const context = await browser.newContext();
    results.push([path, await weigh(await context.newPage(), path)]);
    await context.close();
  }
  // The signed-in status page: a new person, signed up through the forms, cache emptied.
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, "Weigh", "Tester");
  const fresh = await context.newPage();
  await page.close();
  const cdp = await context.newCDPSession(fresh);
  await cdp.send("Network.clearBrowserCache");
  const status = await weigh(fresh, "/status");
  await expect(fresh.locator("leptos-island")).toHaveCount(1);
  results.push(["/status", status]);
  await context.close();

  console.log("\npage       raw KB   gzip KB  brotli KB  sent KB  budget (brotli)  files");
  const over: string[] = [];
  for (const [path, w] of results) {
    const budget = BUDGETS_KB[path];
    console.log(
      `${path.padEnd(9)} ${kb(w.raw).padStart(7)} ${kb(w.gzip).padStart(8)} ${kb(w.brotli).padStart(10)} ${kb(w.sent).padStart(8)}  ${String(budget).padStart(6)} KB        ${w.files.join(" ")}`,
    );
    if (w.brotli > budget * 1024 * (1 + TOLERANCE)) over.push(`${path}: ${kb(w.brotli)} KB brotli, budget ${budget} KB`);
  }
  expect(over, "pages over their budget by more than 10%").toEqual([]);
});
