// The progress of a file the scheduler prepares (templates/dashboard/prepared.html):
// polls the job's status, moves the bar and the step, and reloads the page
// once the file is ready (or could not be made) to show what to do next.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-job-status");
  var bar = box.querySelector("progress");
  var step = box.querySelector("[data-job-step]");

  function later(delay) {
    window.setTimeout(poll, delay);
  }

  function show(state) {
    if (state.status === "done" || state.status === "failed") {
      window.location.reload();
      return;
    }
    bar.value = state.progress;
    bar.textContent = state.progress + "%";
    if (step.textContent !== state.step_text) {
      step.textContent = state.step_text;
    }
    later(1500);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(show)
      .catch(function () {
        later(5000);
      });
  }

  later(1500);
})();
