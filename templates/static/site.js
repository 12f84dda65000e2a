// Progressive enhancement, nothing more: full-text search in the header (Pagefind, loaded on
// first use) and instant filtering of the claims on the index. Without JavaScript neither
// exists: the search box stays hidden, and the archive pages (by verdict, topic and outlet)
// are the filter. Nothing here builds HTML from strings: text goes in as text.

const PAGE_SIZE = 8; // search results shown at a time

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

// --- Filtering the claims on the index -------------------------------------------------------

function setUpFilter(filter) {
  const items = [...document.querySelectorAll(".claim-list > li[data-verdict]")];
  const selects = [...filter.querySelectorAll("select")];
  const status = filter.querySelector(".filter-status");

  // A claim matches when, for every control with a value, its data-<name> list holds that value.
  const matches = (item) =>
    selects.every(
      (select) => !select.value || (item.dataset[select.name] || "").split(" ").includes(select.value),
    );

  function apply() {
    let shown = 0;
    for (const item of items) {
      item.hidden = !matches(item);
      shown += item.hidden ? 0 : 1;
    }
    status.textContent =
      shown === 0
        ? "No claims match. Choose “Show all” to see every claim."
        : `${plural(shown, "claim", "claims")} shown`;
  }

  filter.addEventListener("change", apply);
  filter.querySelector("[data-filter-reset]").addEventListener("click", () => {
    for (const select of selects) select.value = "";
    apply();
  });
  // Back/forward navigation can restore chosen values: show the claims they select.
  window.addEventListener("pageshow", () => {
    if (selects.some((select) => select.value)) apply();
  });
  filter.hidden = false;
}

// --- Search ----------------------------------------------------------------------------------

// Pagefind's excerpt is HTML with <mark>s around the matched words: keep the text and the marks,
// drop anything else. DOMParser documents are inert (no scripts run, nothing loads).
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  return [...parsed.body.childNodes].map((node) => {
    if (node.nodeName !== "MARK") return document.createTextNode(node.textContent);
    const mark = document.createElement("mark");
    mark.textContent = node.textContent;
    return mark;
  });
}

function resultItem(data, base) {
  const item = document.createElement("li");
  const kind = document.createElement("p");
  kind.className = "search-kind";
  const path = new URL(data.url, window.location.href).pathname;
  if (path.startsWith(`${base}claims/`)) kind.textContent = "Claim";
  else kind.textContent = data.meta.outlet ? `Article · ${data.meta.outlet}` : "Article";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || path;
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(kind, link, excerpt);
  return item;
}

function setUpSearch(box) {
  const base = box.dataset.search; // the site's base path, ending in "/"
  const input = box.querySelector("input");
  const status = box.querySelector(".search-status");
  const list = box.querySelector(".search-list");
  const more = box.querySelector(".search-more");
  let pagefind = null;
  let lexicon = new Set(); // a sharded index's lexicon pages: never results
  let latest = 0;
  let current = { query: "", results: [], shown: 0 };

  function load() {
    pagefind ??= import(`${base}pagefind/pagefind.js`).then(async (module) => {
      await module.options({ baseUrl: base });
      await module.init();
      // A big site's index comes in shards: pagefind/ is the first, shards.json lists the rest.
      const shards = await fetch(`${base}pagefind/shards.json`).then((response) => {
        if (!response.ok) throw new Error(`pagefind/shards.json: HTTP ${response.status}`);
        return response.json();
      });
      await Promise.all(
        shards.map((shard) => module.mergeIndex(`${base}pagefind/${shard}`, { baseUrl: base })),
      );
      if (shards.length > 0) {
        // Each shard holds a page of every word of the site, so that a word one shard lacks is
        // not matched there by a shorter one (Pagefind's fallback): those pages are not results.
        const ids = await fetch(`${base}pagefind/lexicon.json`).then((response) => {
          if (!response.ok) throw new Error(`pagefind/lexicon.json: HTTP ${response.status}`);
          return response.json();
        });
        lexicon = new Set(ids);
      }
      return module;
    });
    return pagefind;
  }

  function clear(text = "") {
    current = { query: "", results: [], shown: 0 };
    list.replaceChildren();
    list.hidden = true;
    more.hidden = true;
    status.textContent = text;
  }

  // Shows the next page of the current results; returns the first new link.
  async function showMore(ticket) {
    const page = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    const data = await Promise.all(page.map((result) => result.data()));
    if (ticket !== latest) return null;
    const items = data.map((entry) => resultItem(entry, base));
    list.append(...items);
    list.hidden = false;
    current.shown += items.length;
    const count = current.results.length;
    let text = `${plural(count, "result", "results")} for “${current.query}”`;
    if (count > current.shown) text += `, ${current.shown} shown`;
    status.textContent = text;
    more.hidden = count <= current.shown;
    return items.length ? items[0].querySelector("a") : null;
  }

  async function search(query) {
    const ticket = ++latest;
    if (!query.trim()) {
      clear();
      return;
    }
    let found;
    try {
      const module = await load();
      found = await module.debouncedSearch(query, {}, 150);
    } catch (error) {
      pagefind = null; // try again on the next keystroke
      clear("Search is not available right now. Browse the claims by verdict, topic or outlet.");
      console.warn("search:", error);
      return;
    }
    if (found === null || ticket !== latest) return; // a newer query is on its way
    clear();
    const results = found.results.filter((result) => !lexicon.has(result.id));
    current = { query: query.trim(), results, shown: 0 };
    if (results.length === 0) {
      status.textContent = `No results for “${current.query}”`;
      return;
    }
    await showMore(ticket);
  }

  input.addEventListener("input", () => search(input.value));
  input.addEventListener("focus", () => load().catch(() => {}), { once: true });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && input.value) {
      input.value = "";
      search("");
    } else if (event.key === "Enter") {
      search(input.value);
    }
  });
  more.addEventListener("click", async () => {
    const first = await showMore(latest);
    first?.focus(); // keyboard and screen-reader users go on from the first new result
  });
  clear();
  box.hidden = false;
}

for (const box of document.querySelectorAll("[data-search]")) setUpSearch(box);
for (const filter of document.querySelectorAll("[data-claim-filter]")) setUpFilter(filter);
