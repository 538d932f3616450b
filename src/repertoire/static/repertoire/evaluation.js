// The evaluation form's live result: as degrees, title or missions change, the form is
// posted to the result endpoint and the panel beside it is replaced. Without this file
// the "Compute the level" button asks the server for the same panel.
(function () {
  "use strict";

  var form = document.querySelector("form[data-evaluation]");
  var panel = document.getElementById("evaluation-result");
  if (!form || !panel || !window.fetch) return;

  // The script does the computing: its button is not needed any more.
  document.querySelectorAll("button[value=compute]").forEach(function (button) {
    button.hidden = true;
  });

  var timer = null;
  var pending = null;

  var refresh = function () {
    if (pending) pending.abort();
    pending = new AbortController();
    panel.setAttribute("aria-busy", "true");
    // A link of the panel may hold the focus: give it back to the same link afterwards.
    var focused = panel.contains(document.activeElement) ? document.activeElement : null;
    var focusedHref = focused && focused.getAttribute("href");
    fetch(panel.dataset.url, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
      signal: pending.signal,
    })
      // A redirection is the sign-in page (session ended): not a result to show.
      .then(function (response) {
        return response.ok && !response.redirected ? response.text() : Promise.reject(response);
      })
      .then(function (html) {
        panel.innerHTML = html;
        panel.removeAttribute("aria-busy");
        if (focusedHref) {
          var again = panel.querySelector('a[href="' + CSS.escape(focusedHref) + '"]');
          if (again) again.focus();
        }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        panel.removeAttribute("aria-busy");  // failed: the compute button comes back
        document.querySelectorAll("button[value=compute]").forEach(function (button) {
          button.hidden = false;
        });
      });
  };

  var schedule = function (event) {
    // Justifications do not change the result: typing them sends nothing.
    if (event.target && event.target.hasAttribute("data-no-result")) return;
    clearTimeout(timer);
    // A degree is a click: answer at once; typing waits for a pause.
    timer = setTimeout(refresh, event.target && event.target.type === "radio" ? 50 : 300);
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
