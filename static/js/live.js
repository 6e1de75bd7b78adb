// Live class sessions: follow the teacher's steps without reloading. The page asks the
// server for the session's state every second; when it changes, the step's part of the
// page is fetched again and swapped in. Without this file a reload shows the same thing.
"use strict";

(() => {
  const root = document.querySelector("[data-live]");
  if (!root || !window.fetch) return;
  const region = () => root.querySelector("[data-live-region]");
  let known = root.dataset.state;
  let busy = false;
  let timer = null;
  let ticking = null;

  // A question's timer counts down from the seconds the server gave with the page (the
  // device's clock is never compared with the server's). At zero the answer button
  // rests; the server refuses a late answer anyway.
  function countdown() {
    window.clearInterval(ticking);
    const shown = region() && region().querySelector("[data-countdown]");
    if (!shown) return;
    const ends = Date.now() + Number(shown.dataset.countdown) * 1000;
    const template = root.dataset.secondsLeft || "%s s";
    const tick = () => {
      const left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
      shown.textContent = left ? template.replace("%s", String(left)) : shown.dataset.done;
      if (!left) {
        window.clearInterval(ticking);
        region().querySelectorAll(".live-answer button[type=submit]").forEach((button) => {
          button.disabled = true;
        });
      }
    };
    tick();
    ticking = window.setInterval(tick, 250);
  }

  async function refresh() {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("[data-live-region]");
    const next = page.querySelector("[data-live]");
    if (fresh && region()) region().replaceWith(fresh);
    if (next) known = next.dataset.state;
    countdown();
  }

  async function poll() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const response = await fetch(root.dataset.stateUrl, { credentials: "same-origin" });
      if (response.ok) {
        const fresh = await response.json();
        if (JSON.stringify(fresh) !== JSON.stringify(JSON.parse(known))) await refresh();
        // An ended session changes no more: stop asking.
        if (fresh.ended) window.clearInterval(timer);
      }
    } catch (error) {
      // A missed poll is fine: the next one catches up.
    } finally {
      busy = false;
    }
  }

  countdown();
  if (!JSON.parse(known).ended) timer = window.setInterval(poll, 1000);
})();
