// A long planning run, one chunk per request: while the page is open, ask for the next
// chunk as soon as the last one is done, show the progress, and reload for the results.
// Without this script the "Run the next part" button does the same one chunk at a time.
(function () {
  "use strict";

  function start() {
    var form = document.querySelector("form[data-run-step]");
    var progress = document.getElementById("run-progress");
    var status = document.getElementById("run-status");
    if (!form || !progress || !status) {
      return;
    }
    var stopped = false;
    var cancel = document.querySelector("form[data-run-cancel]");
    if (cancel) {
      cancel.addEventListener("submit", function () { stopped = true; });
    }

    function step() {
      if (stopped) {
        return;
      }
      var body = new FormData(form);
      fetch(form.action, {
        method: "POST",
        body: body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.statusText);
          }
          return response.json();
        })
        .then(function (answer) {
          progress.value = answer.done;
          progress.textContent = answer.done;
          status.textContent = answer.text;
          form.querySelector("input[name=done]").value = answer.done;
          if (cancel) {
            cancel.querySelector("input[name=done]").value = answer.done;
          }
          if (answer.status === "running") {
            step();
          } else if (!stopped) {
            window.location.reload();
          }
        })
        .catch(function () {
          // Leave the button for the lead to carry on by hand.
          stopped = true;
        });
    }

    step();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
