// Starts GOV.UK Frontend's components; HTMX needs no start-up of its own.
import { initAll } from "/assets/js/govuk-frontend.min.js";

initAll();

// Content swapped in by HTMX may hold components too (error summaries, checkboxes).
document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.target });
});
