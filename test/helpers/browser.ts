import { existsSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";

/**
 * Debian's Chromium, driven by playwright-core (no browser download). `.ci/run` installs it and
 * sets PLUGKIT_REQUIRE_BROWSER=1, so CI fails rather than skips when it is missing.
 */
export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

/** Whether the browser tests can run here; throws when CI requires them and they cannot. */
export function browserAvailable(): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env["PLUGKIT_REQUIRE_BROWSER"] === "1") {
    throw new Error(`Chromium is required for the browser tests but ${CHROMIUM} does not exist`);
  }
  return available;
}

/** Headless Chromium with nothing that reaches out to the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Listens on a free loopback port; resolves with the server's base URL. */
export function listenLocally(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}
