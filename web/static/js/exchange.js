// Starts GOV.UK Frontend's components; HTMX needs no start-up of its own.
import { initAll } from "/assets/js/govuk-frontend.min.js";
import "/assets/js/radio-reveals.js";
import "/assets/js/focus-after-swap.js";
import "/assets/js/filter-toggle.js";

initAll();

// Content swapped in by HTMX may hold components too (error summaries, checkboxes).
document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.target });
});

// HTMX leaves error responses unswapped. Two kinds are meant to be shown: a form sent back with its error
// messages (422), and an error message the server points at a place on the page (HX-Retarget).
document.body.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status === 422 || xhr.getResponseHeader("HX-Retarget")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
