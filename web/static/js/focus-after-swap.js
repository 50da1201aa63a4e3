// After an HTMX swap, puts keyboard focus on what changed and has screen readers say what happened.
//
// The button a person pressed is usually inside the swapped fragment, so the browser drops focus to the top of
// the page. Fragments opt in with two data attributes, so each template says what matters in it:
//   data-focus-after-swap  on the element to focus (a button, or a heading or status with tabindex="-1");
//                          without one, the swapped element itself is focused if focus was lost.
//   data-announce="..."    a short message read out through the page's polite live region.
// Only swaps that took focus away are acted on, so live filtering and polling never move anyone's focus.
const FOCUS = "[data-focus-after-swap]";
const ANNOUNCE = "[data-announce]";
const ANNOUNCER_ID = "exchange-announcer";

let focusBeforeSwap = null;

function firstMatch(root, selector) {
  return root.matches(selector) ? root : root.querySelector(selector);
}

function focusLost() {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected;
}

function moveFocus(root) {
  const marked = firstMatch(root, FOCUS);
  const target = marked || root;
  if (!marked) {
    // Marked too, so it gets the visible focus outline.
    target.setAttribute("data-focus-after-swap", "");
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
  }
  target.focus();
}

function announce(message) {
  const region = document.getElementById(ANNOUNCER_ID);
  if (!region || !message) {
    return;
  }
  // Emptied first so the same message pressed twice is read out twice.
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = message;
  }, 100);
}

document.body.addEventListener("htmx:beforeSwap", () => {
  focusBeforeSwap = document.activeElement;
});

// afterSettle fires on each element the swap put into the page (for innerHTML, on the target itself).
document.body.addEventListener("htmx:afterSettle", (event) => {
  const root = event.target;
  if (!(root instanceof Element) || !root.isConnected) {
    return;
  }
  // The pressed button was inside what the swap replaced: the browser has let go of it.
  if (focusBeforeSwap && !focusBeforeSwap.isConnected) {
    focusBeforeSwap = null;
    if (focusLost()) {
      moveFocus(root);
    }
    announce(firstMatch(root, ANNOUNCE)?.dataset.announce);
  }
});
