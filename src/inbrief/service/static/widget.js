/*
 * inbrief publisher widget.
 *
 *   <script src="https://READER/widget.js" data-article="article" async></script>
 *
 * Puts a "No time to read? Get a summary" button above and below the element that
 * data-article selects. A click sends the page's URL (or, with data-send="text", the element's
 * text) to the reader that served this script and shows the summary in place. Optional:
 * data-sentences="3" or data-words="60" for the length, and data-method="llm" for the summary
 * the reader's language model writes (when the reader has one), each sentence checked against
 * the article: the widget names the model, marks each checked sentence, says plainly why when
 * the reader gives the extractive summary instead, and says the model is writing meanwhile.
 * The model and its server are the reader's settings: nothing here can name one.
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
  // A method's name, no more (the reader refuses any other field).
  const method = /^[a-z]{1,40}$/.test(script.dataset.method || "") ? script.dataset.method : null;
  const WAITING = "The model is writing the summary… (this can take half a minute)";

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
    .by, .waiting { margin: 0 0 0.4em; font-size: 0.85em; opacity: 0.8; }
    .mark { margin-inline-start: 0.2em; font-size: 0.8em; opacity: 0.8; }
    details { margin: 0.5em 0 0; font-size: 0.85em; }
    summary { cursor: pointer; }
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

  function options() {
    const data = script.dataset;
    const chosen = data.words
      ? { words: Number(data.words) }
      : { sentences: Number(data.sentences || 3) };
    return method ? Object.assign(chosen, { method }) : chosen;
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
      body: JSON.stringify(Object.assign(source, options())),
    }).then((response) =>
      response.json().then((body) => {
        if (!response.ok) {
          const detail = body.detail || body.title || "the reader answered " + response.status;
          const retry = response.headers.get("Retry-After");
          const when = retry && !/try again/.test(detail) ? `; try again in ${retry} s` : "";
          throw new Error(detail + when);
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

  function line(className, text) {
    const element = document.createElement("p");
    element.className = className;
    element.textContent = text;
    return element;
  }

  // The sentences the check removed from a written summary, listed on request.
  function removed(written) {
    const details = document.createElement("details");
    const label = document.createElement("summary");
    const count = written.removed_sentences.length;
    label.textContent = `${count} ${count === 1 ? "sentence" : "sentences"} removed by the check`;
    const list = document.createElement("ul");
    for (const sentence of written.removed_sentences) {
      const item = document.createElement("li");
      const why = sentence.problems.map((p) => `${p.kind} “${p.text}”: ${p.note}`).join("; ");
      const reason = why || "no sentence of the article supports it";
      item.textContent = `“${sentence.text}” ${reason}`;
      list.append(item);
    }
    details.append(label, list);
    return details;
  }

  function show(region, summary) {
    const written = summary.written && !summary.fallback ? summary.written : null;
    const shown = [];
    if (written) {
      const by = `Written by ${written.model}; each sentence checked against the article.`;
      shown.push(line("by", by));
    } else if (summary.fallback) {
      const why = `No written summary this time: ${summary.fallback}.`;
      shown.push(line("by", why + " These are the article's own sentences."));
    }
    const list = document.createElement("ul");
    for (const sentence of summary.summary) {
      const item = document.createElement("li");
      item.textContent = sentence;
      if (written) {
        const mark = document.createElement("span");
        mark.className = "mark";
        mark.setAttribute("role", "img");
        mark.setAttribute("aria-label", "checked");
        mark.textContent = "✓";
        item.append(mark);
      }
      list.append(item);
    }
    shown.push(list);
    if (summary.written && summary.written.removed_sentences.length) {
      shown.push(removed(summary.written));
    }
    const minutes = summary.stats && summary.stats.minutes_saved;
    const saves = minutes ? `, saves about ${minutes} min` : "";
    shown.push(line("note", `Summary by inbrief${saves}.`));
    region.replaceChildren(...shown);
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
      if (method === "llm") {
        // A model takes its time: say so at once (the region is live), then show the answer.
        region.replaceChildren(line("waiting", WAITING));
        region.hidden = false;
      }
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
