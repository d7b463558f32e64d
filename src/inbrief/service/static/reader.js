/*
 * The reader's article page, enhanced: "Get a summary" answers in place from the API instead of
 * reloading the page and, pressed again (or "Hide summary"), hides it again, its aria-expanded
 * saying which; a click on a summary sentence scrolls to that sentence in the article and
 * highlights it. Without this script the same forms and links work through plain page loads
 * (?summary=... renders the summary, #s-N jumps to the sentence and CSS :target marks it).
 *
 * "Written summary" (offered when the reader has a language model) asks the API for the
 * summary the model writes: that takes the model 5-30 s on a CPU, so the panel says the model
 * is writing and the page stays usable meanwhile (the other button, the other panel, the
 * article); the result replaces the message when it comes, unless the reader asked for
 * something else since. A written sentence highlights the article sentences it rests on.
 * Kept in a static file, with no inline handlers, so a strict Content-Security-Policy can apply.
 */
(() => {
  "use strict";

  const WAITING = "The model is writing the summary… (this can take half a minute)";

  function sentenceLink(sentence) {
    const link = document.createElement("a");
    link.className = "summary-sentence";
    link.href = "#s-" + sentence.index;
    link.dataset.index = String(sentence.index);
    link.textContent = sentence.text;
    return link;
  }

  // A checked written sentence: a link to the article sentences supporting it, and its mark.
  function writtenLink(sentence) {
    const support = sentence.support.map((s) => s.index);
    if (!support.length) {
      const text = document.createElement("span");
      text.className = "summary-sentence";
      text.textContent = sentence.text;
      return [text];
    }
    const link = sentenceLink({ index: support[0], text: sentence.text });
    link.dataset.support = support.join(" ");
    const mark = document.createElement("span");
    mark.className = "check-mark";
    mark.setAttribute("role", "img");
    mark.setAttribute("aria-label", "checked");
    mark.title = "Checked against the article";
    mark.textContent = "✓";
    return [link, mark];
  }

  // The summary is the article's first sentences (summary_panel.SummaryView.opening).
  function isOpening(sentences) {
    return sentences.length > 0 && sentences.every((sentence, at) => sentence.index === at);
  }

  function paragraph(className, text) {
    const element = document.createElement("p");
    element.className = className;
    element.textContent = text;
    return element;
  }

  function sentenceList(pieces, bullets) {
    if (bullets) {
      const list = document.createElement("ul");
      list.className = "summary-sentences";
      for (const piece of pieces) {
        const item = document.createElement("li");
        item.append(...piece);
        list.append(item);
      }
      return list;
    }
    const running = paragraph("summary-sentences", "");
    pieces.forEach((piece, position) => {
      if (position > 0) {
        running.append(" ");
      }
      running.append(...piece);
    });
    return running;
  }

  function problemLine(problem) {
    return `${problem.kind} “${problem.text}”: ${problem.note}`;
  }

  // The sentences the check removed, listed on request (summary_panel.RemovedSentence).
  function removedList(written) {
    const removed = written.removed_sentences;
    const details = document.createElement("details");
    details.className = "summary-removed";
    const label = document.createElement("summary");
    label.textContent =
      `${removed.length} ${removed.length === 1 ? "sentence" : "sentences"} removed by the check`;
    const list = document.createElement("ul");
    for (const sentence of removed) {
      const item = document.createElement("li");
      const text = document.createElement("q");
      text.className = "removed-text";
      text.textContent = sentence.text;
      const why = document.createElement("span");
      why.className = "removed-why";
      why.textContent = sentence.problems.length
        ? sentence.problems.map(problemLine).join("; ")
        : "no sentence of the article supports it";
      item.append(text, " ", why);
      list.append(item);
    }
    details.append(label, list);
    return details;
  }

  // The same markup as templates/_summary.html, built from the API's summary JSON.
  function renderSummary(summary, option, kind) {
    const shownWritten = Boolean(summary.written) && !summary.fallback;
    const box = document.createElement("div");
    box.className = shownWritten ? "summary written" : "summary";
    box.dataset.budget = option.value;
    box.dataset.kind = kind;
    const minutes = summary.stats && summary.stats.minutes_saved;
    const name = (shownWritten ? "Written summary, " : "Summary, ") + option.textContent.trim();
    box.append(paragraph("summary-lead", name + (minutes ? ` · saves about ${minutes} min` : "")));
    if (shownWritten) {
      const written = summary.written;
      const by = paragraph("summary-by", "Written by ");
      const model = document.createElement("bdi");
      model.textContent = written.model;
      const seen = written.saw_selection
        ? ` (the model saw ${written.sentences_seen} of its ${written.sentences_total} sentences)`
        : "";
      by.append(model, `; each sentence checked against the article${seen}.`);
      box.append(by);
    } else if (summary.fallback) {
      box.append(
        paragraph(
          "summary-fallback",
          `No written summary this time: ${summary.fallback}. ` +
            "Here is the summary made of the article's own sentences.",
        ),
      );
    }
    if (!shownWritten && isOpening(summary.sentences)) {
      box.append(paragraph("summary-opening", "The article's opening says it:"));
    }
    const pieces = summary.sentences.map((sentence) =>
      shownWritten ? writtenLink(sentence) : [sentenceLink(sentence)],
    );
    box.append(sentenceList(pieces, option.dataset.style === "bullets"));
    if (summary.written && summary.written.removed_sentences.length) {
      box.append(removedList(summary.written));
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

  function waitingBox(option) {
    const box = document.createElement("div");
    box.className = "summary summary-pending";
    box.dataset.budget = option.value;
    box.dataset.kind = "written";
    box.append(paragraph("summary-waiting", WAITING));
    return box;
  }

  // Each button says whether the panel shows what it asked for.
  function setOpen(control, open, kind) {
    control.querySelector(".summary-panel").hidden = !open;
    const extract = control.querySelector(".summary-button");
    extract.setAttribute("aria-expanded", String(open && kind === "extract"));
    const written = control.querySelector(".written-button");
    if (written) {
      written.setAttribute("aria-expanded", String(open && kind === "written"));
    }
  }

  // What each panel last asked for: an answer to an older request is not shown.
  const tickets = new WeakMap();

  function newTicket(control) {
    const ticket = (tickets.get(control) || 0) + 1;
    tickets.set(control, ticket);
    return ticket;
  }

  function hideSummary(control) {
    const panel = control.querySelector(".summary-panel");
    const focusInside = panel.contains(document.activeElement);
    newTicket(control);
    setOpen(control, false, null);
    if (focusInside) {
      control.querySelector(".summary-button").focus();
    }
  }

  function problemText(body, response) {
    const said = body && (body.detail || body.title);
    const detail = said || "the reader answered " + response.status;
    const retry = response.headers.get("Retry-After");
    return retry && !/try again/.test(detail) ? `${detail}; try again in ${retry} s` : detail;
  }

  // One request per summary, however many times the buttons are pressed while it runs.
  const requests = new Map();

  function fetchSummary(url) {
    if (!requests.has(url)) {
      const answer = fetch(url, { headers: { Accept: "application/json" } })
        .then(async (response) => {
          const body = await response.json().catch(() => null);
          if (!response.ok) {
            throw new Error(problemText(body, response));
          }
          return body;
        })
        .finally(() => requests.delete(url));
      requests.set(url, answer);
    }
    return requests.get(url);
  }

  async function showSummary(form, kind) {
    const control = form.closest(".get-summary");
    const panel = control.querySelector(".summary-panel");
    const button = form.querySelector(".summary-button");
    const option = form.elements.summary.selectedOptions[0];
    const method = kind === "written" ? "&method=llm" : "";
    const url = form.dataset.summaryUrl + "?" + option.dataset.query + method;
    const ticket = newTicket(control);
    if (kind === "written") {
      // Said at once, in the live region, and the page stays usable while the model writes.
      panel.replaceChildren(waitingBox(option));
      setOpen(control, true, kind);
    } else {
      button.disabled = true;
      panel.setAttribute("aria-busy", "true");
    }
    let shown;
    try {
      shown = renderSummary(await fetchSummary(url), option, kind);
    } catch (error) {
      const what = kind === "written" ? "No written summary right now: " : "No summary right now: ";
      shown = paragraph("summary-error", what + error.message);
    }
    if (kind !== "written") {
      button.disabled = false;
      panel.removeAttribute("aria-busy");
    }
    if (tickets.get(control) === ticket) {
      panel.replaceChildren(shown);
      setOpen(control, true, kind);
    }
  }

  // A button toggles: it hides the summary it opened; with another length chosen since, or
  // the other kind shown, it shows its own instead.
  function toggleSummary(form, kind) {
    const control = form.closest(".get-summary");
    const panel = control.querySelector(".summary-panel");
    const shown = panel.querySelector(".summary");
    const chosen = form.elements.summary.value;
    const same = shown && shown.dataset.budget === chosen && shown.dataset.kind === kind;
    if (!panel.hidden && same) {
      hideSummary(control);
    } else {
      showSummary(form, kind);
    }
  }

  function highlight(indexes, { scroll }) {
    for (const old of document.querySelectorAll(".sentence.highlighted")) {
      old.classList.remove("highlighted");
    }
    const parts = indexes.flatMap((index) =>
      Array.from(document.querySelectorAll(`.sentence[data-index="${index}"]`)),
    );
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
      const written = event.submitter && event.submitter.classList.contains("written-button");
      toggleSummary(form, written ? "written" : "extract");
    }
  });

  document.addEventListener("click", (event) => {
    const hide = event.target instanceof Element && event.target.closest(".summary-hide a");
    if (hide) {
      event.preventDefault();
      hideSummary(hide.closest(".get-summary"));
      return;
    }
    const link = event.target instanceof Element && event.target.closest("a.summary-sentence");
    if (!link) {
      return;
    }
    const indexes = (link.dataset.support || link.dataset.index).split(" ");
    if (highlight(indexes, { scroll: true })) {
      event.preventDefault();
      history.replaceState(null, "", "#s-" + indexes[0]);
    }
  });

  const match = /^#s-(\d+)$/.exec(location.hash);
  if (match) {
    highlight([match[1]], { scroll: false });
  }
})();
