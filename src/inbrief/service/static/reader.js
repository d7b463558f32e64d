/*
 * The reader's article page, enhanced: "Get a summary" answers in place from the API instead of
 * reloading the page and, pressed again (or "Hide summary"), hides it again, its aria-expanded
 * saying which; a click on a summary sentence scrolls to that sentence in the article and
 * highlights it. Without this script the same forms and links work through plain page loads
 * (?summary=... renders the summary, #s-N jumps to the sentence and CSS :target marks it).
 * Kept in a static file, with no inline handlers, so a strict Content-Security-Policy can apply.
 */
(() => {
  "use strict";

  function sentenceLink(sentence) {
    const link = document.createElement("a");
    link.className = "summary-sentence";
    link.href = "#s-" + sentence.index;
    link.dataset.index = String(sentence.index);
    link.textContent = sentence.text;
    return link;
  }

  // The summary is the article's first sentences (pages.SummaryView.opening).
  function isOpening(sentences) {
    return sentences.length > 0 && sentences.every((sentence, at) => sentence.index === at);
  }

  function paragraph(className, text) {
    const element = document.createElement("p");
    element.className = className;
    element.textContent = text;
    return element;
  }

  // The same markup as templates/_summary.html, built from the API's summary JSON.
  function renderSummary(summary, option) {
    const box = document.createElement("div");
    box.className = "summary";
    box.dataset.budget = option.value;
    const lead = document.createElement("p");
    lead.className = "summary-lead";
    const minutes = summary.stats && summary.stats.minutes_saved;
    lead.textContent =
      "Summary, " + option.textContent.trim() + (minutes ? ` · saves about ${minutes} min` : "");
    box.append(lead);
    if (isOpening(summary.sentences)) {
      box.append(paragraph("summary-opening", "The article's opening says it:"));
    }
    if (option.dataset.style === "bullets") {
      const list = document.createElement("ul");
      list.className = "summary-sentences";
      for (const sentence of summary.sentences) {
        const item = document.createElement("li");
        item.append(sentenceLink(sentence));
        list.append(item);
      }
      box.append(list);
    } else {
      const running = paragraph("summary-sentences", "");
      summary.sentences.forEach((sentence, position) => {
        if (position > 0) {
          running.append(" ");
        }
        running.append(sentenceLink(sentence));
      });
      box.append(running);
    }
    if (summary.over_budget) {
      box.append(
        paragraph("summary-note", "The most important sentence alone is longer than this budget."),
      );
    }
    const hide = paragraph("summary-hide", "");
    const link = document.createElement("a");
    link.href = location.pathname;
    link.textContent = "Hide summary";
    hide.append(link);
    box.append(hide);
    return box;
  }

  function setOpen(control, open) {
    control.querySelector(".summary-panel").hidden = !open;
    control.querySelector(".summary-button").setAttribute("aria-expanded", String(open));
  }

  function hideSummary(control) {
    const panel = control.querySelector(".summary-panel");
    const focusInside = panel.contains(document.activeElement);
    setOpen(control, false);
    if (focusInside) {
      control.querySelector(".summary-button").focus();
    }
  }

  function problemText(body, response) {
    return (body && (body.detail || body.title)) || "the reader answered " + response.status;
  }

  async function showSummary(form) {
    const control = form.closest(".get-summary");
    const panel = control.querySelector(".summary-panel");
    const button = form.querySelector("button");
    const option = form.elements.summary.selectedOptions[0];
    const url = form.dataset.summaryUrl + "?" + option.dataset.query;
    button.disabled = true;
    panel.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        throw new Error(problemText(body, response));
      }
      panel.replaceChildren(renderSummary(body, option));
    } catch (error) {
      panel.replaceChildren(paragraph("summary-error", "No summary right now: " + error.message));
    } finally {
      button.disabled = false;
      panel.removeAttribute("aria-busy");
      setOpen(control, true);
    }
  }

  // The button toggles: it hides the summary it opened; with another length chosen since, it
  // shows that one instead.
  function toggleSummary(form) {
    const control = form.closest(".get-summary");
    const panel = control.querySelector(".summary-panel");
    const shown = panel.querySelector(".summary");
    const chosen = form.elements.summary.value;
    if (!panel.hidden && shown && shown.dataset.budget === chosen) {
      hideSummary(control);
    } else {
      showSummary(form);
    }
  }

  function highlight(index, { scroll }) {
    for (const old of document.querySelectorAll(".sentence.highlighted")) {
      old.classList.remove("highlighted");
    }
    const parts = document.querySelectorAll(`.sentence[data-index="${index}"]`);
    for (const part of parts) {
      part.classList.add("highlighted");
    }
    if (parts.length && scroll) {
      const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      parts[0].scrollIntoView({ block: "center", behavior: reduce ? "auto" : "smooth" });
    }
    return parts.length > 0;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.classList.contains("summary-form")) {
      event.preventDefault();
      toggleSummary(form);
    }
  });

  document.addEventListener("click", (event) => {
    const hide = event.target instanceof Element && event.target.closest(".summary-hide a");
    if (hide) {
      event.preventDefault();
      hideSummary(hide.closest(".get-summary"));
      return;
    }
    const link = event.target instanceof Element && event.target.closest(".summary-sentence");
    if (link && highlight(link.dataset.index, { scroll: true })) {
      event.preventDefault();
      history.replaceState(null, "", "#s-" + link.dataset.index);
    }
  });

  const match = /^#s-(\d+)$/.exec(location.hash);
  if (match) {
    highlight(match[1], { scroll: false });
  }
})();
