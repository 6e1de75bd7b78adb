// Live hints from the post coach while typing. Without this file the form still works:
// the coach runs when the form is submitted. Every form marked data-coach-form on the
// page gets hints (a scenario has one reply box per message); `window.coachAttach(root)`
// wires forms added to the page later.
"use strict";

(() => {
  if (!window.fetch) return;
  const stringsNode = document.getElementById("coach-strings");
  if (!stringsNode) return;
  const strings = stringsNode.dataset;
  const names = JSON.parse(strings.labels || "{}");

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function attach(form) {
    if (form.dataset.coachReady) return;
    const field = form.querySelector("[data-coach='live']");
    const results = form.querySelector("[data-coach-results]") || document.querySelector("[data-coach-results]");
    const preview = form.querySelector("[data-coach-preview]");
    const tokenInput = form.querySelector("input[name='csrf_token']");
    if (!field || !results || !tokenInput) return;
    form.dataset.coachReady = "1";
    const token = tokenInput.value;
    const lessonBase = form.dataset.lessonUrl || "/lessons/";
    let timer = null;
    let latest = 0;

    // The draft with each finding's span marked; user text only ever goes in as text.
    function showPreview(text, findings) {
      if (!preview) return;
      preview.replaceChildren();
      const spans = findings.filter((f) => f.end > f.start).sort((a, b) => a.start - b.start);
      let at = 0;
      for (const f of spans) {
        if (f.start < at) continue;
        preview.append(document.createTextNode(text.slice(at, f.start)));
        const mark = element("mark", "severity-" + f.severity, text.slice(f.start, f.end));
        mark.title = f.message;
        preview.append(mark);
        at = f.end;
      }
      preview.append(document.createTextNode(text.slice(at)));
      preview.hidden = spans.length === 0;
    }

    function showFindings(text, findings) {
      results.replaceChildren();
      showPreview(text, findings);
      if (findings.length === 0) {
        results.append(element("p", "note", strings.nothing));
        return;
      }
      const list = element("ul", "findings");
      list.setAttribute("aria-live", "polite");
      for (const f of findings) {
        const item = element("li", "finding severity-" + f.severity);
        item.append(element("strong", null, names[f.category] || f.category));
        if (f.excerpt) item.append(" ", element("q", null, f.excerpt));
        item.append(" ", element("span", null, f.message));
        if (f.suggestion) item.append(element("span", "hint", strings.try + " " + f.suggestion));
        const link = element("a", null, strings.lesson);
        link.href = lessonBase + encodeURIComponent(f.lesson);
        item.append(" ", link);
        list.append(item);
      }
      results.append(list);
    }

    async function check() {
      const text = field.value;
      const ticket = ++latest;
      if (!text.trim()) {
        results.replaceChildren();
        if (preview) preview.hidden = true;
        return;
      }
      try {
        const response = await fetch(form.dataset.checkUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token },
          body: JSON.stringify({ text }),
          credentials: "same-origin",
        });
        if (ticket !== latest) return;  // a newer draft is on its way
        if (!response.ok) throw new Error(String(response.status));
        const data = await response.json();
        showFindings(text, data.findings);
      } catch (error) {
        if (ticket === latest) results.replaceChildren(element("p", "hint", strings.error));
      }
    }

    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
    if (field.value.trim()) check();
  }

  window.coachAttach = (root) => (root || document).querySelectorAll("[data-coach-form]").forEach(attach);
  window.coachAttach(document);
})();
