import { createServer, type Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchChromium, listenLocally } from "../helpers/browser";
import { createTestApp, type TestApp } from "../helpers/test-app";

const available = browserAvailable();

const CLIENT_ID = "chatgpt";
const CLIENT_SECRET = "s".repeat(40);
const PASSWORD = "a browser password";

let testApp: TestApp;
let plugin: Server;
let callback: Server;
let pluginUrl: string;
let callbackUrl: string;
let browser: Browser;

describe.skipIf(!available)("the OAuth sign-in page in headless Chromium, JavaScript off", () => {
  beforeAll(async () => {
    // Stands in for ChatGPT's callback: it only has to be somewhere the browser can land.
    callback = createServer((_req, res) => res.end("back in ChatGPT"));
    callbackUrl = `${await listenLocally(callback)}/aip/g-e2e/oauth/callback`;
    testApp = createTestApp({
      PLUGIN_AUTH: "oauth",
      OAUTH_CLIENT_ID: CLIENT_ID,
      OAUTH_CLIENT_SECRET: CLIENT_SECRET,
      OAUTH_REDIRECT_URIS: callbackUrl,
    });
    await testApp.accounts.create("alice", PASSWORD);
    plugin = createServer(testApp.app);
    pluginUrl = await listenLocally(plugin);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser.close();
    await new Promise((resolve) => plugin.close(resolve));
    await new Promise((resolve) => callback.close(resolve));
    await testApp.dispose();
  });

  async function openSignIn(): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const query = new URLSearchParams({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: callbackUrl,
      state: "e2e-state",
      scope: "",
    });
    const response = await page.goto(`${pluginUrl}/oauth/authorize?${query.toString()}`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe("Sign in to TODO & Sport Stats");
    return page;
  }

  it("signs in, lands on the callback with a code and the state, and the code buys a working token", async () => {
    const page = await openSignIn();
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill(PASSWORD);
    await Promise.all([
      page.waitForURL(`${callbackUrl}?**`),
      page.getByRole("button", { name: "Allow" }).click(),
    ]);
    const landed = new URL(page.url());
    expect(landed.searchParams.get("state")).toBe("e2e-state");
    const code = landed.searchParams.get("code") ?? "";
    expect(code).toMatch(/^pk_code_/);

    const token = await fetch(`${pluginUrl}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        grant_type: "authorization_code",
        code,
        redirect_uri: callbackUrl,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const todos = await fetch(`${pluginUrl}/todos/global`, {
      headers: { Authorization: `Bearer ${access_token}` },
    });
    expect(await todos.json()).toEqual({ todos: [] });
    await page.context().close();
  });

  it("submits with Enter from the password field as Allow", async () => {
    const page = await openSignIn();
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill(PASSWORD);
    await Promise.all([
      page.waitForURL(`${callbackUrl}?**`),
      page.getByLabel("Password").press("Enter"),
    ]);
    expect(new URL(page.url()).searchParams.get("code")).toMatch(/^pk_code_/);
    await page.context().close();
  });

  it("shows the error on the page after a wrong password and keeps the username", async () => {
    const page = await openSignIn();
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Allow" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toBe("Wrong username or password.");
    expect(await page.getByLabel("Username").inputValue()).toBe("alice");
    expect(page.url()).toBe(`${pluginUrl}/oauth/authorize`);
    await page.context().close();
  });

  it("returns to the callback with access_denied when the user denies", async () => {
    const page = await openSignIn();
    await Promise.all([
      page.waitForURL(`${callbackUrl}?**`),
      page.getByRole("button", { name: "Deny" }).click(),
    ]);
    const landed = new URL(page.url());
    expect(landed.searchParams.get("error")).toBe("access_denied");
    expect(landed.searchParams.get("state")).toBe("e2e-state");
    await page.context().close();
  });
});
