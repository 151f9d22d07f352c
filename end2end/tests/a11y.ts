import AxeBuilder from "@axe-core/playwright";
import { expect, Locator, Page } from "@playwright/test";

/** WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
/** A desktop and a phone. */
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 375, height: 740 },
];

/** How many page states were audited in this run (printed by the accessibility spec). */
export const audited: string[] = [];

/**
 * Runs axe-core on the page as it is, on a desktop and on a phone viewport: zero violations.
 * The failure lists each rule with the elements that broke it.
 */
export async function audit(page: Page, what: string) {
  const before = page.viewportSize();
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    const found = results.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.replace(/\n/g, " ")}`).join("\n"),
    );
    expect(found, `axe on "${what}" (${page.url()}) at ${viewport.width}px`).toEqual([]);
  }
  if (before) await page.setViewportSize(before);
  audited.push(what);
}

/**
 * Presses Tab (no mouse) until `target` has the focus, and checks the focus is visible on it
 * (an outline or a ring). Fails after `max` presses: the element cannot be reached by keyboard.
 */
export async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) {
      const ring = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        return { outline: style.outlineStyle !== "none" && style.outlineWidth !== "0px", shadow: style.boxShadow !== "none" };
      });
      expect(ring.outline || ring.shadow, "the focused element shows where the focus is").toBe(true);
      return;
    }
  }
  throw new Error(`not reachable with Tab in ${max} presses: ${target}`);
}

/** Tabs to a field and types into it. */
export async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.type(text);
}

/** The element that has the focus, described for an assertion. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "body";
    return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).split(" ").join(".") : ""}`;
  });
}
