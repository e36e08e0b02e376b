// Take-home pages: check an archive's size before uploading it, select a new link
// for copying, and follow the grading of unfinished submissions (the page reloads
// once they finish).
(function () {
  "use strict";

  var form = document.getElementById("upload-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      var error = document.getElementById("upload-client-error");
      var limit = parseInt(form.dataset.maxBytes, 10);
      if (input && input.files.length && input.files[0].size > limit) {
        event.preventDefault();
        error.textContent = form.dataset.tooLarge;
        error.hidden = false;
      }
    });
  }

  // The candidate's new link, shown once, is selected by a click, ready to copy.
  var newLink = document.getElementById("new-link-value");
  if (newLink) {
    newLink.addEventListener("click", function () { newLink.select(); });
  }

  var list = document.querySelector("[data-status-url]");
  if (!list || !list.querySelector("[data-done='0']")) {
    return;
  }
  function poll() {
    fetch(list.dataset.statusUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { return; }
        var changed = false;
        status.submissions.forEach(function (row) {
          var item = list.querySelector("[data-number='" + row.number + "']");
          if (!item) { return; }
          var bar = item.querySelector(".progress");
          bar.setAttribute("aria-valuenow", row.percent);
          bar.querySelector("span").style.width = row.percent + "%";
          item.querySelector(".progress-label").textContent = row.label;
          if (row.done && item.dataset.done === "0") { changed = true; }
        });
        if (changed) { window.location.reload(); }
      })
      .catch(function () { /* try again on the next tick */ });
  }
  window.setInterval(poll, 2000);
})();
