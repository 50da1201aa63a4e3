// The GOV.UK filter pattern on a phone: the filters start hidden behind a "Filter" button, so the results come
// first, and the button shows and hides them (aria-expanded says which). The state sits on the element marked
// data-filter, outside what HTMX swaps, so a live search that replaces the filters keeps them open or closed.
// CSS hides the panel only below 40em; wider screens always show it and never show the button.
const TOGGLE = '[data-module="exchange-filter-toggle"]';

function start(button) {
  const filter = button.closest("[data-filter]");
  if (!filter || button.dataset.started) return;
  button.dataset.started = "true";
  const show = (open) => {
    filter.classList.toggle("exchange-filter--closed", !open);
    button.setAttribute("aria-expanded", String(open));
  };
  show(false);
  button.hidden = false;
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
}

document.querySelectorAll(TOGGLE).forEach(start);
