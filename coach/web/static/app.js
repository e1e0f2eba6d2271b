// coach's page: plain JavaScript, no build step, nothing loaded from anywhere but this server.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  let INFO = null;

  // --- small helpers --------------------------------------------------------------------------

  /** An element with attributes and children (text is always text: nothing here parses HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function show(node, visible) {
    node.hidden = !visible;
  }

  async function api(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = { error: `the server answered ${response.status} without JSON` };
    }
    if (!response.ok) {
      const error = new Error(data.error || `the server answered ${response.status}`);
      error.data = data;
      throw error;
    }
    return data;
  }

  /** Run ``work`` with the busy line shown and the error line cleared (or filled). */
  async function busy(prefix, work) {
    const errorLine = $(`${prefix}-error`);
    const indicator = $(`${prefix}-busy`);
    show(errorLine, false);
    show(indicator, true);
    try {
      return await work();
    } catch (error) {
      errorLine.textContent = `coach: error: ${error.message}`;
      show(errorLine, true);
      return null;
    } finally {
      show(indicator, false);
    }
  }

  async function copy(text, status) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const area = el("textarea", { class: "offscreen", "aria-hidden": "true" });
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    status.textContent = "Copied.";
    setTimeout(() => (status.textContent = ""), 2500);
  }

  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

  // --- tabs (arrow keys move between them, as a tab list should) -------------------------------

  function setupTabs() {
    const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
    function select(tab, focus) {
      for (const t of tabs) {
        const on = t === tab;
        t.setAttribute("aria-selected", String(on));
        t.tabIndex = on ? 0 : -1;
        show($(t.getAttribute("aria-controls")), on);
      }
      if (focus) tab.focus();
    }
    tabs.forEach((tab, i) => {
      tab.addEventListener("click", () => select(tab, false));
      tab.addEventListener("keydown", (event) => {
        const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -i, End: tabs.length - 1 - i };
        if (event.key in moves) {
          event.preventDefault();
          select(tabs[(i + moves[event.key] + tabs.length) % tabs.length], true);
        }
      });
    });
    return select;
  }

  // --- highlighting findings in a text ---------------------------------------------------------

  // Offsets from the server count characters (code points); JavaScript strings count UTF-16 units.
  function highlighted(text, findings, onPick) {
    const chars = Array.from(text);
    const cuts = new Set([0, chars.length]);
    findings.forEach((f) => {
      if (f.end > f.start) {
        cuts.add(Math.max(0, Math.min(chars.length, f.start)));
        cuts.add(Math.max(0, Math.min(chars.length, f.end)));
      }
    });
    const points = Array.from(cuts).sort((a, b) => a - b);
    const box = el("div", { class: "text highlighted" });
    const marks = [];
    for (let k = 0; k + 1 < points.length; k++) {
      const [a, b] = [points[k], points[k + 1]];
      const piece = chars.slice(a, b).join("");
      const covering = findings
        .map((f, i) => [f, i])
        .filter(([f]) => f.end > f.start && f.start <= a && f.end >= b);
      if (!covering.length) {
        box.append(piece);
        continue;
      }
      const worst = covering.map(([f]) => f.severity).sort((x, y) => rank(y) - rank(x))[0];
      const names = covering.map(([f]) => `${f.rule} ${f.name}`).join("; ");
      const mark = el("mark", {
        class: `sev-${worst}`,
        tabindex: 0,
        role: "button",
        "aria-label": `${piece.trim()}: ${names}`,
        "data-findings": covering.map(([, i]) => i).join(","),
        "data-rules": covering.map(([f]) => f.rule).join(" "),
      }, piece);
      const pick = () => onPick(covering.map(([f, i]) => ({ f, i })), mark);
      mark.addEventListener("focus", pick);
      mark.addEventListener("click", pick);
      mark.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          pick();
        }
      });
      marks.push(mark);
      box.append(mark);
    }
    return { box, marks };
  }

  const rank = (severity) => ({ error: 3, warning: 2, suggestion: 1 })[severity] || 0;

  function findingDetail(f) {
    return el(
      "div",
      { class: `detail sev-${f.severity}` },
      el("p", {}, el("strong", { text: `${f.rule} ${f.name}` }), ` · ${f.severity}`,
        f.source === "llm" ? " · from the model" : "", ` · line ${f.line}, column ${f.column}`),
      el("p", { text: f.message }),
      el("p", {}, el("strong", { text: "Fix: " }), f.fix),
      f.note ? el("p", {}, el("strong", { text: "The model: " }), f.note) : null,
    );
  }

  // --- a critique report -----------------------------------------------------------------------

  function renderReport(container, report, text) {
    container.replaceChildren();
    const how = report.kind_detected ? `detected: ${report.kind_reason}` : report.kind_reason;
    const head = el("div", { class: "summary" });
    const score = report.score === null ? "—" : String(report.score);
    head.append(
      el("div", { class: `score band-${(report.band || "").replace(/ /g, "-")}` },
        el("span", { class: "points", text: score }), el("span", { class: "of", text: "/100" }),
        el("span", { class: "band", text: report.band })),
      el("dl", { class: "facts" },
        el("dt", { text: "Kind" }), el("dd", { class: "kind", text: `${report.kind} (${how})` }),
        report.stage ? [el("dt", { text: "Stage" }), el("dd", { text: `${report.stage} (${report.stage_reason})` })] : null,
        el("dt", { text: "Made by" }),
        el("dd", { text: report.mode === "llm" ? `the rules and the model ${report.model || ""}` : "the rules (offline)" })),
    );
    container.append(head);
    if (report.verdict) {
      container.append(el("p", { class: "verdict" }, el("strong", { text: "The model's verdict: " }), report.verdict));
    }
    if ((report.strengths || []).length) {
      container.append(el("p", {}, el("strong", { text: "Strengths: " }), report.strengths.join("; ")));
    }

    // Where each finding is in the text; its message, fix and rule on focus or click.
    const detail = el("div", { class: "finding-detail", "aria-live": "polite" },
      el("p", { class: "muted", text: "Select a highlighted passage to see what is wrong and how to fix it." }));
    let active = null;
    const { box, marks } = highlighted(text, report.findings, (picked, mark) => {
      if (active) active.classList.remove("active");
      active = mark;
      mark.classList.add("active");
      detail.replaceChildren(...picked.map(({ f }) => findingDetail(f)));
    });
    box.setAttribute("aria-label", "Your draft with the findings highlighted");
    container.append(el("h3", { text: "In your draft" }), box, detail);

    const list = el("ol", { class: "findings" });
    report.findings.forEach((f, i) => {
      const mark = marks.find((m) => m.dataset.findings.split(",").includes(String(i)));
      list.append(el("li", { class: `finding sev-${f.severity}`, "data-rule": f.rule },
        el("span", { class: "badge", text: f.severity }), " ",
        el("strong", { text: f.rule }), ` ${f.name}: ${f.message} `,
        el("span", { class: "fix", text: `Fix: ${f.fix}` }), " ",
        mark ? el("button", { type: "button", class: "link", onclick: () => mark.focus(), text: "show in the text" }) : null));
    });
    container.append(el("h3", { text: report.findings.length ? plural(report.findings.length, "finding") : "No findings" }), list);

    if ((report.checks || []).length) {
      const questions = el("ul", { class: "questions" });
      for (const c of report.checks) {
        const cost = (report.breakdown || []).find((b) => b.rule === c.rule && b.check);
        questions.append(el("li", { class: c.essential ? "essential" : "", "data-rule": c.rule },
          el("strong", { text: c.question }), " ",
          el("span", { class: "muted", text: c.essential ? `(essential${cost ? `, -${cost.cost}` : ""})` : "(optional)" }),
          el("br"), el("span", { class: "fix", text: c.fix }), " ", el("span", { class: "muted", text: c.rule })));
      }
      container.append(el("h3", { text: "Questions coach could not answer from the draft" }), questions);
    }

    if ((report.breakdown || []).length) {
      const table = el("table", { class: "breakdown" },
        el("caption", { text: "How the score was reached (100 minus each cost)" }),
        el("thead", {}, el("tr", {}, ["Rule", "Severity", "Where", "Cost"].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, report.breakdown.map((b) => el("tr", {},
          el("td", { text: b.rule }), el("td", { text: b.check ? "question" : b.severity }),
          el("td", { text: b.line ? `${b.line}:${b.column}` : "" }), el("td", { text: `-${b.cost}` })))));
      container.append(table);
    }

    const decisions = report.adjudication || [];
    if (decisions.length) {
      const items = decisions.map((d) => el("li", {},
        el("strong", { text: `${d.code}: ` }),
        d.applied ? `${d.verdict === "clear" ? "cleared" : d.verdict === "dispute" ? "disputed" : "confirmed"} by the model` : `the model's ${d.verdict}, not applied`,
        d.reason ? ` (${d.reason})` : "", d.why_not ? `: ${d.why_not}` : ""));
      container.append(el("h3", { text: "The model's adjudication" }), el("ul", { class: "adjudication" }, items));
    }

    const s = report.stats || {};
    container.append(el("p", { class: "muted stats",
      text: `${plural(s.words || 0, "word")}, ${plural(s.sentences || 0, "sentence")}, ${plural(s.questions || 0, "question")}, ${s.characters || 0} characters, reading grade ${s.reading_grade}` }));
    container.append(notices(report.notices));
  }

  function notices(lines) {
    return el("ul", { class: "notices" }, (lines || []).map((n) => el("li", { text: n })));
  }

  // --- the draft: critique and rewrite ---------------------------------------------------------

  function draftBody() {
    const body = { text: $("draft").value, kind: $("kind").value };
    if ($("stage").value) body.stage = $("stage").value;
    return body;
  }

  function fillStages() {
    const kind = $("kind").value;
    const select = $("stage");
    const keep = select.value;
    select.replaceChildren(el("option", { value: "", text: "detect" }));
    const stages = INFO ? INFO.stages : {};
    for (const [k, list] of Object.entries(stages)) {
      if (kind !== "auto" && kind !== k) continue;
      const group = el("optgroup", { label: k });
      list.forEach((s) => group.append(el("option", { value: s, text: s })));
      select.append(group);
    }
    select.value = Array.from(select.options).some((o) => o.value === keep) ? keep : "";
    select.disabled = kind !== "auto" && !(kind in stages);
  }

  async function critique() {
    const text = $("draft").value;
    const report = await busy("draft", () => api("/api/critique", draftBody()));
    if (!report) return;
    renderReport($("report-body"), report, text);
    show($("report"), true);
  }

  // A word-level diff (longest common subsequence): removed words struck, added ones underlined.
  function diffWords(a, b) {
    const split = (s) => s.match(/\s+|[\p{L}\p{N}_'’-]+|[^\s\p{L}\p{N}_'’-]/gu) || [];
    const x = split(a);
    const y = split(b);
    if (x.length * y.length > 4000000) return [["-", a], ["+", b]];
    const n = x.length;
    const m = y.length;
    const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i][j] = x[i] === y[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    const out = [];
    const push = (op, token) => {
      const last = out[out.length - 1];
      if (last && last[0] === op) last[1] += token;
      else out.push([op, token]);
    };
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (x[i] === y[j]) {
        push("=", x[i]);
        i++;
        j++;
      } else if (table[i + 1][j] >= table[i][j + 1]) push("-", x[i++]);
      else push("+", y[j++]);
    }
    while (i < n) push("-", x[i++]);
    while (j < m) push("+", y[j++]);
    return out;
  }

  const MARKER = /\[ASK\b[^[\]\n]{0,120}\]/gi;

  function withMarkers(text) {
    const box = el("div", { class: "text" });
    let last = 0;
    for (const match of text.matchAll(MARKER)) {
      box.append(text.slice(last, match.index), el("mark", { class: "marker", title: "fill this in before you send" }, match[0]));
      last = match.index + match[0].length;
    }
    box.append(text.slice(last));
    return box;
  }

  let lastRewrite = null;

  async function rewrite() {
    const outcome = await busy("draft", () => api("/api/rewrite", draftBody()));
    if (!outcome) return;
    lastRewrite = outcome;
    const filled = outcome.mode === "rules" && outcome.to_fill ? " once its markers are filled" : "";
    const made = outcome.mode === "llm" ? `the model ${outcome.model || ""}` : "the rules (offline)";
    const shown = (score) => (score === null ? "not scored" : `${score}/100`);
    $("rewrite-summary").textContent = `Score ${shown(outcome.score_before)} → ${shown(outcome.score_after)}${filled}, by ${made}.`;
    $("rewrite-changes").replaceChildren(...outcome.changes.map((c) => el("li", { text: c })));
    $("rewrite-diff").replaceChildren(...diffWords(outcome.original, outcome.rewrite).map(([op, t]) =>
      op === "=" ? document.createTextNode(t) : el(op === "+" ? "ins" : "del", { text: t })));
    $("rewrite-text").replaceChildren(...withMarkers(outcome.rewrite).childNodes);
    $("rewrite-markers").textContent = outcome.to_fill
      ? `${plural(outcome.to_fill, "marker")} to fill: replace each highlighted [ASK …] with your own words.`
      : "Nothing to fill in.";
    const invented = (outcome.unsupported_facts || []).join(", ");
    const extra = !invented ? [] : outcome.mode === "llm"
      ? [`unsupported facts replaced: ${invented}`]
      : [`the model invented: ${invented} (its version was not used)`];
    $("rewrite-notices").replaceChildren(...[...extra, ...outcome.notices].map((n) => el("li", { text: n })));
    show($("rewrite"), true);
    $("rewrite-title").scrollIntoView({ block: "nearest" });
  }

  // --- compose ---------------------------------------------------------------------------------

  const composeValues = {};

  function composeKey() {
    const kind = $("compose-kind").value;
    const stage = $("compose-stage").value;
    return stage ? `${kind}/${stage}` : kind;
  }

  function buildComposeForm() {
    const c = INFO.compose;
    const kind = $("compose-kind").value;
    const stages = c.stages[kind] || [];
    const stageSelect = $("compose-stage");
    const keep = stageSelect.value;
    stageSelect.replaceChildren(...stages.map((s) => el("option", { value: s, text: s })));
    if (stages.includes(keep)) stageSelect.value = keep;
    show($("compose-stage-label"), stages.length > 0);
    show($("compose-account-label"), kind === "connection-note");
    $("compose-kind-summary").textContent = INFO.kind_summaries[kind] || "";
    const form = c.forms[composeKey()];
    const box = $("compose-facts");
    box.replaceChildren();
    const field = (name, required) => {
      const id = `fact-${name}`;
      const hint = c.kind_hints[`${kind}/${name}`] || c.facts[name].hint;
      let input;
      if (name === "relationship") {
        input = el("select", { id, name }, el("option", { value: "", text: "not said" }),
          c.relationships.map((r) => el("option", { value: r, text: r })));
      } else if (name === "days_since") {
        input = el("input", { id, name, type: "number", min: 0, max: 3650, inputmode: "numeric" });
      } else {
        input = el("input", { id, name, type: "text", autocomplete: "off" });
      }
      input.value = composeValues[name] ?? "";
      input.setAttribute("aria-describedby", `${id}-hint`);
      if (required) input.setAttribute("aria-required", "true");
      input.addEventListener("input", () => {
        composeValues[name] = input.value;
        input.removeAttribute("aria-invalid");
      });
      return el("div", { class: "fact" },
        el("label", { for: id }, c.facts[name].help, required ? el("span", { class: "req", text: " (needed)" }) : null),
        input, el("p", { id: `${id}-hint`, class: "muted hint", text: hint }));
    };
    form.required.forEach((name) => box.append(field(name, true)));
    form.optional.forEach((name) => box.append(field(name, false)));
  }

  async function compose() {
    const form = INFO.compose.forms[composeKey()];
    const facts = {};
    for (const name of [...form.required, ...form.optional]) {
      const value = ($(`fact-${name}`).value || "").trim();
      if (value) facts[name] = name === "days_since" ? Number(value) : value;
    }
    const body = { kind: $("compose-kind").value, facts };
    if ($("compose-stage").value) body.stage = $("compose-stage").value;
    if ($("compose-account").value && body.kind === "connection-note") body.account = $("compose-account").value;
    let missing = [];
    const outcome = await busy("compose", async () => {
      try {
        return await api("/api/compose", body);
      } catch (error) {
        missing = (error.data && error.data.missing) || [];
        throw error;
      }
    });
    missing.forEach((name, i) => {
      const input = $(`fact-${name}`);
      if (input) {
        input.setAttribute("aria-invalid", "true");
        if (i === 0) input.focus();
      }
    });
    if (!outcome) return;
    const message = outcome.message;
    $("composed-text").replaceChildren(message === null ? el("em", { text: "No message fits: see the notes below." }) : withMarkers(message));
    $("composed-notices").replaceChildren(...outcome.notices.map((n) => el("li", { text: n })));
    if (outcome.report && message !== null) renderReport($("composed-report"), outcome.report, message);
    else $("composed-report").replaceChildren();
    show($("composed"), true);
    $("composed-title").scrollIntoView({ block: "nearest" });
  }

  // --- plan ------------------------------------------------------------------------------------

  const planAnswers = {};
  let planFile = null;

  function readFile(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
      reader.onerror = () => reject(new Error(`${file.name}: cannot read the file`));
      reader.readAsDataURL(file);
    });
  }

  async function plan() {
    const body = { target: $("plan-target").value, answers: { ...planAnswers } };
    if ($("plan-goal").value.trim()) body.goal = $("plan-goal").value;
    const candidates = $("plan-candidates").value.split("\n").map((s) => s.trim()).filter(Boolean);
    if (candidates.length) body.candidates = candidates;
    const result = await busy("plan", async () => {
      const file = $("plan-file").files[0];
      if (file) {
        if (!planFile || planFile.file !== file) planFile = { file, data: await readFile(file) };
        body.connections = { name: file.name, data: planFile.data };
      }
      return api("/api/plan", body);
    });
    if (!result) return;
    renderPlan(result);
    show($("plan"), true);
  }

  function renderPlan(p) {
    const box = $("plan-body");
    box.replaceChildren();
    const rec = p.recommendation;
    box.append(el("p", { class: `route route-${rec.route}` }, el("strong", { text: `Route: ${rec.route}. ` }), rec.summary));
    if (rec.advice.length) box.append(el("ul", { class: "advice" }, rec.advice.map((a) => el("li", { text: a }))));
    if (p.connections) {
      box.append(el("p", { class: "muted", text: `${p.connections.path}: ${plural(p.connections.count, "connection")} read.` }));
    }
    const r = p.routes;
    if (r.target_connected) box.append(el("p", { text: `You are already connected to ${r.target_connected.name}.` }));
    if (p.connections) {
      box.append(el("p", { text: `${plural(r.at_org_total, "connection")} at ${p.target.org || "the organisation"}; ${r.in_function_total} in the same function elsewhere.` }));
    }
    if (p.connectors.length) {
      box.append(el("h3", { text: "Who could introduce you, best first" }));
      box.append(el("table", { class: "connectors" },
        el("thead", {}, el("tr", {}, ["#", "Who", "Score", "Why"].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, p.connectors.map((c) => el("tr", { class: "connector" },
          el("td", { text: c.rank }),
          el("td", {}, el("strong", { text: c.name }), el("br"),
            el("span", { class: "muted", text: [c.position, c.company].filter(Boolean).join(" at ") })),
          el("td", { text: c.score }),
          el("td", {}, el("ul", { class: "components" }, c.components.map((x) => el("li", { text: `${x.points >= 0 ? "+" : ""}${x.points} ${x.reason}` }))),
            c.fit ? el("span", { class: "muted", text: c.fit }) : null))))));
    }
    box.append(el("h3", { text: "Before you ask" }));
    const list = el("ul", { class: "checklist" });
    for (const item of p.readiness) {
      const mark = { ok: "✓", todo: "to do", unknown: "?" }[item.status];
      const li = el("li", { class: `status-${item.status}` },
        el("span", { class: "badge", text: mark }), " ", el("strong", { text: item.question }), " ",
        el("span", { text: item.detail }), item.next_step ? el("span", { class: "muted", text: ` ${item.next_step}` }) : null);
      if (item.status === "unknown" || item.source === "--answer") {
        const answer = (value) => () => {
          planAnswers[item.key] = value;
          plan();
        };
        li.append(" ", el("span", { class: "answer", role: "group", "aria-label": `Answer: ${item.question}` },
          el("button", { type: "button", onclick: answer("yes"), text: "Yes" }),
          el("button", { type: "button", onclick: answer("no"), text: "No" })));
      }
      list.append(li);
    }
    box.append(list);
    if (p.next_commands.length) {
      box.append(el("h3", { text: "Then" }));
      box.append(el("ul", { class: "commands" }, p.next_commands.map((c) => el("li", {},
        el("code", { text: c.command }), el("br"), el("span", { class: "muted", text: c.why + (c.add.length ? ` Add: ${c.add.join(", ")}` : "") })))));
    }
    box.append(notices(p.notices));
  }

  // --- start -----------------------------------------------------------------------------------

  async function start() {
    const selectTab = setupTabs();
    $("draft-form").addEventListener("submit", (event) => {
      event.preventDefault();
      critique();
    });
    $("draft").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        critique();
      }
    });
    $("rewrite-btn").addEventListener("click", rewrite);
    $("kind").addEventListener("change", fillStages);
    $("copy-rewrite").addEventListener("click", () => lastRewrite && copy(lastRewrite.rewrite, $("copy-status")));
    $("use-rewrite").addEventListener("click", () => {
      if (!lastRewrite) return;
      $("draft").value = lastRewrite.rewrite;
      show($("rewrite"), false);
      $("draft").focus();
      critique();
    });
    $("compose-form").addEventListener("submit", (event) => {
      event.preventDefault();
      compose();
    });
    $("compose-kind").addEventListener("change", buildComposeForm);
    $("compose-stage").addEventListener("change", buildComposeForm);
    $("copy-composed").addEventListener("click", () => copy($("composed-text").textContent, $("copy-composed-status")));
    $("edit-composed").addEventListener("click", () => {
      $("draft").value = $("composed-text").textContent;
      $("kind").value = $("compose-kind").value;
      fillStages();
      selectTab($("tab-draft"), true);
      critique();
    });
    $("plan-form").addEventListener("submit", (event) => {
      event.preventDefault();
      for (const key of Object.keys(planAnswers)) delete planAnswers[key];
      plan();
    });

    try {
      const response = await fetch("/api/info");
      INFO = await response.json();
    } catch (e) {
      $("mode").textContent = "coach: error: the server did not answer";
      return;
    }
    $("version").textContent = INFO.version;
    $("mode").textContent = INFO.model ? `Rules and the model ${INFO.model}.` : "Rules only, offline.";
    for (const kind of INFO.kinds) {
      $("kind").append(el("option", { value: kind, text: kind, title: INFO.kind_summaries[kind] }));
      $("compose-kind").append(el("option", { value: kind, text: kind, title: INFO.kind_summaries[kind] }));
    }
    fillStages();
    buildComposeForm();
    document.body.dataset.ready = "true";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
