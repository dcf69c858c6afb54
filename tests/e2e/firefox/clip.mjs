// Drives Firefox (ESR, stock build) with the unpacked extension through WebDriver BiDi
// (puppeteer-core): settings, a fixture job page, the popup's preview, then Save. Prints one
// JSON line of what the popup showed; tests/e2e/test_clip_extension_firefox.py checks it and
// the database. Usage: node clip.mjs <extension dir> <jobtrail url> <token> <job page url>
import puppeteer from "puppeteer-core";

const [extensionDir, base, token, jobUrl] = process.argv.slice(2);
const UUID = "3f1c2b5e-8d7a-4c1e-9b2f-6a5d4e3c2b1a"; // fixed, so the test knows the popup's URL
const ID = "clipper@jobtrail.example";

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
  headless: true,
  // moz-extension:// pages are "system" URLs to WebDriver BiDi: allowed with this flag only.
  args: ["--remote-allow-system-access"],
  extraPrefsFirefox: { "extensions.webextensions.uuids": JSON.stringify({ [ID]: UUID }) },
});
const out = {};
try {
  out.installed = await browser.installExtension(extensionDir);
  const root = `moz-extension://${UUID}`;
  const options = await browser.newPage();
  // BiDi reports no load for a moz-extension page (goto never settles): go, and wait for it.
  options.goto(`${root}/options.html`).catch(() => {});
  await options.waitForSelector("#base");
  await options.type("#base", base);
  await options.type("#token", token);
  await options.click("button[type=submit]");
  await options.waitForFunction(() => document.getElementById("saved").textContent !== "");
  out.options = await options.$eval("#saved", (el) => el.textContent);

  out.step = "job page";
  const job = await browser.newPage();
  await job.goto(jobUrl);
  // Match patterns take no port: find the tab by its URL instead.
  const tabId = await options.evaluate(
    (u) => browser.tabs.query({}).then((tabs) => tabs.find((t) => t.url === u).id),
    jobUrl,
  );
  out.step = "popup";
  const popup = await browser.newPage();
  popup.goto(`${root}/popup.html?tab=${tabId}`).catch(() => {});
  await popup.waitForSelector("#found", { timeout: 20000 });
  await popup.waitForFunction(
    () => !document.getElementById("found").hidden || document.getElementById("status").className === "error",
    { timeout: 20000 },
  );
  out.status = await popup.$eval("#status", (el) => el.textContent);
  for (const f of ["title", "company", "location", "salary", "closes"]) {
    out[f] = await popup.$eval(`#f-${f}`, (el) => el.textContent);
  }
  await popup.type("#note", "From Firefox");
  await popup.click("#clip-button");
  await popup.waitForFunction(() => !document.getElementById("result").hidden, { timeout: 20000 });
  out.result = await popup.$eval("#result-text", (el) => el.textContent);
  out.link = await popup.$eval("#result-link", (el) => el.href);
} catch (err) {
  out.error = String(err && err.stack ? err.stack : err);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
