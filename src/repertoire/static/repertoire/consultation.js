// Progressive enhancement of the consultation pages; every page works without it.
(function () {
  "use strict";

  // Search as you type: the form's own GET URL, answered with the results fragment.
  var form = document.querySelector("form[data-live-search]");
  var results = document.getElementById("results");
  if (form && results) {
    var timer = null;
    var pending = null;
    var refresh = function () {
      // Empty filters say nothing: leave them out of the address people share.
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (value !== "" || name === "q") params.append(name, value);
      });
      var url = form.action + "?" + params.toString();
      // Jobs ticked for comparison stay ticked when the results change.
      var ticked = Array.prototype.map.call(
        results.querySelectorAll("input[name=emploi]:checked"), function (box) { return box.value; });
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(url, { headers: { "X-Requested-With": "fetch" }, signal: pending.signal })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
        .then(function (html) {
          results.innerHTML = html;
          ticked.forEach(function (code) {
            var box = document.getElementById("cmp-" + code);
            if (box) box.checked = true;
          });
          history.replaceState(null, "", url);
        })
        .catch(function () { /* aborted or failed: the submit button still works */ });
    };
    var schedule = function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 120);
    };
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  // A form acting on the rows ticked says how many as they are ticked.
  document.querySelectorAll("form[data-count-ticked]").forEach(function (ticking) {
    var count = ticking.querySelector("[data-ticked-count]");
    var button = ticking.querySelector("button[type=submit]");
    if (!count) return;
    ticking.addEventListener("change", function () {
      var ticked = ticking.querySelectorAll(
        "input[type=checkbox][name='" + ticking.dataset.countTicked + "']:checked").length;
      count.textContent = ticked;
      if (button) button.disabled = ticked === 0;
    });
  });

  // A confirmation acting on many people is sent once: a second click while the first is
  // on its way would come back as "nothing changed" (the server answers a repeat with what
  // the first did, but the person only sees the last answer). The button is disabled after
  // the browser has read it into the request, and usable again when the page comes back
  // from the history or the request was stopped (ONCE_MS later): a repeat is safe.
  var ONCE_MS = 10000;
  var usableAgain = function (once) {
    delete once.dataset.sent;
    once.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
  };
  document.querySelectorAll("form[data-once]").forEach(function (once) {
    once.addEventListener("submit", function (event) {
      if (once.dataset.sent) {
        event.preventDefault();
        return;
      }
      once.dataset.sent = "1";
      setTimeout(function () {
        once.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.disabled = true;
        });
      }, 0);
      setTimeout(function () { usableAgain(once); }, ONCE_MS);
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(usableAgain);
  });

  // Print buttons are hidden until there is a script to make them work.
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
