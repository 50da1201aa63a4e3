// Radios that reveal follow-up questions (GOV.UK Frontend's conditional reveal) without aria-expanded.
//
// GOV.UK Frontend sets aria-expanded on such a radio each time the choice changes, but ARIA allows that state
// only on roles like button and checkbox, not on radio: axe reports it as a critical aria-allowed-attr failure,
// and assistive technology is free to ignore it. What a screen reader needs is still there: the radio keeps
// aria-controls naming the revealed questions, which come straight after it in the reading order and are shown
// or hidden with the radio's checked state. This removes only the attribute, whenever it is set, so the
// component's own show-and-hide goes on unchanged (also in content HTMX swaps in).
const RADIO = 'input[type="radio"][aria-expanded]';

function dropExpandedState(root) {
  if (root.matches?.(RADIO)) {
    root.removeAttribute("aria-expanded");
  }
  root.querySelectorAll?.(RADIO).forEach((radio) => radio.removeAttribute("aria-expanded"));
}

new MutationObserver((records) => {
  for (const record of records) {
    dropExpandedState(record.target);
  }
}).observe(document.documentElement, { subtree: true, attributeFilter: ["aria-expanded"] });
