// The archive's search box: Pagefind's own API over the index parts the page names (one per
// month, newest first), results built with DOM calls. Nothing from the index is parsed into
// the page as HTML: titles and names are text, and of an excerpt only Pagefind's <mark>
// elements are rebuilt, as elements, around text.
const form = document.getElementById("search-form");
const input = document.getElementById("q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const site = new URL(form.dataset.site, location.href);
const bundles = form.dataset.bundles.split(" ").filter(Boolean);
const SHOWN = 30;
let engine = null;
let asked = 0;

async function load() {
  if (!engine) {
    engine = (async () => {
      const [first, ...rest] = bundles;
      const pagefind = await import(new URL("pagefind.js", first).href);
      await pagefind.options({ bundlePath: new URL(first).pathname, baseUrl: site.pathname });
      // One bundle a month; one that does not load leaves the others searchable.
      await Promise.all(rest.map((bundle) => pagefind.mergeIndex(new URL(bundle).pathname)
        .catch((err) => console.warn("search: bundle not loaded:", bundle, err))));
      return pagefind;
    })();
  }
  return engine;
}

function say(key, n) {
  status.textContent = (status.dataset[key] || "").replace("{n}", String(n));
}

// Pagefind's excerpt: the record's text (escaped by Pagefind) with <mark> around the words
// found. Parsed in an inert document, then copied as text and <mark> elements only.
function excerpt(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = document.createElement("p");
  out.className = "excerpt";
  for (const node of doc.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function item(data, place) {
  const li = document.createElement("li");
  const rank = document.createElement("span");
  rank.className = "rank";
  rank.textContent = String(place);
  const body = document.createElement("div");
  body.className = "body";
  const h3 = document.createElement("h3");
  const a = document.createElement("a");
  // The paper's place on its day page (the record's own file is only what Pagefind indexed).
  const href = new URL(data.meta.url || data.url, site);
  // Only the site's own pages: a record's URL is ours, but never trust it blindly.
  a.href = href.origin === site.origin ? href.href : site.href;
  a.textContent = data.meta.title || data.url;
  h3.append(a);
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = [data.meta.day, data.meta.org].filter(Boolean).join(" · ");
  body.append(h3, meta, excerpt(data.excerpt || ""));
  li.append(rank, body);
  return li;
}

async function search(query) {
  const mine = ++asked;
  query = query.trim();
  if (!query) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  let found;
  try {
    const pagefind = await load();
    found = await pagefind.search(query);
  } catch (err) {
    console.error(err);
    say("failed", 0);
    return;
  }
  const datas = await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
  if (mine !== asked) return; // a newer query was typed meanwhile
  list.replaceChildren(...datas.map((d, i) => item(d, i + 1)));
  const n = found.results.length;
  say(n === 0 ? "none" : n === 1 ? "one" : "some", n);
}

let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => search(input.value), 150);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  search(input.value);
});
const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  search(initial);
}
