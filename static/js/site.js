// Small progressive enhancements; every page works without this file.
"use strict";

// Ask before a destructive button press (the server asks again where it matters).
// A button may carry its own question (data-confirm on the button that was pressed).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  const question =
    (button && button.dataset && button.dataset.confirm) || (form.dataset && form.dataset.confirm);
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Select the whole invite link when it gets focus, ready to copy.
document.querySelectorAll("input.copy").forEach((input) => {
  input.addEventListener("focus", () => input.select());
});

// A Print button (hidden until this file runs, since only a script can print).
document.querySelectorAll("button[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

// "Copy all links": the button copies its textarea (hidden until this file runs; without
// it, the links sit in the textarea to select by hand).
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const source = document.getElementById(button.dataset.copy);
  const done = document.getElementById(button.dataset.copyStatus);
  if (!source) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    source.select();
    try {
      await navigator.clipboard.writeText(source.value);
    } catch {
      document.execCommand("copy");
    }
    if (done) done.hidden = false;
  });
});
