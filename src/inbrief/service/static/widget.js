/*
 * inbrief publisher widget.
 *
 *   <script src="https://READER/widget.js" data-article="article" async></script>
 *
 * Puts a "No time to read? Get a summary" button above and below the element that
 * data-article selects. A click sends the page's URL (or, with data-send="text", the element's
 * text) to the reader that served this script and shows the summary in place. Optional:
 * data-sentences="3" or data-words="60" for the length.
 *
 * Built to run under a strict publisher Content-Security-Policy that allows only this script:
 * no eval, no inline <style> and no style attributes. The widget's look lives in a constructed
 * stylesheet adopted by a shadow root; CSP's style-src governs <style>, <link> and style
 * attributes, not stylesheets built through the CSSOM, and the shadow root keeps the publisher's
 * CSS and ours from leaking into each other while inherited properties (the page's font and
 * colour) still flow in. No cookies (credentials: "omit"), no request except to this reader.
 */
(() => {
  "use strict";

  const script =
    document.currentScript || document.querySelector('script[src*="widget.js"][data-article]');
  if (!script) {
    return;
  }
  // The API lives beside the script: https://READER/prefix/widget.js -> https://READER/prefix/
  const apiBase = new URL(".", script.src).href;
  const selector = script.dataset.article || "article";
  const sendText = script.dataset.send === "text";

  const CSS = `
    :host { display: block; margin: 1em 0; font: inherit; color: inherit; }
    .ask { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em; margin: 0; }
    button {
      font: inherit; color: inherit; background: transparent; cursor: pointer;
      border: 1px solid currentColor; border-radius: 0.3em; padding: 0.35em 0.9em;
    }
    button:disabled { cursor: progress; opacity: 0.7; }
    .summary {
      margin: 0.75em 0 0; padding: 0.5em 1em; border-inline-start: 0.25em solid currentColor;
      border-inline-start-color: color-mix(in srgb, currentColor 35%, transparent);
    }
    .summary[hidden] { display: none; }
    .summary ul { margin: 0; padding-inline-start: 1.1em; }
    .summary li + li { margin-top: 0.4em; }
    .note { margin: 0.5em 0 0; font-size: 0.85em; opacity: 0.8; }
  `;

  let sheet = null;
  let pending = null;

  function stylesheet() {
    if (sheet === null && "adoptedStyleSheets" in Document.prototype) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    return sheet;
  }

  function budget() {
    const data = script.dataset;
    if (data.words) {
      return { words: Number(data.words) };
    }
    return { sentences: Number(data.sentences || 3) };
  }

  function request(article) {
    const source = sendText
      ? { text: article.innerText }
      : { url: location.href.split("#")[0] };
    return fetch(apiBase + "api/summarize", {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(Object.assign(source, budget())),
    }).then((response) =>
      response.json().then((body) => {
        if (!response.ok) {
          throw new Error(body.detail || body.title || "the reader answered " + response.status);
        }
        return body;
      })
    );
  }

  function summaryOf(article) {
    if (pending === null) {
      pending = request(article).catch((error) => {
        pending = null; // let the next click try again
        throw error;
      });
    }
    return pending;
  }

  function show(region, summary) {
    const list = document.createElement("ul");
    for (const sentence of summary.summary) {
      const item = document.createElement("li");
      item.textContent = sentence;
      list.append(item);
    }
    const note = document.createElement("p");
    note.className = "note";
    const minutes = summary.stats && summary.stats.minutes_saved;
    note.textContent = minutes ? `Summary by inbrief, saves about ${minutes} min.` : "Summary by inbrief.";
    region.replaceChildren(list, note);
  }

  function block(article, position) {
    const host = document.createElement("div");
    host.className = "inbrief-widget inbrief-widget-" + position;
    const root = host.attachShadow({ mode: "open" });
    const css = stylesheet();
    if (css) {
      root.adoptedStyleSheets = [css];
    }
    const ask = document.createElement("p");
    ask.className = "ask";
    const label = document.createElement("span");
    label.textContent = "No time to read?";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Get a summary";
    button.setAttribute("aria-expanded", "false");
    ask.append(label, button);
    const region = document.createElement("div");
    region.className = "summary";
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", "Summary");
    region.setAttribute("aria-live", "polite");
    region.hidden = true;
    root.append(ask, region);

    button.addEventListener("click", () => {
      if (button.getAttribute("aria-expanded") === "true") {
        region.hidden = true;
        button.setAttribute("aria-expanded", "false");
        return;
      }
      button.disabled = true;
      summaryOf(article)
        .then((summary) => show(region, summary))
        .catch((error) => {
          region.textContent = "No summary right now: " + error.message;
        })
        .finally(() => {
          button.disabled = false;
          region.hidden = false;
          button.setAttribute("aria-expanded", "true");
        });
    });
    return host;
  }

  function mount() {
    const article = document.querySelector(selector);
    if (!article) {
      console.warn(`inbrief widget: no element matches data-article="${selector}"`);
      return;
    }
    article.before(block(article, "top"));
    article.after(block(article, "bottom"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount, { once: true });
  } else {
    mount();
  }
})();
