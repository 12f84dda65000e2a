/* site-builder serve: reload the page after a rebuild and show build errors in it.
 * `site-builder serve` adds this script to HTML responses; it is never part of the built site.
 * Server-sent events: hello {build}, reload {build}, css {build}, error {build, diagnostics}. */
(function () {
  "use strict";
  if (!("EventSource" in window)) return;

  var script = document.currentScript;
  var build = script ? script.getAttribute("data-build") : null;
  var eventsUrl = (script && script.getAttribute("data-events")) || "/__site_builder/events";
  var source = null;
  var host = null; // the overlay's element while it is shown
  var dismissed = null; // the error the reader closed: not shown again on reconnect

  function connect() {
    if (source || document.hidden) return;
    source = new EventSource(eventsUrl);
    source.addEventListener("hello", onHello);
    source.addEventListener("reload", reload);
    source.addEventListener("css", onCss);
    source.addEventListener("error", onBuildError);
  }

  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }

  function parse(event) {
    try {
      return JSON.parse(event.data) || {};
    } catch (e) {
      return {};
    }
  }

  function reload() {
    disconnect();
    window.location.reload();
  }

  function onHello(event) {
    var info = parse(event);
    // The site was rebuilt while this tab was not listening (hidden, or the server restarted).
    if (build && info.build && info.build !== build) reload();
  }

  function onCss(event) {
    var info = parse(event);
    if (info.build) build = info.build;
    hideOverlay();
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin) return;
      url.searchParams.set("livereload", String(Date.now()));
      // Load the new sheet beside the old one and drop the old one after: no unstyled flash.
      var fresh = link.cloneNode(false);
      fresh.href = url.href;
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { fresh.remove(); });
      link.after(fresh);
    });
  }

  function onBuildError(event) {
    // EventSource fires its own "error" (a plain Event without data) when the connection drops;
    // only a message from the server carries diagnostics.
    if (typeof event.data !== "string") return;
    if (event.data === dismissed) return;
    showOverlay(parse(event), event.data);
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value; // text only, never parsed as HTML: diagnostics quote editors' text
    if (className) node.className = className;
    return node;
  }

  var STYLE = [
    ":host { all: initial; }",
    ".backdrop { position: fixed; inset: 0; z-index: 2147483647; overflow: auto;",
    "  background: rgba(0, 0, 0, 0.5); padding: 2rem 1rem; box-sizing: border-box; }",
    ".box { max-width: 60rem; margin: 0 auto; background: #fff; color: #1b1b1b;",
    "  border-left: 0.5rem solid #b3261e; border-radius: 0.25rem; padding: 1.25rem 1.5rem;",
    "  font: 1rem/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif;",
    "  box-shadow: 0 0.5rem 2rem rgba(0, 0, 0, 0.4); }",
    "h2 { font-size: 1.25rem; margin: 0 0 0.5rem; color: #b3261e; }",
    "p { margin: 0 0 0.75rem; }",
    "ol { margin: 0 0 1rem; padding-left: 1.5rem; }",
    "li { margin: 0 0 0.75rem; }",
    "code { font: 0.95rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;",
    "  font-weight: 600; }",
    ".message { white-space: pre-wrap; overflow-wrap: anywhere; }",
    ".hint { white-space: pre-wrap; color: #3d3d3d; margin: 0.25rem 0 0; }",
    "button { font: inherit; padding: 0.4rem 1rem; border: 2px solid #1b1b1b;",
    "  border-radius: 0.25rem; background: #fff; color: #1b1b1b; cursor: pointer; }",
    "button:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }",
    "@media (prefers-color-scheme: dark) {",
    "  .box { background: #1e1e1e; color: #eee; border-left-color: #f2b8b5; }",
    "  h2 { color: #f2b8b5; } .hint { color: #c8c8c8; }",
    "  button { background: #1e1e1e; color: #eee; border-color: #eee; } }",
  ].join("\n");

  function showOverlay(info, raw) {
    hideOverlay();
    host = document.createElement("site-builder-errors");
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var style = document.createElement("style");
    style.textContent = STYLE;
    var backdrop = document.createElement("div");
    backdrop.className = "backdrop";
    var box = document.createElement("section");
    box.className = "box";
    box.setAttribute("role", "alert");
    var title = text("h2", "The last edit broke the build");
    title.id = "site-builder-errors-title";
    box.setAttribute("aria-labelledby", title.id);
    box.appendChild(title);
    box.appendChild(text("p", "This page still shows the last version that built. " +
      "Fix the problem and save: the page reloads itself."));
    var list = document.createElement("ol");
    (info.diagnostics || []).forEach(function (d) {
      var item = document.createElement("li");
      if (d.file) {
        var where = d.file + (d.line ? ":" + d.line + (d.column ? ":" + d.column : "") : "");
        item.appendChild(text("code", where));
        item.appendChild(document.createTextNode(" "));
      }
      item.appendChild(text("span", (d.severity || "error") + ": " + d.message, "message"));
      if (d.hint) item.appendChild(text("p", "hint: " + d.hint, "hint"));
      list.appendChild(item);
    });
    box.appendChild(list);
    var close = text("button", "Dismiss");
    close.type = "button";
    close.addEventListener("click", function () {
      dismissed = raw;
      hideOverlay();
    });
    box.appendChild(close);
    backdrop.appendChild(box);
    root.appendChild(style);
    root.appendChild(backdrop);
    document.addEventListener("keydown", onKey);
    (document.body || document.documentElement).appendChild(host);
  }

  function onKey(event) {
    if (event.key === "Escape" && host) dismiss();
  }

  function dismiss() {
    var button = host && (host.shadowRoot || host).querySelector("button");
    if (button) button.click();
  }

  function hideOverlay() {
    document.removeEventListener("keydown", onKey);
    if (host) host.remove();
    host = null;
  }

  // Hidden tabs release their connection; on return, "hello" tells whether they missed a build.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) disconnect();
    else connect();
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) connect();
  });
  connect();
})();
