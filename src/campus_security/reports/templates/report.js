"use strict";
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var S = data.strings, rows = data.rows, names = data.names, size = data.page;
  var LABELS = {fail: "不合格 / fail", error: "出错 / error",
    critical: "重大 / critical", major: "较大 / major", minor: "一般 / minor"};
  var q = document.getElementById("q");
  var fStandard = document.getElementById("f-standard");
  var fRule = document.getElementById("f-rule");
  var fStatus = document.getElementById("f-status");
  var fSeverity = document.getElementById("f-severity");
  var body = document.getElementById("rows");
  var count = document.getElementById("count");
  var pageLabel = document.getElementById("page");
  var prev = document.getElementById("prev"), next = document.getElementById("next");
  var hay = null, shown = rows, page = 0;

  function text(i) { return S[i]; }
  function haystack(r) {
    return [S[r[0]], names[r[0]] || "", S[r[2]], S[r[5]], S[r[6]], S[r[7]], S[r[8]]]
      .join("\n").toLowerCase();
  }
  function cell(tr, content, cls) {
    var td = document.createElement("td");
    if (cls) { td.className = cls; }
    if (typeof content === "string") { td.textContent = content; } else { td.appendChild(content); }
    tr.appendChild(td);
    return td;
  }
  function badge(value) {
    var span = document.createElement("span");
    span.className = "badge b-" + value;
    span.textContent = LABELS[value] || value;
    return span;
  }
  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / size));
    if (page >= pages) { page = pages - 1; }
    var start = page * size, end = Math.min(shown.length, start + size);
    var frag = document.createDocumentFragment();
    for (var k = start; k < end; k++) {
      var r = shown[k], tr = document.createElement("tr");
      var school = document.createElement("div");
      school.textContent = text(r[0]);
      var name = document.createElement("div");
      name.className = "muted";
      name.textContent = names[r[0]] || "";
      var who = document.createElement("div");
      who.appendChild(school); who.appendChild(name);
      cell(tr, who);
      cell(tr, text(r[2]));
      cell(tr, badge(text(r[3])));
      if (fSeverity) { cell(tr, text(r[4]) ? badge(text(r[4])) : ""); }
      cell(tr, text(r[5]) + (text(r[8]) ? " · " + text(r[8]) : ""));
      var msg = document.createElement("div");
      var zh = document.createElement("div"); zh.textContent = text(r[6]);
      var en = document.createElement("div"); en.className = "en"; en.textContent = text(r[7]);
      msg.appendChild(zh); msg.appendChild(en);
      cell(tr, msg);
      frag.appendChild(tr);
    }
    body.textContent = "";
    body.appendChild(frag);
    count.dataset.count = String(shown.length);
    count.textContent = (shown.length ? (start + 1) + "–" + end : "0") + " / 共 " + shown.length +
      " 条 / showing " + (shown.length ? (start + 1) + "–" + end : "0") + " of " + shown.length;
    pageLabel.textContent = (page + 1) + " / " + pages;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  function filter() {
    var needle = q.value.trim().toLowerCase();
    var std = fStandard.value, rule = fRule.value, status = fStatus.value;
    var sev = fSeverity ? fSeverity.value : "";
    if (needle && hay === null) { hay = rows.map(haystack); }
    shown = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (std && S[r[1]] !== std) { continue; }
      if (rule && S[r[2]] !== rule) { continue; }
      if (status && S[r[3]] !== status) { continue; }
      if (sev && S[r[4]] !== sev) { continue; }
      if (needle && hay[i].indexOf(needle) < 0) { continue; }
      shown.push(r);
    }
    page = 0;
    render();
  }
  var timer = null;
  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(filter, 150);
  });
  [fStandard, fRule, fStatus, fSeverity].forEach(function (el) {
    if (el) { el.addEventListener("change", filter); }
  });
  prev.addEventListener("click", function () { page -= 1; render(); });
  next.addEventListener("click", function () { page += 1; render(); });
  Array.prototype.forEach.call(document.querySelectorAll("button.school"), function (b) {
    b.addEventListener("click", function () {
      q.value = b.dataset.school;
      filter();
      document.getElementById("findings").scrollIntoView();
    });
  });
  render();
})();
