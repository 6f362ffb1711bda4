// The warning before the idle sign-out (WCAG 2.2.1 Timing Adjustable; the GOV.UK/HMRC timeout
// warning pattern). includes/timeout_warning.html renders the dialog on signed-in pages with
// the idle length (SESSION_COOKIE_AGE) and the warning's lead time, in seconds.
//
// - The clock starts when the page loads (the server renewed the session for this page) and
//   again after a request the person made through htmx. Polling (hx-trigger="every ...") does
//   not count: it renews the session on the server but says nothing about the person, so the
//   warning still opens and, unanswered, signs them out.
// - Tabs share the clock (localStorage): a person working in one tab is not signed out by
//   another tab left open, and staying signed in in one closes the warning in the others.
// - The dialog is modal (<dialog>.showModal()): focus moves into it; Esc means "Stay signed in".
// - The countdown is shown every second but announced only when it opens (its description),
//   at each whole minute left and at 30 seconds.
// - When the time runs out, a POST to /signed-out/ ends the session (if the server has not
//   already) and shows why.

const dialog = document.getElementById("app-timeout-dialog");
const expiredForm = document.getElementById("app-timeout-expired");

if (dialog && expiredForm && typeof dialog.showModal === "function") {
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  const keepAliveUrl = dialog.dataset.keepAliveUrl;
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announcement = dialog.querySelector("[data-timeout-announcement]");
  const stayButton = dialog.querySelector("[data-timeout-stay]");
  const csrfToken = expiredForm.querySelector("input[name=csrfmiddlewaretoken]").value;

  const ACTIVITY_KEY = "joinedup.session.lastActivity";
  const sharedActivity = () => {
    try {
      return Number(window.localStorage.getItem(ACTIVITY_KEY)) || 0;
    } catch {
      return 0; // storage turned off: each tab keeps its own clock
    }
  };

  let deadline = 0;
  let returnFocusTo = null;
  let lastAnnounced = null;
  let finished = false;

  const describe = (seconds) => {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return minutes === 1 ? "1 minute" : `${minutes} minutes`;
    }
    return seconds === 1 ? "1 second" : `${seconds} seconds`;
  };

  const restart = () => {
    const now = Date.now();
    deadline = now + idleMs;
    try {
      window.localStorage.setItem(ACTIVITY_KEY, String(now));
    } catch {
      // storage turned off: this tab's clock only
    }
  };
  restart();

  const open = () => {
    returnFocusTo = document.activeElement;
    lastAnnounced = null;
    announcement.textContent = "";
    update();
    dialog.showModal();
    stayButton.focus();
  };

  const close = () => {
    if (dialog.open) dialog.close();
    if (returnFocusTo && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
    returnFocusTo = null;
  };

  const update = () => {
    const seconds = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    countdown.textContent = describe(seconds);
    const wholeMinute = seconds > 0 && seconds % 60 === 0;
    if (dialog.open && (wholeMinute || seconds === 30) && lastAnnounced !== seconds) {
      lastAnnounced = seconds;
      announcement.textContent = `You will be signed out in ${describe(seconds)}.`;
    }
  };

  const signOut = () => {
    if (finished) return;
    finished = true;
    expiredForm.submit();
  };

  const staySignedIn = async () => {
    try {
      const response = await fetch(keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.status !== 204) {
        signOut(); // the session had already ended (idle, or the 12-hour limit)
        return;
      }
    } catch {
      return; // no answer (offline): leave the dialog open; the countdown goes on
    }
    restart();
    close();
  };

  stayButton.addEventListener("click", staySignedIn);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault(); // Esc: stay signed in, not just close
    staySignedIn();
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    const trigger = event.detail.elt?.getAttribute?.("hx-trigger") ?? "";
    if (event.detail.successful && !trigger.trim().startsWith("every ")) restart();
  });

  // A tick each second, comparing with the clock, so a throttled background tab still acts
  // on time when it wakes.
  setInterval(() => {
    if (finished) return;
    deadline = Math.max(deadline, sharedActivity() + idleMs); // another tab's activity
    const left = deadline - Date.now();
    if (dialog.open && left > warningMs) {
      close(); // the person stayed signed in in another tab
    } else if (left <= 0) {
      signOut();
    } else if (left <= warningMs && !dialog.open) {
      open();
    } else if (dialog.open) {
      update();
    }
  }, 1000);
}
