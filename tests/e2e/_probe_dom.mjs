import { start } from "./harness.mjs";
const env = await start();
const { page } = await env.open();
const r = await page.evaluate(() => {
  const all = document.querySelectorAll("*");
  const byTag = {};
  for (const el of all) byTag[el.tagName] = (byTag[el.tagName] || 0) + 1;
  const top = [...document.body.children].map((c) => `${c.tagName}#${c.id}.${c.className} ${c.querySelectorAll("*").length}`);
  const sections = [...document.querySelectorAll("[data-testid]")].map((e) => `${e.dataset.testid}:${e.querySelectorAll("*").length}`).slice(0, 60);
  return { count: all.length, byTag, top, sections, text: document.body.innerText.length };
});
console.log(JSON.stringify(r, null, 1));
await env.close();
