/*
 * paperfeed embed: the top papers of a feed, rendered into any page.
 *
 *   <div data-paperfeed="daily" data-count="5"></div>
 *   <script src="https://YOUR-SITE/embed.js" async></script>
 *
 * Dependency-free. Feed data only ever reaches the page through textContent and
 * http(s)-checked hrefs, never innerHTML. Styles use :where() (zero specificity), so any
 * rule of the host page overrides them.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(".", script ? script.src : location.href);
  var NAME = /^[a-z0-9-]{1,40}$/;

  function style() {
    if (document.getElementById("paperfeed-style")) return;
    var css = document.createElement("style");
    css.id = "paperfeed-style";
    css.textContent =
      ":where(.paperfeed){font:inherit;margin:0;padding-left:1.6em}" +
      ":where(.paperfeed li){margin:.3em 0}" +
      ":where(.paperfeed .pf-meta){color:#666;font-size:.85em}" +
      ":where(.paperfeed .pf-up){color:#c66a00;font-weight:600}";
    document.head.appendChild(css);
  }

  function httpUrl(value) {
    try {
      var url = new URL(String(value));
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function text(tag, className, value) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = value;
    return node;
  }

  function render(box, feed, count) {
    var list = document.createElement("ol");
    list.className = "paperfeed";
    (feed.items || []).slice(0, count).forEach(function (item) {
      var li = document.createElement("li");
      var link = text("a", "pf-title", String(item.title || ""));
      var href = httpUrl(item.url);
      if (href) link.href = href;
      li.appendChild(link);
      var paper = item._paper || {};
      var meta = text("div", "pf-meta", "");
      if (typeof paper.upvotes === "number") {
        meta.appendChild(text("span", "pf-up", "\u25B2 " + paper.upvotes));
      }
      if (paper.organization) {
        meta.appendChild(document.createTextNode(" \u00B7 "));
        meta.appendChild(text("span", "pf-org", String(paper.organization)));
      }
      li.appendChild(meta);
      list.appendChild(li);
    });
    box.replaceChildren(list);
  }

  function load(box) {
    var name = box.getAttribute("data-paperfeed") || "daily";
    if (!NAME.test(name)) return;
    var count = Math.min(Math.max(parseInt(box.getAttribute("data-count"), 10) || 5, 1), 50);
    fetch(new URL("feeds/" + name + ".json", base), { credentials: "omit" })
      .then(function (answer) {
        if (!answer.ok) throw new Error("HTTP " + answer.status);
        return answer.json();
      })
      .then(function (feed) { render(box, feed, count); })
      .catch(function (error) {
        box.textContent = "Papers could not be loaded (" + error.message + ").";
      });
  }

  function start() {
    style();
    document.querySelectorAll("[data-paperfeed]").forEach(load);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
