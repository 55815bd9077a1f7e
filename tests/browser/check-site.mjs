// Opens a site built by `git postmortem site` from disk (file://) in
// headless Chromium and reports, as one JSON document on stdout, what a
// person's browser would show: console messages, uncaught errors, failed
// requests, dialogs, what a page's DOM holds, what the index lists after
// each search or filter, and how long the search takes. It asserts
// nothing: tests/cli/site_browser.rs does.
//
// Input: a JSON spec on stdin:
//   { "chromium": "/usr/bin/chromium", "site": "/abs/dir", "screenshots": "/abs/dir" | null,
//     "pages": ["index.html", "p/x.html", …],
//     "screenshot": { "index.html": "index", … },        // page → PNG name
//     "dark": { "dashboard.html": "dashboard-dark" },     // the same, in dark mode
//     "index_steps": [ { "name": "…", "set": { "q": "dns", "f-year": "2025" } }, … ],
//     "time_queries": ["checkout", …] }

import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const spec = JSON.parse(await new Promise((resolve, reject) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => { text += chunk; });
  process.stdin.on("end", () => resolve(text));
  process.stdin.on("error", reject);
}));

const browser = await chromium.launch({
  executablePath: spec.chromium,
  args: ["--no-sandbox", "--disable-gpu"],
});

const url = (rel) => pathToFileURL(join(spec.site, rel)).href;

// Open `rel` in a fresh page, recording everything that went wrong.
async function open(rel, colorScheme) {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const seen = { console: [], errors: [], failed: [], dialogs: [], responses: [] };
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") {
      seen.console.push(`${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => seen.errors.push(String(e)));
  page.on("requestfailed", (r) => seen.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on("dialog", async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) { seen.failed.push(`left the site: ${r.url()}`); }
  });
  await page.goto(url(rel), { waitUntil: "load" });
  return { context, page, seen };
}

// What the page holds that matters for safety and for the checks.
async function inspect(page) {
  return page.evaluate(() => {
    const all = Array.from(document.querySelectorAll("*"));
    const handlers = all.filter((el) => Array.from(el.attributes).some((a) => /^on/i.test(a.name)));
    return {
      title: document.title,
      text: document.body.innerText,
      images: document.querySelectorAll("img").length,
      scripts: Array.from(document.scripts).map((s) => s.getAttribute("src") || "(inline)"),
      inline_handlers: handlers.map((el) => el.outerHTML.slice(0, 120)),
      javascript_links: Array.from(document.querySelectorAll("[href], [src], [action]"))
        .map((el) => el.getAttribute("href") || el.getAttribute("src") || el.getAttribute("action"))
        .filter((v) => /^\s*javascript:/i.test(v)),
      pwned: window.pwned === undefined ? null : String(window.pwned),
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content") ?? null,
      svgs: Array.from(document.querySelectorAll("svg.chart")).map((svg) => ({
        id: svg.id,
        title: svg.querySelector(":scope > title")?.textContent ?? null,
        desc: svg.querySelector(":scope > desc")?.textContent ?? null,
        role: svg.getAttribute("role"),
        bars: svg.querySelectorAll("rect.bar").length,
        width: svg.getBoundingClientRect().width,
      })),
      links: Array.from(document.querySelectorAll("a[href]")).map((a) => a.getAttribute("href")),
    };
  });
}

const out = { pages: {}, index: [], search_ms: [] };

for (const rel of spec.pages) {
  const { context, page, seen } = await open(rel, "light");
  out.pages[rel] = { ...seen, ...(await inspect(page)) };
  const shot = spec.screenshot?.[rel];
  if (shot && spec.screenshots) {
    await page.screenshot({ path: join(spec.screenshots, `${shot}.png`), fullPage: true });
  }
  await context.close();
}

for (const [rel, shot] of Object.entries(spec.dark ?? {})) {
  const { context, page, seen } = await open(rel, "dark");
  out.pages[`${rel} (dark)`] = { ...seen, ...(await inspect(page)) };
  if (spec.screenshots) {
    await page.screenshot({ path: join(spec.screenshots, `${shot}.png`), fullPage: true });
  }
  await context.close();
}

if (spec.index_steps?.length || spec.time_queries?.length) {
  const { context, page, seen } = await open("index.html", "light");
  const visible = () => page.evaluate(() => ({
    ids: Array.from(document.querySelectorAll("#postmortems > li"))
      .filter((li) => !li.hidden && li.offsetParent !== null)
      .map((li) => li.querySelector("a").getAttribute("href")),
    count: document.getElementById("count").textContent,
    none_shown: !document.getElementById("none").hidden,
    filters_shown: !document.getElementById("filters").hidden,
  }));
  out.index_initial = await visible();
  for (const step of spec.index_steps ?? []) {
    // Reset every control, then set the step's, as a person would.
    await page.fill("#q", "");
    for (const id of ["f-severity", "f-status", "f-label", "f-year"]) {
      if (await page.$(`#${id}`)) {
        await page.selectOption(`#${id}`, "");
      }
    }
    for (const [id, value] of Object.entries(step.set)) {
      if (id === "q") {
        await page.fill("#q", value);
      } else {
        await page.selectOption(`#${id}`, value);
      }
    }
    out.index.push({ name: step.name, ...(await visible()), hash: await page.evaluate(() => location.hash) });
  }
  for (const query of spec.time_queries ?? []) {
    const ms = await page.evaluate((q) => {
      document.getElementById("q").value = q;
      const t0 = performance.now();
      const shown = window.gitPostmortemIndex.apply();
      const t1 = performance.now();
      return { ms: t1 - t0, shown };
    }, query);
    out.search_ms.push({ query, ...ms });
  }
  out.index_seen = seen;
  await context.close();
}

await browser.close();
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
