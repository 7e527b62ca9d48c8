// The estimate page: fill the form from the URL, post it to the API, show
// the answer. Inputs go into the URL (never into storage) so a result can
// be shared; everything shown is set as text, never as markup.
(function () {
  "use strict";
  var form = document.getElementById("form");
  var summary = document.getElementById("summary");
  var result = document.getElementById("result");
  var button = form.querySelector("button[type=submit]");
  var amounts = ["cost", "out_of_policy", "prior_basic", "prior_selfpay", "used"];
  var names = ["kind", "tier", "scheme", "level", "minor", "year"].concat(amounts);
  var kindNames = { inpatient: "住院", outpatient: "门诊" };

  function kind() {
    var k = form.querySelector("input[name=kind]:checked");
    return k ? k.value : "inpatient";
  }

  // Show the fields the chosen kind uses; hidden ones are disabled so they
  // go neither to the API nor into the URL.
  function showFields() {
    var k = kind();
    form.querySelectorAll("[data-kinds]").forEach(function (el) {
      el.hidden = el.getAttribute("data-kinds").split(" ").indexOf(k) < 0;
    });
    form.querySelectorAll("input,select").forEach(function (i) {
      var off = false;
      for (var el = i.closest("[data-kinds]"); el; el = el.parentElement && el.parentElement.closest("[data-kinds]")) {
        off = off || el.hidden;
      }
      i.disabled = off;
    });
  }

  function fillFromURL(params) {
    names.forEach(function (n) {
      if (!params.has(n)) return;
      var v = params.get(n);
      form.querySelectorAll("[name=" + n + "]").forEach(function (el) {
        if (el.type === "radio") el.checked = el.value === v;
        else if (el.type === "checkbox") el.checked = v === "1" || v === "true";
        else el.value = v;
      });
    });
    amounts.slice(1).forEach(function (n) {
      if (params.get(n)) form.querySelector("details").open = true;
    });
  }

  function collect() {
    var data = new FormData(form), body = {}, query = new URLSearchParams();
    data.forEach(function (v, n) {
      v = String(v).trim();
      if (v === "") return;
      query.set(n, v);
      if (n === "tier" || n === "level" || n === "year") body[n] = parseInt(v, 10);
      else if (n === "minor") body.minor = true;
      else body[n] = v;
    });
    return { body: body, query: query };
  }

  function clearErrors() {
    summary.hidden = true;
    summary.textContent = "";
    form.querySelectorAll(".err[id^=err-]").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
  }

  function showErrors(message, problems) {
    var p = document.createElement("p");
    p.textContent = message;
    summary.appendChild(p);
    if (problems && problems.length) {
      var ul = document.createElement("ul");
      problems.forEach(function (pr) {
        var li = document.createElement("li");
        li.textContent = pr.message;
        ul.appendChild(li);
        var slot = document.getElementById("err-" + pr.field);
        if (slot) { slot.textContent = pr.message; slot.hidden = false; }
        form.querySelectorAll("[name=" + pr.field + "]").forEach(function (i) { i.setAttribute("aria-invalid", "true"); });
        if (slot && slot.closest("details")) slot.closest("details").open = true;
      });
      summary.appendChild(ul);
    }
    summary.hidden = false;
    result.hidden = true;
    summary.focus();
  }

  // "54560.00" → "54,560.00元": the engine's figure to the fen, grouped.
  function yuan(s) {
    var parts = String(s).split(".");
    return parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (parts[1] ? "." + parts[1] : "") + "元";
  }
  // In a sentence, as the chat writes amounts: "7,600元", fen only when any.
  function say(s) { return yuan(String(s).replace(/\.00$/, "")); }
  function percent(r) { return parseFloat((parseFloat(r) * 100).toFixed(4)) + "%"; }

  function row(dl, label, field, text, main) {
    var dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = label;
    dd.textContent = text;
    dd.setAttribute("data-field", field);
    if (main) { dt.className = "main"; dd.className = "main"; }
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  function list(el, items) {
    el.textContent = "";
    items.forEach(function (t) {
      var li = document.createElement("li");
      li.textContent = t;
      el.appendChild(li);
    });
  }

  function showResult(r) {
    var dl = document.getElementById("r-figures");
    dl.textContent = "";
    var title = document.getElementById("r-title");
    var year = "按" + r.year + "年度标准";
    if (r.fallback) year += "（" + r.asked_year + "年度的标准还没有公布录入）";
    document.getElementById("r-year").textContent = year;
    var working = document.getElementById("r-working");
    var workingTitle = document.getElementById("r-working-title");
    document.getElementById("r-tiers").hidden = r.kind !== "tiers";
    if (r.kind === "tiers") {
      title.textContent = "一档和二档比较" + (r.minor ? "（未成年人）" : "");
      row(dl, "一档每人每年", "tier1", yuan(r.tier1));
      row(dl, "二档每人每年", "tier2", yuan(r.tier2));
      row(dl, "二档多交", "premium_difference", yuan(r.premium_difference), true);
      working.hidden = workingTitle.hidden = true;
      showTiers(r);
    } else if (r.kind === "contribution") {
      title.textContent = r.scheme === "employee" ? "以个人身份参加职工医保要交多少" : "城乡居民医保要交多少";
      row(dl, (r.tier === 2 ? "二档" : "一档") + "每人每年", "contribution", yuan(r.contribution), true);
      working.hidden = workingTitle.hidden = true;
    } else {
      title.textContent = kindNames[r.kind] + "报销估算";
      if (r.kind === "inpatient") {
        row(dl, "合计报销", "total_reimbursed", yuan(r.total_reimbursed), true);
        row(dl, "个人负担", "out_of_pocket", yuan(r.out_of_pocket), true);
        row(dl, "基本医保报销", "basic", yuan(r.basic));
        row(dl, "大病保险报销", "critical", yuan(r.critical));
      } else {
        row(dl, "门诊统筹报销", "basic", yuan(r.basic), true);
        row(dl, "个人负担", "out_of_pocket", yuan(r.out_of_pocket), true);
      }
      row(dl, "总费用", "cost", yuan(r.cost));
      row(dl, "目录外（自费）", "out_of_policy", yuan(r.out_of_policy));
      row(dl, "起付线", "deductible", yuan(r.deductible));
      row(dl, "报销比例", "ratio", percent(r.ratio));
      list(working, r.working || []);
      working.hidden = workingTitle.hidden = false;
    }
    list(document.getElementById("r-assumptions"), (r.assumptions || []).map(function (a) { return a.text || a; }));
    result.hidden = false;
    result.focus();
  }

  // The comparison's sentences, with the figures the API gives.
  function showTiers(r) {
    var levels = ["一级", "二级", "三级"];
    list(document.getElementById("r-breakeven"), levels.map(function (name, i) {
      return name + "医院：" + r.break_even_text["inpatient_level_" + (i + 1)];
    }));
    var out = "两档的普通门诊报销一样。";
    if (parseFloat(r.outpatient_max_gain) > 0) {
      out = "二档把普通门诊年度限额从" + say(r.outpatient_limit1) + "提高到" + say(r.outpatient_limit2) +
        "，一年最多多报" + say(r.outpatient_max_gain) +
        (r.outpatient_pays_back ? "。" : "，只靠门诊补不回多交的" + say(r.premium_difference) + "。");
    }
    document.getElementById("r-outpatient").textContent = out;
    var x = r.example, ex = document.getElementById("r-example");
    ex.hidden = document.getElementById("r-example-title").hidden = !x;
    if (x) {
      var net = parseFloat(x.net) < 0
        ? "，比多交的" + say(r.premium_difference) + "少" + say(x.net.replace("-", "")) + "。"
        : "，扣掉多交的" + say(r.premium_difference) + "，还多" + say(x.net) + "。";
      ex.textContent = "在" + levels[x.level - 1] + "医院住院，目录内费用" + say(x.bill) + "，一档报" + say(x.tier1_reimbursed) +
        "，二档报" + say(x.tier2_reimbursed) + "，二档多报" + say(x.extra_reimbursed) + net;
    }
  }

  function submit(ev) {
    if (ev) ev.preventDefault();
    clearErrors();
    var c = collect();
    history.replaceState(null, "", location.pathname + "?" + c.query.toString());
    button.disabled = true;
    fetch("/api/v1/estimate", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(c.body),
      credentials: "omit",
      cache: "no-store"
    }).then(function (resp) {
      return resp.json().then(function (data) {
        if (resp.ok) showResult(data);
        else showErrors(data.error || "没有算出来，请再试一次。", data.problems);
      });
    }).catch(function () {
      showErrors("网络不好，没有连上，请稍后再试一次。");
    }).then(function () { button.disabled = false; });
  }

  form.addEventListener("change", function (ev) { if (ev.target.name === "kind") showFields(); });
  form.addEventListener("submit", submit);
  var params = new URLSearchParams(location.search);
  fillFromURL(params);
  showFields();
  if (params.has("kind")) submit();
})();
