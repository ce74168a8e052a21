/*
 * paperfeed: an Atom or RSS feed opened in a browser, shown as a readable page.
 *
 * Every feed's first element is <script xmlns="http://www.w3.org/1999/xhtml"
 * src="../feed-view.js" defer=""/>: browsers run an XHTML script element in an XML
 * document, feed readers skip an element of a namespace they do not know (to Atom it is
 * an extension element). This script reads the feed's XML DOM and puts an HTML page in
 * its place: the title, the address to subscribe to, each entry linked. No XSLT runs.
 *
 * Everything from the feed goes in as text (textContent, createElementNS), never as
 * markup; an entry's link becomes an href only when it is http(s). The words are filled
 * in per language by paperfeed.render.site (render_feed_view).
 */
(function () {
  "use strict";

  var WORDS = /* @@WORDS@@ */ {
    lang: "en",
    feed: "feed",
    hint: "This is a web feed. To subscribe, copy its address into your feed reader:",
    upvotes: ["{n} upvote", "{n} upvotes"],
    comments: ["{n} comment", "{n} comments"]
  };
  var ATOM = "http://www.w3.org/2005/Atom";
  var PF = "https://github.com/paperfeed/paperfeed/ns/1.0";
  var XHTML = "http://www.w3.org/1999/xhtml";

  // The site's root, from this script's own address (feeds/topics/x.atom loads
  // ../../feed-view.js): taken now, while the script is still the current one.
  var script = document.currentScript;
  var root = new URL(".", script && script.src ? script.src : document.baseURI).href;

  function child(parent, ns, name) {
    for (var node = parent && parent.firstElementChild; node; node = node.nextElementSibling) {
      if (node.namespaceURI === ns && node.localName === name) {
        return node;
      }
    }
    return null;
  }

  function children(parent, ns, name) {
    var found = [];
    for (var node = parent.firstElementChild; node; node = node.nextElementSibling) {
      if (node.namespaceURI === ns && node.localName === name) {
        found.push(node);
      }
    }
    return found;
  }

  function text(parent, ns, name) {
    var node = child(parent, ns, name);
    return node ? node.textContent.trim() : "";
  }

  function atomLink(parent, rel) {
    var links = children(parent, ATOM, "link");
    for (var i = 0; i < links.length; i++) {
      // rel defaults to "alternate" in Atom, and feedgen leaves it out
      if ((links[i].getAttribute("rel") || "alternate") === rel) {
        return links[i].getAttribute("href") || "";
      }
    }
    return "";
  }

  // RSS descriptions are HTML-escaped plain text: back to the text, never to markup.
  function unescapeText(value) {
    return value.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function el(name, attributes, content) {
    var node = document.createElementNS(XHTML, name);
    for (var key in attributes || {}) {
      if (Object.prototype.hasOwnProperty.call(attributes, key)) {
        node.setAttribute(key, attributes[key]);
      }
    }
    (content || []).forEach(function (part) {
      if (part !== null && part !== undefined && part !== "") {
        node.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
      }
    });
    return node;
  }

  function count(forms, value) {
    var n = Number(value);
    var shown = isFinite(n) ? n.toLocaleString(WORDS.lang) : value;
    return forms[n === 1 ? 0 : 1].replace("{n}", shown);
  }

  // The feed as plain data: {title, subtitle, self, entries: [{title, link, summary, ...}]}.
  function readAtom(feed) {
    return {
      title: text(feed, ATOM, "title"),
      subtitle: text(feed, ATOM, "subtitle"),
      self: atomLink(feed, "self"),
      entries: children(feed, ATOM, "entry").map(function (entry) {
        return {
          node: entry,
          title: text(entry, ATOM, "title"),
          link: atomLink(entry, "alternate"),
          summary: text(entry, ATOM, "summary")
        };
      })
    };
  }

  function readRss(rss) {
    var channel = child(rss, null, "channel");
    if (!channel) {
      return null;
    }
    var self = "";
    children(channel, ATOM, "link").forEach(function (link) {
      if (!self && link.getAttribute("rel") === "self") {
        self = link.getAttribute("href") || "";
      }
    });
    return {
      title: text(channel, null, "title"),
      subtitle: text(channel, null, "description"),
      self: self,
      entries: children(channel, null, "item").map(function (item) {
        var description = text(item, null, "description");
        var content = text(item, "http://purl.org/rss/1.0/modules/content/", "encoded");
        return {
          node: item,
          title: text(item, null, "title"),
          link: text(item, null, "link"),
          // Without a summary the description is the content's HTML: shown as Atom shows
          // such an entry, with no summary.
          summary: description === content ? "" : unescapeText(description)
        };
      })
    };
  }

  function entryView(entry) {
    var heading = el("h2");
    var rank = text(entry.node, PF, "rank");
    if (rank) {
      heading.appendChild(document.createTextNode("#" + rank + " "));
    }
    var link = entry.link;
    var safe = link.indexOf("https://") === 0 || link.indexOf("http://") === 0;
    heading.appendChild(el("a", safe ? {href: link} : {}, [entry.title]));

    var meta = el("p", {"class": "meta"});
    var upvotes = text(entry.node, PF, "upvotes");
    if (upvotes) {
      meta.appendChild(el("span", {"class": "up"}, ["\u25B2 " + count(WORDS.upvotes, upvotes)]));
      meta.appendChild(document.createTextNode(
        " \u00B7 " + count(WORDS.comments, text(entry.node, PF, "comments") || "0") + " \u00B7 "));
    }
    meta.appendChild(document.createTextNode(text(entry.node, PF, "day")));

    return el("article", {}, [heading, meta, entry.summary ? el("p", {}, [entry.summary]) : null]);
  }

  function render() {
    var top = document.documentElement;
    if (!top) {
      return;
    }
    var feed = null;
    if (top.namespaceURI === ATOM && top.localName === "feed") {
      feed = readAtom(top);
    } else if (top.namespaceURI === null && top.localName === "rss") {
      feed = readRss(top);
    }
    if (!feed) {
      return;
    }
    var page = el("html", {lang: WORDS.lang}, [
      el("head", {}, [
        el("meta", {name: "viewport", content: "width=device-width, initial-scale=1"}),
        el("title", {}, [feed.title + " (" + WORDS.feed + ")"]),
        el("link", {rel: "icon", href: root + "assets/favicon.png"}),
        el("link", {rel: "stylesheet", href: root + "feed-view.css"})
      ]),
      el("body", {}, [
        el("header", {}, [
          el("p", {"class": "home"}, [el("a", {href: root}, ["paperfeed"])]),
          el("h1", {}, [feed.title]),
          feed.subtitle ? el("p", {}, [feed.subtitle]) : null,
          el("p", {"class": "hint"}, [WORDS.hint + " ", el("code", {}, [feed.self || location.href])])
        ]),
        el("main", {}, feed.entries.map(entryView))
      ])
    ]);
    document.replaceChild(page, top);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
