// The plan builder: edits a plan's content in the page and saves it through the
// API (which validates it and writes a new version). Questions move by drag and
// drop or by keyboard (Alt+ArrowUp / Alt+ArrowDown on a focused question).
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("plan-data").textContent);
  var topicNames = JSON.parse(document.getElementById("topic-names").textContent);
  var L = JSON.parse(document.getElementById("builder-labels").textContent);
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }
  var content = data.content;
  var meta = data.questions || {};
  var planId = data.id;
  var TOLERANCE = 0.2;
  var csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
  var stagesBox = document.getElementById("stages");
  var target = document.getElementById("bank-target");
  var dragged = null;

  document.getElementById("plan-name").value = data.name || "";
  document.getElementById("plan-meta").textContent = data.role + " · " + data.level + (planId ? "" : " · " + L.not_saved);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function sections() {
    var all = [];
    content.stages.forEach(function (stage, s) {
      (stage.sections || []).forEach(function (section, i) { all.push({ stage: stage, section: section, id: s + ":" + i }); });
    });
    return all;
  }

  function minutesOf(section) {
    return section.questions.reduce(function (sum, q) { return sum + ((meta[q.key] || {}).minutes || 0); }, 0);
  }

  function move(section, from, to) {
    if (to < 0 || to >= section.questions.length) { return; }
    var item = section.questions.splice(from, 1)[0];
    section.questions.splice(to, 0, item);
    render();
    var focused = stagesBox.querySelector("[data-section='" + section.__id + "'] li[data-index='" + to + "']");
    if (focused) { focused.focus(); }
  }

  function questionItem(section, q, index) {
    var info = meta[q.key] || { minutes: "?", topic: "?", level: "?", prompt_en: q.key };
    var li = el("li", { draggable: "true", tabindex: "0", "data-key": q.key, "data-index": index, class: "plan-question" });
    li.appendChild(el("span", { class: "q-text" }, info.prompt_en || q.key));
    li.appendChild(el("small", {}, " " + info.minutes + " " + L.minutes + " · " + (topicNames[info.topic] || info.topic) + " · " + info.level + (info.status === "retired" ? " · " + L.retired : "")));
    var up = el("button", { type: "button", class: "q-up", "aria-label": L.move_up }, "↑");
    var down = el("button", { type: "button", class: "q-down", "aria-label": L.move_down }, "↓");
    var remove = el("button", { type: "button", class: "q-remove", "aria-label": L.remove }, "✕");
    up.onclick = function () { move(section, index, index - 1); };
    down.onclick = function () { move(section, index, index + 1); };
    remove.onclick = function () { section.questions.splice(index, 1); render(); };
    li.appendChild(up); li.appendChild(down); li.appendChild(remove);
    li.addEventListener("keydown", function (event) {
      if (event.altKey && event.key === "ArrowUp") { event.preventDefault(); move(section, index, index - 1); }
      if (event.altKey && event.key === "ArrowDown") { event.preventDefault(); move(section, index, index + 1); }
      if (event.key === "Delete") { section.questions.splice(index, 1); render(); }
    });
    li.addEventListener("dragstart", function () { dragged = { section: section, index: index }; });
    li.addEventListener("dragover", function (event) { event.preventDefault(); });
    li.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged) { return; }
      var item = dragged.section.questions.splice(dragged.index, 1)[0];
      section.questions.splice(index, 0, item);
      dragged = null;
      render();
    });
    return li;
  }

  function render() {
    stagesBox.innerHTML = "";
    target.innerHTML = "";
    content.stages.forEach(function (stage, s) {
      var box = el("section", { class: "card stage", "data-stage": stage.key });
      box.appendChild(el("h2", {}, stage.title_en + " (" + stage.kind + ", " + L.weight + " " + stage.weight + "%)"));
      (stage.sections || []).forEach(function (section, i) {
        section.__id = s + ":" + i;
        var used = minutesOf(section);
        var over = used > section.minutes * (1 + TOLERANCE);
        var part = el("div", { class: "section" + (over ? " over" : ""), "data-section": section.__id, "data-key": section.key });
        var head = el("h3", {}, section.title_en + " ");
        var budget = el("input", { type: "number", min: "1", max: "240", value: section.minutes, class: "section-minutes", "aria-label": L.budget });
        budget.onchange = function () { section.minutes = parseInt(budget.value, 10) || 1; render(); };
        head.appendChild(el("span", { class: "section-time" }, used + " / "));
        head.appendChild(budget);
        head.appendChild(el("span", {}, " " + L.minutes));
        part.appendChild(head);
        var list = el("ol", { class: "section-questions" });
        section.questions.forEach(function (q, index) { list.appendChild(questionItem(section, q, index)); });
        list.addEventListener("dragover", function (event) { event.preventDefault(); });
        list.addEventListener("drop", function (event) {
          if (!dragged || event.target !== list) { return; }
          event.preventDefault();
          section.questions.push(dragged.section.questions.splice(dragged.index, 1)[0]);
          dragged = null;
          render();
        });
        part.appendChild(list);
        box.appendChild(part);
        target.appendChild(el("option", { value: section.__id }, stage.title_en + " › " + section.title_en));
      });
      if (stage.kind === "interview") {
        var add = el("button", { type: "button", class: "add-section" }, L.add_section);
        add.onclick = function () {
          var title = window.prompt(L.section_title, L.new_section);
          if (!title) { return; }
          var key = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "section";
          stage.sections.push({ key: key + "-" + (stage.sections.length + 1), title_en: title, title_ru: title, minutes: 15, competencies: [], questions: [] });
          render();
        };
        box.appendChild(add);
      }
      stagesBox.appendChild(box);
    });
    renderCoverage();
  }

  function renderCoverage() {
    var topics = {}; var levels = {}; var total = 0; var budget = 0;
    sections().forEach(function (entry) {
      budget += entry.section.minutes;
      entry.section.questions.forEach(function (q) {
        var info = meta[q.key]; if (!info) { return; }
        topics[info.topic] = (topics[info.topic] || 0) + 1;
        levels[info.level] = (levels[info.level] || 0) + 1;
        total += info.minutes;
      });
    });
    var box = document.getElementById("coverage");
    box.innerHTML = "";
    box.appendChild(el("p", { id: "total-time" }, fill(L.total, { used: total, budget: budget })));
    box.appendChild(el("p", { id: "coverage-levels" }, L.levels + ": " + Object.keys(levels).sort().map(function (k) { return k + " " + levels[k]; }).join(", ")));
    box.appendChild(el("p", { id: "coverage-topics" }, L.topics + ": " + Object.keys(topics).sort().map(function (k) { return (topicNames[k] || k) + " " + topics[k]; }).join(", ")));
  }

  function sectionById(id) {
    return sections().filter(function (entry) { return entry.section.__id === id; })[0].section;
  }

  var searchTimer = null;
  document.getElementById("bank-search").addEventListener("input", function (event) {
    window.clearTimeout(searchTimer);
    var query = event.target.value.trim();
    searchTimer = window.setTimeout(function () { search(query); }, 250);
  });

  function search(query) {
    var results = document.getElementById("bank-results");
    var url = "/api/v1/questions/?status=active&page_size=15&q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (page) {
      results.innerHTML = "";
      (page.results || []).forEach(function (q) {
        meta[q.key] = meta[q.key] || { key: q.key, topic: q.topic, level: q.level, minutes: q.time_minutes, status: q.status, prompt_en: q.prompt.en, prompt_ru: q.prompt.ru };
        var li = el("li", { "data-key": q.key });
        li.appendChild(el("span", {}, q.prompt.en + " "));
        li.appendChild(el("small", {}, q.time_minutes + " " + L.minutes + " · " + q.level + " · " + (topicNames[q.topic] || q.topic)));
        var add = el("button", { type: "button", class: "bank-add" }, L.add);
        add.onclick = function () {
          var section = sectionById(target.value);
          var present = sections().some(function (entry) { return entry.section.questions.some(function (x) { return x.key === q.key; }); });
          if (present) { setStatus(L.duplicate, true); return; }
          section.questions.push({ key: q.key });
          render();
        };
        li.appendChild(add);
        results.appendChild(li);
      });
    });
  }

  function setStatus(text, bad) {
    var status = document.getElementById("save-status");
    status.textContent = text;
    status.className = bad ? "error" : "";
  }

  function cleanContent() {
    return JSON.parse(JSON.stringify(content, function (key, value) { return key === "__id" ? undefined : value; }));
  }

  document.getElementById("save-plan").addEventListener("click", function () {
    var problems = document.getElementById("save-problems");
    problems.hidden = true; problems.innerHTML = "";
    var name = document.getElementById("plan-name").value;
    var request = planId
      ? { url: "/api/v1/plans/" + planId + "/content/", method: "PUT", body: { content: cleanContent() } }
      : { url: "/api/v1/plans/new/", method: "POST", body: { name: name, role: data.role, level: data.level, content: cleanContent() } };
    fetch(request.url, {
      method: request.method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(request.body)
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok) {
        planId = result.body.id;
        content = result.body.content;
        setStatus(fill(L.saved, { number: result.body.version }), false);
        render();
        return;
      }
      setStatus(result.body.message || L.not_saved_error, true);
      ((result.body.extra || {}).problems || []).forEach(function (problem) { problems.appendChild(el("li", {}, problem)); });
      problems.hidden = !problems.children.length;
    });
  });

  render();
})();
