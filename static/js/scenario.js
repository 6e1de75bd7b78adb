// The scenario's phone comes alive: it asks the server for the run's state and, when
// something happened (a DM, a request, a comment), brings the new parts of the page in
// without a reload, with a short pop-up. Without this file every action is a plain form
// and "Continue" moves time on.
"use strict";

(() => {
  const phone = document.querySelector("[data-scenario-play]");
  if (!phone || !window.fetch || !window.DOMParser) return;
  const strings = document.getElementById("scenario-strings").dataset;
  const toasts = phone.querySelector("[data-toasts]");
  const clockText = phone.querySelector(".sc-status span");
  let version = phone.dataset.version;
  let known = null;
  let timer = null;
  let busy = false;
  let clock = Number(phone.dataset.clock || 0);
  let clockAt = Date.now();

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showClock(seconds) {
    if (!clockText) return;
    const s = Math.max(0, Math.floor(seconds));
    clockText.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function toast(event) {
    const note = element("div", "sc-toast");
    const link = element("a", null, (event.type === "dm" ? strings.dm : strings.other) + " · " + event.actor);
    link.href = "#item-" + event.id;
    note.append(link);
    if (event.text) note.append(": ", document.createTextNode(event.text));
    toasts.append(note);
    while (toasts.children.length > 3) toasts.firstElementChild.remove();
    setTimeout(() => note.remove(), 8000);
  }

  // Keep what the learner is typing (and where) across a refresh of the regions.
  function drafts() {
    const kept = {};
    phone.querySelectorAll("textarea[id]").forEach((box) => {
      if (box.value) kept[box.id] = box.value;
    });
    const open = [...phone.querySelectorAll("details[open]")].map((d) => {
      const inner = d.querySelector("[id]");
      return inner ? inner.id : null;
    });
    const active = document.activeElement && phone.contains(document.activeElement) ? document.activeElement : null;
    // Where the focus is: an element's own id, or its place among the focusable
    // elements of the nearest part with an id (a post, a thread), so that a keyboard
    // user is not thrown back to the top when new things come in.
    let place = null;
    if (active && !active.id) {
      const part = active.parentElement && active.parentElement.closest("[id]");
      if (part) place = { part: part.id, index: focusables(part).indexOf(active) };
    }
    return { kept, open, activeId: active && active.id, place, caret: active && active.selectionStart };
  }

  function focusables(root) {
    return [...root.querySelectorAll("a[href], button, summary, textarea, input:not([type=hidden]), select")];
  }

  function restore(saved) {
    for (const [id, value] of Object.entries(saved.kept)) {
      const box = document.getElementById(id);
      if (box) box.value = value;
    }
    for (const id of saved.open) {
      const inner = id && document.getElementById(id);
      const details = inner && inner.closest("details");
      if (details) details.open = true;
    }
    if (saved.activeId) {
      const again = document.getElementById(saved.activeId);
      if (again) {
        again.focus();
        if (saved.caret != null && again.tagName === "TEXTAREA") again.setSelectionRange(saved.caret, saved.caret);
      }
    } else if (saved.place && saved.place.index >= 0) {
      const part = document.getElementById(saved.place.part);
      const again = part && focusables(part)[saved.place.index];
      if (again) again.focus();
    }
  }

  async function refresh() {
    const response = await fetch(phone.dataset.pageUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = doc.querySelector("[data-scenario-play]");
    if (!fresh) {
      window.location.reload();  // the run is over or gone: show what the server shows
      return;
    }
    const saved = drafts();
    phone.querySelectorAll("[data-live]").forEach((region) => {
      const next = fresh.querySelector('[data-live="' + region.dataset.live + '"]');
      if (next) region.replaceWith(document.adoptNode(next));
    });
    restore(saved);
    if (window.coachAttach) window.coachAttach(phone);
  }

  function schedule(data) {
    clearTimeout(timer);
    if (data.finished) return;
    let wait = 4000;
    if (data.next_at !== null && data.next_at !== undefined) {
      wait = Math.min(Math.max((data.next_at - data.clock) * 1000 + 200, 250), 4000);
    }
    timer = setTimeout(poll, wait);
  }

  async function poll() {
    if (busy) return;
    busy = true;
    try {
      const response = await fetch(phone.dataset.stateUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      clock = data.clock;
      clockAt = Date.now();
      if (known === null) {
        known = new Set(JSON.parse(phone.dataset.events || "[]"));
      }
      if (data.version !== version) {
        await refresh();
        version = data.version;
        phone.dataset.version = version;
        for (const event of data.events) {
          if (known.has(event.id)) continue;
          known.add(event.id);
          if (!event.silent) toast(event);
        }
      }
      schedule(data);
    } catch (error) {
      toasts.replaceChildren(element("div", "sc-toast", strings.error));
      clearTimeout(timer);
      timer = setTimeout(poll, 8000);
    } finally {
      busy = false;
    }
  }

  setInterval(() => showClock(clock + (Date.now() - clockAt) / 1000), 1000);
  poll();
})();
