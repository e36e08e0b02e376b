// The scoring form: every change is kept in this browser at once (localStorage)
// and saved to the server shortly after; when the connection drops, saving is
// retried until it comes back, so a flaky network or a closed tab loses nothing.
(function () {
  "use strict";

  var form = document.getElementById("scorecard-form");
  if (!form) { return; }
  var L = JSON.parse(document.getElementById("scorecard-labels").textContent);
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var state = document.getElementById("save-state");
  var storageKey = "scorecard-" + form.dataset.id;
  var timer = null;
  var saving = false;
  var pending = false;

  function gather() {
    var data = { answers: {}, competencies: {}, recommendation: "", justification: "" };
    form.querySelectorAll(".sc-question").forEach(function (box) {
      var checked = function (kind) {
        return Array.prototype.map.call(box.querySelectorAll("input[data-kind=" + kind + "]:checked"), function (i) { return parseInt(i.value, 10); });
      };
      var rating = box.querySelector("input[data-kind=rating]:checked");
      data.answers[box.dataset.key] = {
        key_points: checked("key_points"),
        mistakes: checked("mistakes"),
        rating: rating ? parseInt(rating.value, 10) : null,
        not_asked: box.querySelector("input[data-kind=not_asked]").checked,
        notes: box.querySelector("textarea[data-kind=notes]").value
      };
    });
    form.querySelectorAll(".sc-competency").forEach(function (box) {
      var rating = box.querySelector("input[data-kind=rating]:checked");
      data.competencies[box.dataset.key] = {
        rating: rating ? parseInt(rating.value, 10) : null,
        notes: box.querySelector("textarea[data-kind=notes]").value
      };
    });
    var recommendation = form.querySelector("input[name=recommendation]:checked");
    data.recommendation = recommendation ? recommendation.value : "";
    data.justification = document.getElementById("justification").value;
    return data;
  }

  function apply(data) {
    Object.keys(data.answers || {}).forEach(function (key) {
      var box = form.querySelector(".sc-question[data-key='" + key + "']");
      if (!box) { return; }
      var answer = data.answers[key];
      box.querySelectorAll("input[data-kind=key_points]").forEach(function (i) { i.checked = answer.key_points.indexOf(parseInt(i.value, 10)) >= 0; });
      box.querySelectorAll("input[data-kind=mistakes]").forEach(function (i) { i.checked = answer.mistakes.indexOf(parseInt(i.value, 10)) >= 0; });
      box.querySelectorAll("input[data-kind=rating]").forEach(function (i) { i.checked = parseInt(i.value, 10) === answer.rating; });
      box.querySelector("input[data-kind=not_asked]").checked = !!answer.not_asked;
      box.querySelector("textarea[data-kind=notes]").value = answer.notes || "";
    });
    Object.keys(data.competencies || {}).forEach(function (key) {
      var box = form.querySelector(".sc-competency[data-key='" + key + "']");
      if (!box) { return; }
      box.querySelectorAll("input[data-kind=rating]").forEach(function (i) { i.checked = parseInt(i.value, 10) === data.competencies[key].rating; });
      box.querySelector("textarea[data-kind=notes]").value = data.competencies[key].notes || "";
    });
    form.querySelectorAll("input[name=recommendation]").forEach(function (i) { i.checked = i.value === data.recommendation; });
    document.getElementById("justification").value = data.justification || "";
  }

  function keep() {
    window.localStorage.setItem(storageKey, JSON.stringify({ dirty: true, data: gather() }));
  }

  function save() {
    if (saving) { pending = true; return; }
    var stored = JSON.parse(window.localStorage.getItem(storageKey) || "null");
    if (!stored || !stored.dirty) { return; }
    saving = true;
    state.textContent = L.saving;
    fetch(form.dataset.draftUrl, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(stored.data)
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (body) {
      var now = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      // Only clear the mark if nothing changed while the request was in flight.
      if (now && JSON.stringify(now.data) === JSON.stringify(stored.data)) {
        window.localStorage.setItem(storageKey, JSON.stringify({ dirty: false, data: stored.data }));
      }
      form.dataset.revision = body.revision;
      state.textContent = L.saved;
    }).catch(function () {
      state.textContent = L.offline;
    }).then(function () {
      saving = false;
      if (pending) { pending = false; save(); }
    });
  }

  function changed() {
    keep();
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 600);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  window.addEventListener("online", save);
  window.setInterval(save, 3000); // retries whatever is still unsaved

  // A draft kept in this browser but never saved (tab closed while offline) wins over the page.
  var stored = JSON.parse(window.localStorage.getItem(storageKey) || "null");
  if (stored && stored.dirty) { apply(stored.data); save(); }

  document.getElementById("submit-scorecard").addEventListener("click", function () {
    var problems = document.getElementById("submit-problems");
    problems.innerHTML = ""; problems.hidden = true;
    keep();
    fetch(form.dataset.submitUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(gather())
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok) {
        window.localStorage.removeItem(storageKey);
        window.location.reload();
        return;
      }
      var list = (result.body.extra || {}).problems || [result.body.message || L.not_submitted];
      list.forEach(function (text) { var li = document.createElement("li"); li.textContent = text; problems.appendChild(li); });
      problems.hidden = false;
    }).catch(function () { state.textContent = L.offline; });
  });
})();
