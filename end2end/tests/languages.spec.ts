import { test, expect } from "@playwright/test";
import { audit } from "./a11y";
import { completeHostedSteps, fromOwnAddress, HOSTED_SPANISH, hydrated, openEmail, PASSWORD } from "./helpers";

// The applicant's language (issue 25): Spanish from landing to approved, Arabic right to left
// and accessible, and the switcher without JavaScript.

test.describe("in Spanish", () => {
  test.use({ locale: "es-ES" });

  test("landing to approved, every page and email in Spanish", async ({ page }) => {
    await fromOwnAddress(page);
    const email = `lucia+${Date.now()}@example.com`;
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page.getByRole("heading", { name: "Por qué verificamos tu identidad" })).toBeVisible();
    await page.getByRole("link", { name: "Crear tu cuenta" }).first().click();

    await expect(page).toHaveURL(/\/signup$/);
    await hydrated(page);
    await page.getByLabel("Nombre", { exact: true }).fill("Lucía");
    await page.getByLabel("Apellidos").fill("Pérez");
    await page.getByLabel("Correo electrónico").fill(email);
    const password = page.getByLabel("Crea una contraseña");
    await password.fill(PASSWORD);
    // The password toggle speaks Spanish too.
    await page.getByRole("button", { name: "Mostrar contraseña" }).click();
    await expect(password).toHaveAttribute("type", "text");
    await page.getByRole("button", { name: "Crear cuenta" }).click();

    await expect(page.getByRole("heading", { name: "Revisa tu correo" })).toBeVisible();
    await openEmail(page, email, /Confirma tu correo para terminar el registro/);
    await expect(page.getByText("Gracias por registrarte.", { exact: false })).toBeVisible();
    await page.getByRole("link", { name: /\/signup\/confirm\?token=/ }).click();
    await page.getByLabel("Tu contraseña", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Confirmar y continuar" }).click();

    await expect(page).toHaveURL(/\/status$/);
    await expect(page.getByRole("heading", { name: "Verificación en curso" })).toBeVisible();
    await expect(page.locator("#deposit")).toContainText("Disponible cuando tu identidad esté verificada");
    await page.getByRole("button", { name: "Continuar la verificación" }).click();

    // LedgerOS's hosted page (the sandbox) opens in Spanish too.
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await completeHostedSteps(page, HOSTED_SPANISH);
    await page.check("input[name=outcome][value=approve]");
    await page.getByRole("button", { name: HOSTED_SPANISH.submit }).click();

    await expect(page).toHaveURL(/\/verification\/return$/);
    await expect(page.getByRole("heading", { name: "Verificación completada" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Te damos la bienvenida, Lucía");
    await openEmail(page, email, /Identidad verificada: tu cuenta está lista/);
    await expect(page.getByText("Buenas noticias", { exact: false })).toBeVisible();
  });
});

test.describe("in Arabic", () => {
  test.use({ locale: "ar-AE" });

  test("right to left, and accessible on a phone and a desktop", async ({ page }) => {
    await fromOwnAddress(page);
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page.locator("html")).toHaveAttribute("lang", "ar");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("بطاقتك على بُعد دقائق");
    // The layout mirrors: the brand, first in the header, sits on the right.
    await expect(page.locator("main")).toHaveCSS("direction", "rtl");
    const brand = await page.locator(".brand").boundingBox();
    const viewport = page.viewportSize();
    expect(brand && viewport && brand.x > viewport.width / 2, "the brand is on the right").toBeTruthy();
    await audit(page, "landing (Arabic)");

    await page.goto("/signup");
    await hydrated(page);
    await audit(page, "signup (Arabic)");

    const email = `layla+${Date.now()}@example.com`;
    await page.getByLabel("الاسم الأول").fill("ليلى");
    await page.getByLabel("اسم العائلة").fill("حداد");
    await page.getByLabel("البريد الإلكتروني").fill(email);
    await page.getByLabel("أنشئ كلمة مرور").fill(PASSWORD);
    await page.getByRole("button", { name: "إنشاء الحساب" }).click();
    await openEmail(page, email, /أكّد بريدك الإلكتروني لإكمال التسجيل/);
    await page.getByRole("link", { name: /\/signup\/confirm\?token=/ }).click();
    await page.getByLabel("كلمة المرور", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "التأكيد والمتابعة" }).click();
    await expect(page).toHaveURL(/\/status$/);
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "التحقق قيد التنفيذ" })).toBeVisible();
    await audit(page, "status (Arabic)");

    // LedgerOS's hosted page (the sandbox) opens in Arabic too, right to left.
    await page.getByRole("button", { name: "تابع التحقق" }).click();
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("المعلومات الشخصية");
    await page.getByRole("button", { name: "متابعة" }).click();
    // The names come filled in from the account; the date of birth is missing.
    await expect(page.getByRole("alert")).toContainText("اكتب تاريخ ميلادك");
    await audit(page, "hosted page with errors (Arabic)");
  });
});

test("the language switcher works without JavaScript and is remembered", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-US" });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByLabel("Language").selectOption("es");
  await page.getByRole("button", { name: "Change" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Iniciar sesión");
  // Remembered on the next page, over the browser's English.
  await page.goto("/signup");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Crea tu cuenta");
  await page.getByLabel("Idioma").selectOption("ar");
  await page.getByRole("button", { name: "Cambiar" }).click();
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await context.close();
});
