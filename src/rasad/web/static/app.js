// rasad's page: events table, article view, timeline, actor network, map.
// Article text and every field from the database are hostile input: the DOM is built with
// createElement and textContent only (never parsed as markup), links only for http(s) URLs.
"use strict";

const PAGE = 50;
const FILTERS = ["since", "until", "actor", "country", "type", "min_confidence", "text"];
const QUAD_NAMES = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
const QUAD_COLOURS = { 1: "#74c476", 2: "#238b45", 3: "#fd8d3c", 4: "#d7301f" };
const TYPE_SHADES = {
  1: ["#41ab5d", "#74c476", "#a1d99b", "#c7e9c0"],
  2: ["#08519c", "#3182bd", "#6baed6"],
  3: ["#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#fdd0a2"],
  4: ["#cb181d", "#ef3b2c", "#a50f15", "#fb6a4a"],
};
const ZONE_IN = new Set(["body", "title"]);
const SVGNS = "http://www.w3.org/2000/svg";

const state = { types: [], typeColour: {}, typeQuad: {}, world: null, article: null, selected: null };

// -- DOM helpers ---------------------------------------------------------------------------
const $ = (sel) => document.querySelector(sel);

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return el;
}

function s(tag, attrs, ...kids) {
  const el = document.createElementNS(SVGNS, tag);
  setAttrs(el, attrs);
  for (const k of kids.flat()) {
    if (k === null || k === undefined) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (/^on/i.test(k)) throw new Error("no inline handlers");
    if (k === "text") el.textContent = String(v);
    else if (k === "href") el.setAttribute("href", safeHref(v));
    else el.setAttribute(k, String(v));
  }
}

function safeHref(v) {
  const u = String(v);
  return /^(https?:\/\/|#|\/)/i.test(u) ? u : "#";
}

function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

function svgTitle(text) { return s("title", {}, text); }

function fmt(n, digits = 2) { return n === null || n === undefined ? "–" : Number(n).toFixed(digits); }

// -- API -----------------------------------------------------------------------------------
async function api(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) throw new Error((data && data.error) || `${res.status} ${res.statusText}`);
  return data;
}

function showError(err) {
  const box = $("#error");
  if (!err) { box.hidden = true; box.textContent = ""; return; }
  box.textContent = String(err.message || err);
  box.hidden = false;
}

// -- routing and filters ---------------------------------------------------------------------
function route() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { view: parts[0] || "events", arg: parts[1] || null, params: new URLSearchParams(query || "") };
}

function filterParams(params) {
  const out = new URLSearchParams();
  for (const k of FILTERS) {
    const v = params.get(k);
    if (v !== null && v !== "") out.set(k, v);
  }
  return out;
}

function currentFilters() { return filterParams(route().params); }

function go(view, params, arg) {
  const q = params && params.toString();
  location.hash = `#/${view}${arg ? "/" + encodeURIComponent(arg) : ""}${q ? "?" + q : ""}`;
}

function fillForm(params) {
  const form = $("#filters");
  for (const k of FILTERS) form.elements[k].value = params.get(k) || "";
  $("#csv").setAttribute("href", "/events?" + withParam(params, "format", "csv").toString());
}

function withParam(params, k, v) {
  const p = new URLSearchParams(params);
  if (v === null || v === undefined || v === "") p.delete(k); else p.set(k, v);
  return p;
}

function readForm() {
  const form = $("#filters");
  const p = new URLSearchParams();
  for (const k of FILTERS) {
    const v = form.elements[k].value.trim();
    if (v) p.set(k, k === "country" ? v.toUpperCase() : v);
  }
  return p;
}

// -- colours ---------------------------------------------------------------------------------
function setupTypes(types) {
  state.types = types;
  const used = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const t of types) {
    const shades = TYPE_SHADES[t.quad] || ["#999"];
    state.typeColour[t.type] = shades[used[t.quad]++ % shades.length];
    state.typeQuad[t.type] = t.quad;
  }
  const sel = $("#filters").elements.type;
  for (const t of types) sel.append(h("option", { value: t.type, title: t.description }, t.type));
}

function quadClass(q) { return q >= 1 && q <= 4 ? `q${q}` : "q0"; }
function isCoop(q) { return q === 1 || q === 2; }

function typeBadge(ev) {
  const b = h("span", { class: `badge ${quadClass(ev.quad)}`, title: QUAD_NAMES[ev.quad] || "" }, ev.type || "?");
  if (ev.negated) { b.classList.add("neg"); b.title += " (negated)"; }
  return b;
}

function actorCell(a) {
  if (!a) return h("span", { class: "muted" }, "–");
  const code = `${a.country || ""}${a.sector || ""}`;
  return h("span", {}, h("span", { dir: "auto" }, a.text || code || a.actor || "?"),
    code ? h("span", { class: "sub code" }, code) : null);
}

function placeText(loc) {
  if (!loc) return "";
  return [loc.name, loc.country].filter(Boolean).join(", ");
}

// -- events table ----------------------------------------------------------------------------
async function showEvents(params) {
  const limit = PAGE;
  const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
  const sort = params.get("sort") || "-date";
  const q = filterParams(params);
  q.set("limit", limit); q.set("offset", offset); q.set("sort", sort);
  const data = await api("/events?" + q.toString());
  const body = clear($("#events-table tbody"));
  for (const th of document.querySelectorAll("#events-table th[data-sort]")) {
    const key = th.dataset.sort;
    th.classList.toggle("sorted", sort.replace(/^-/, "") === key);
    th.classList.toggle("asc", sort === key);
  }
  if (!data.events.length) {
    body.append(h("tr", {}, h("td", { colspan: 8, class: "empty" }, "No events match these filters.")));
  }
  for (const ev of data.events) {
    const tr = h("tr", { "data-id": ev.id, "data-doc": ev.doc_id, "data-event": ev.event_id },
      h("td", { class: "nowrap" }, ev.date || "–", ev.date_grain && ev.date_grain !== "day" ? h("span", { class: "sub" }, ev.date_grain) : null),
      h("td", {}, typeBadge(ev), ev.mode ? h("span", { class: "sub" }, ev.mode) : null),
      h("td", {}, actorCell(ev.source)),
      h("td", {}, actorCell(ev.target)),
      h("td", { dir: "auto" }, placeText(ev.location) || "–"),
      h("td", { class: "sentence" }, h("div", { dir: "auto", title: ev.title || "" }, ev.sentence || "")),
      h("td", { class: "nowrap" }, fmt(ev.confidence)),
      h("td", { class: "nowrap", title: `${ev.num_mentions} mentions in ${ev.num_articles} articles from ${ev.num_sources} sources` },
        `${ev.num_mentions}/${ev.num_articles}`, ev.langs && ev.langs.length ? h("span", { class: "sub" }, ev.langs.join(" ")) : null),
    );
    tr.addEventListener("click", () => go("article", new URLSearchParams({ ...Object.fromEntries(q), event: ev.event_id }), ev.doc_id));
    body.append(tr);
  }
  const first = data.total ? offset + 1 : 0;
  $("#page-info").textContent = `${first}–${offset + data.events.length} of ${data.total} events`;
  $("#prev").disabled = offset <= 0;
  $("#next").disabled = offset + limit >= data.total;
  $("#prev").onclick = () => go("events", withParam(withParam(q, "offset", Math.max(0, offset - limit) || null), "limit", null));
  $("#next").onclick = () => go("events", withParam(withParam(q, "offset", offset + limit), "limit", null));
}

function sortBy(key) {
  const { params } = route();
  const cur = params.get("sort") || "-date";
  const next = cur === `-${key}` ? key : `-${key}`;
  go("events", withParam(withParam(filterParams(params), "sort", next), "offset", null));
}

// -- article view ----------------------------------------------------------------------------
const LAYERS = [
  { key: "mention", label: "actors", colour: "var(--actor)" },
  { key: "time", label: "dates", colour: "var(--time)" },
  { key: "quote", label: "quotes", colour: "var(--quote)" },
  { key: "trigger", label: "event triggers", colour: "var(--trigger)" },
];

async function showArticle(docId, params) {
  if (!docId) { go("events", currentFilters()); return; }
  let doc = state.article;
  if (!doc || doc.id !== docId && !doc.id.startsWith(docId)) {
    doc = await api("/articles/" + encodeURIComponent(docId));
    state.article = doc;
    renderArticle(doc);
  }
  $("#tab-article").hidden = false;
  $("#tab-article").setAttribute("href", `#/article/${encodeURIComponent(doc.id)}`);
  const want = params.get("event");
  const ev = doc.events.find((e) => e.id === want) || null;
  selectEvent(ev, false);
}

function renderArticle(doc) {
  $("#article-title").textContent = doc.meta.title || "(untitled)";
  const meta = clear($("#article-meta"));
  const bits = [doc.meta.source, doc.published ? `published ${doc.published}${doc.published_inferred ? " (inferred)" : ""}` : null,
    doc.lang ? `language ${doc.lang}` : null, `id ${doc.id}`].filter(Boolean);
  meta.append(bits.join(" · "));
  if (doc.meta.url) {
    meta.append(" · ");
    const url = String(doc.meta.url);
    meta.append(/^https?:\/\//i.test(url) ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank", dir: "auto" }, url) : h("span", { dir: "auto" }, url));
  }
  renderLegend();
  renderText(doc);
  const list = clear($("#article-events"));
  if (!doc.events.length) list.append(h("li", { class: "empty" }, "No events found in this article."));
  for (const ev of doc.events) {
    const li = h("li", { "data-event": ev.id, class: isCoop(ev.quad) ? "qc" : ev.quad ? "qx" : "" },
      h("div", {}, typeBadge(ev), " ", h("span", { class: "muted" }, ev.date || "")),
      h("div", { class: "who" }, who(ev.source), " → ", who(ev.target)),
      ev.trigger && ev.trigger.text ? h("div", { class: "trig" }, "trigger: ", h("bdi", {}, ev.trigger.text)) : null);
    li.addEventListener("click", () => {
      const { params } = route();
      go("article", withParam(params, "event", ev.id), doc.id);
    });
    list.append(li);
  }
}

function who(a) {
  if (!a) return h("span", { class: "muted" }, "–");
  const code = `${a.country || ""}${a.sector || ""}`;
  if (!a.text) return h("span", { class: "code" }, code || a.actor || "?");
  return h("span", {}, h("bdi", {}, a.text), code ? h("span", { class: "code muted" }, " ", code) : null);
}

function renderLegend() {
  const box = clear($("#legend"));
  for (const layer of LAYERS) {
    const cb = h("input", { type: "checkbox", "data-layer": layer.key });
    cb.checked = true;
    cb.addEventListener("change", () => $("#article-text").classList.toggle(`off-${layer.key}`, !cb.checked));
    const sw = h("span", { class: "swatch" });
    sw.style.background = layer.colour;
    box.append(h("label", {}, cb, sw, layer.label));
  }
  const sent = h("span", { class: "swatch" }); sent.style.background = "var(--sentence)";
  const out = h("span", { class: "swatch zone-out" }); out.style.background = "#e9ebef";
  box.append(h("span", { class: "item" }, sent, "selected event's sentence"),
    h("span", { class: "item" }, out, "outside the body (caption, byline, credit, boilerplate): greyed"));
}

function renderText(doc) {
  const text = doc.text;
  const spans = [];
  const add = (start, end, cls, title) => {
    if (start === null || end === null || start === undefined || end === undefined || end <= start) return;
    spans.push({ start, end, cls, title });
  };
  for (const z of doc.zones) if (!ZONE_IN.has(z.kind)) add(z.start, z.end, "zone-out", z.kind);
  for (const m of doc.mentions) add(m.start, m.end, "a-mention", `${m.kind || "mention"}: ${m.actor || "?"}`);
  for (const t of doc.times) add(t.start, t.end, "a-time", `${t.value || "?"}${t.inferred ? " (inferred year)" : ""}`);
  for (const q of doc.quotes) add(q.start, q.end, "a-quote", `quote${q.speaker_text ? " of " + q.speaker_text : ""}${q.cue ? " · " + q.cue : ""}`);
  for (const e of doc.events) if (e.trigger) add(e.trigger.start, e.trigger.end, "a-trigger", `${e.type} · ${e.rule || ""}`);

  const cuts = new Set([0, text.length]);
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") { cuts.add(i); cuts.add(i + 1); }
  for (const sp of spans) { cuts.add(Math.max(0, Math.min(text.length, sp.start))); cuts.add(Math.max(0, Math.min(text.length, sp.end))); }
  const bounds = [...cuts].sort((a, b) => a - b);
  const zoneStarts = new Map();
  for (const z of doc.zones) if (!ZONE_IN.has(z.kind)) zoneStarts.set(z.start, z.kind);

  const box = clear($("#article-text"));
  box.setAttribute("dir", doc.lang === "ar" ? "rtl" : "ltr");
  box.setAttribute("lang", doc.lang || "");
  let para = h("p", { dir: "auto" });
  box.append(para);
  state.segments = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const a = bounds[i], b = bounds[i + 1];
    const piece = text.slice(a, b);
    if (piece === "\n") { para = h("p", { dir: "auto" }); box.append(para); continue; }
    if (zoneStarts.has(a)) para.append(h("span", { class: "zone-label", "aria-hidden": "true" }, zoneStarts.get(a)));
    const classes = [], titles = [];
    for (const sp of spans) if (sp.start <= a && sp.end >= b) { classes.push(sp.cls); if (sp.title) titles.push(sp.title); }
    const seg = h("span", { class: ["seg", ...new Set(classes)].join(" "), "data-start": a, "data-end": b });
    seg.textContent = piece;
    if (titles.length) seg.title = [...new Set(titles)].join("\n");
    para.append(seg);
    state.segments.push(seg);
  }
}

function markRange(start, end, cls) {
  for (const seg of state.segments || []) {
    const a = +seg.dataset.start, b = +seg.dataset.end;
    seg.classList.toggle(cls, start !== null && start !== undefined && a >= start && b <= end && b > a);
  }
}

async function selectEvent(ev, scroll = true) {
  state.selected = ev;
  for (const li of document.querySelectorAll("#article-events li")) li.classList.toggle("selected", !!ev && li.dataset.event === ev.id);
  const detail = clear($("#event-detail"));
  if (!ev) {
    for (const c of ["hl-sentence", "hl-trigger", "hl-source", "hl-target"]) markRange(null, null, c);
    detail.hidden = true;
    return;
  }
  markRange(ev.sentence.start, ev.sentence.end, "hl-sentence");
  markRange(ev.trigger && ev.trigger.start, ev.trigger && ev.trigger.end, "hl-trigger");
  markRange(ev.source && ev.source.start, ev.source && ev.source.end, "hl-source");
  markRange(ev.target && ev.target.start, ev.target && ev.target.end, "hl-target");
  const first = document.querySelector("#article-text .hl-sentence");
  if (first && scroll !== false) first.scrollIntoView({ block: "center", behavior: "instant" });
  else if (first) first.scrollIntoView({ block: "center" });

  const rows = [
    ["type", [typeBadge(ev), ev.mode ? ` ${ev.mode}` : "", ev.context && ev.context.length ? ` · ${ev.context.join(", ")}` : ""]],
    ["source", who(ev.source)],
    ["target", who(ev.target)],
    ["date", `${ev.date || "–"}${ev.date_grain ? " (" + ev.date_grain + ")" : ""}${ev.date_source ? " from " + ev.date_source : ""}`],
    ["place", h("bdi", {}, placeText(ev.location) || "–")],
    ["CAMEO", `${ev.cameo || "–"} · Goldstein ${ev.goldstein ?? "–"} · ${QUAD_NAMES[ev.quad] || "–"}`],
    ["modality", `${ev.modality || "–"}${ev.negated ? " · negated" : ""}`],
    ["rule", h("span", { class: "code" }, ev.rule || "–")],
    ["confidence", fmt(ev.confidence)],
    ["trigger", h("bdi", {}, ev.trigger ? ev.trigger.text || "" : "")],
  ];
  const dl = h("dl", {});
  for (const [k, v] of rows) dl.append(h("dt", {}, k), h("dd", {}, v));
  detail.append(h("h3", {}, "Event ", h("span", { class: "code" }, ev.id)), dl);
  detail.hidden = false;
  if (ev.cluster) {
    const merge = h("div", { class: "merge muted" }, "loading the other reports…");
    detail.append(merge);
    try {
      const cl = await api("/events/" + encodeURIComponent(ev.cluster));
      if (state.selected !== ev) return;
      clear(merge);
      merge.append(h("div", {}, `Real-world event ${cl.id}: ${cl.num_mentions} mention(s) in ${cl.num_articles} article(s), ${cl.num_sources} source(s).`));
      const ol = h("ol", {});
      for (const m of cl.mentions) {
        const here = m.doc_id === state.article.id;
        const label = `${m.outlet || m.doc_id} · ${m.lang || "?"} · ${m.date || "–"}`;
        const link = here ? h("strong", {}, label + " (this article)")
          : h("a", { href: `#/article/${encodeURIComponent(m.doc_id)}?event=${encodeURIComponent(m.event_id)}` }, label);
        ol.append(h("li", {}, link, h("div", {}, m.reason || "")));
      }
      merge.append(ol);
    } catch (err) { merge.textContent = String(err.message || err); }
  }
}

// -- timeline --------------------------------------------------------------------------------
function bucketOf(day, unit) {
  if (unit === "day") return day;
  if (unit === "month") return day.slice(0, 7);
  if (unit === "year") return day.slice(0, 4);
  const d = new Date(day + "T00:00:00Z");
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}

function nextBucket(key, unit) {
  if (unit === "year") return String(+key + 1);
  if (unit === "month") {
    const [y, m] = key.split("-").map(Number);
    return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  }
  const d = new Date(key + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + (unit === "week" ? 7 : 1));
  return d.toISOString().slice(0, 10);
}

function prevBucket(key, unit) {
  if (unit === "month") {
    const [y, m] = key.split("-").map(Number);
    return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
  }
  const d = new Date(key + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() - (unit === "week" ? 7 : 1));
  return d.toISOString().slice(0, 10);
}

async function showTimeline(params) {
  const data = await api("/stats?" + filterParams(params).toString());
  const by = $("#timeline-by").value;
  const box = clear($("#timeline"));
  const rows = data.by_day;
  if (!rows.length) { box.append(h("div", { class: "empty" }, "No dated events match these filters.")); clear($("#timeline-legend")); return; }
  const days = [...new Set(rows.map((r) => r.day))].sort();
  let unit = $("#timeline-bucket").value;
  if (unit === "auto") unit = ["day", "week", "month", "year"].find((u) => new Set(days.map((d) => bucketOf(d, u))).size <= 60) || "year";
  // buckets with events, the short empty runs between them, and one "gap" slot for a long one
  const used = [...new Set(days.map((d) => bucketOf(d, unit)))].sort();
  const keys = [];
  const gaps = new Set();
  used.forEach((key, i) => {
    if (i > 0) {
      const between = [];
      let k = nextBucket(used[i - 1], unit);
      while (k < key && between.length <= 3) { between.push(k); k = nextBucket(k, unit); }
      if (between.length <= 3) keys.push(...between);
      else { gaps.add(keys.length); keys.push(`${between[0]} … ${key}`); }
    }
    keys.push(key);
  });
  // a few empty buckets either side when there are only a few, so one bar is not the whole width
  if (unit !== "year") {
    while (keys.length < 7) {
      const before = prevBucket(keys[0], unit);
      keys.unshift(before);
      for (const g of [...gaps]) { gaps.delete(g); gaps.add(g + 1); }
      if (keys.length < 7) keys.push(nextBucket(keys[keys.length - 1], unit));
    }
  }
  const idx = new Map(keys.map((x, i) => [x, i]));
  const series = by === "quad" ? [1, 2, 3, 4].map(String) : state.types.map((t) => t.type);
  const colour = (key) => (by === "quad" ? QUAD_COLOURS[key] : state.typeColour[key] || "#999");
  const label = (key) => (by === "quad" ? `${key} ${QUAD_NAMES[key]}` : key);
  const counts = keys.map(() => ({})), gsum = keys.map(() => 0), gn = keys.map(() => 0);
  for (const r of rows) {
    const i = idx.get(bucketOf(r.day, unit));
    const key = by === "quad" ? String(r.quad) : r.type;
    counts[i][key] = (counts[i][key] || 0) + r.n;
    if (r.goldstein !== null) { gsum[i] += r.goldstein * r.n; gn[i] += r.n; }
  }
  const totals = counts.map((c) => Object.values(c).reduce((a, b) => a + b, 0));
  const maxN = Math.max(1, ...totals);
  const W = 1100, H = 340, L = 44, R = 70, T = 22, B = 46;
  const pw = W - L - R, ph = H - T - B;
  const bw = pw / keys.length;
  const y = (n) => T + ph - (n / maxN) * ph;
  const gy = (g) => T + ph / 2 - (g / 10) * (ph / 2);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "events over time" });
  const step = niceStep(maxN);
  for (let v = 0; v <= maxN; v += step) {
    svg.append(s("line", { class: "grid", x1: L, x2: W - R, y1: y(v), y2: y(v) }),
      s("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, v));
  }
  for (const g of [-10, -5, 0, 5, 10]) svg.append(s("text", { x: W - R + 6, y: gy(g) + 4 }, g));
  svg.append(s("text", { x: W - 4, y: T - 8, "text-anchor": "end" }, "Goldstein"), s("text", { x: L - 6, y: T - 8, "text-anchor": "end" }, "events"));
  for (const i of gaps) {
    const gx = L + i * bw + bw / 2;
    svg.append(s("line", { x1: gx, x2: gx, y1: T, y2: T + ph, stroke: "#9aa3b2", "stroke-dasharray": "4 4" }, svgTitle(`no events: ${keys[i]}`)),
      s("text", { x: gx, y: T + ph + 16, "text-anchor": "middle" }, "…"));
  }
  keys.forEach((key, i) => {
    let acc = 0;
    for (const ser of series) {
      const n = counts[i][ser];
      if (!n) continue;
      const w = Math.min(48, Math.max(1, bw * 0.8));
      const rect = s("rect", { x: L + i * bw + (bw - w) / 2, width: w, y: y(acc + n), height: y(acc) - y(acc + n), fill: colour(ser) });
      rect.append(svgTitle(`${key} · ${label(ser)}: ${n}`));
      svg.append(rect);
      acc += n;
    }
  });
  const labelEvery = Math.max(1, Math.ceil(keys.length / 12));
  keys.forEach((key, i) => {
    if (i % labelEvery || gaps.has(i)) return;
    svg.append(s("text", { x: L + i * bw + bw / 2, y: H - B + 16, "text-anchor": "middle" }, key));
  });
  svg.append(s("line", { class: "axis", x1: L, x2: W - R, y1: T + ph, y2: T + ph, stroke: "#c6ccd6" }));
  svg.append(s("line", { x1: L, x2: W - R, y1: gy(0), y2: gy(0), stroke: "#17202e", "stroke-dasharray": "2 4", opacity: 0.4 }));
  let path = "";
  keys.forEach((key, i) => {
    if (!gn[i] || gaps.has(i)) { path += " "; return; }
    const cmd = path.endsWith(" ") || !path ? "M" : "L";
    path += `${cmd}${(L + i * bw + bw / 2).toFixed(1)},${gy(gsum[i] / gn[i]).toFixed(1)}`;
    const dot = s("circle", { class: "gdot", cx: L + i * bw + bw / 2, cy: gy(gsum[i] / gn[i]), r: 3 });
    dot.append(svgTitle(`${key}: Goldstein mean ${fmt(gsum[i] / gn[i], 1)} over ${gn[i]} events`));
    svg.append(dot);
  });
  svg.append(s("path", { class: "gline", d: path.trim().replace(/ +/g, " ") }));
  const dated = rows.reduce((a, r) => a + r.n, 0);
  svg.append(s("text", { x: L, y: H - 6 }, `${dated} of ${data.total} events dated to the day · ${unit} buckets · Goldstein mean ${fmt(data.goldstein_mean, 1)} (line, right axis)`));
  box.append(svg);
  const legend = clear($("#timeline-legend"));
  const present = new Set(rows.map((r) => (by === "quad" ? String(r.quad) : r.type)));
  for (const ser of series) {
    if (!present.has(ser)) continue;
    const sw = h("span", { class: "swatch" }); sw.style.background = colour(ser);
    legend.append(h("span", { class: "item" }, sw, label(ser)));
  }
}

function niceStep(max) {
  const raw = max / 5;
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
  for (const m of [1, 2, 5, 10]) if (raw <= m * p) return Math.max(1, m * p);
  return Math.max(1, 10 * p);
}

// -- network ---------------------------------------------------------------------------------
async function showNetwork(params) {
  const data = await api("/stats?" + filterParams(params).toString());
  const box = clear($("#network"));
  const edges = data.network;
  if (!edges.length) { box.append(h("div", { class: "empty" }, "No events with both a source and a target match these filters.")); return; }
  const nodes = new Map();
  for (const e of edges) {
    for (const id of [e.source, e.target]) {
      if (!nodes.has(id)) nodes.set(id, { id, n: 0, x: 0, y: 0, vx: 0, vy: 0 });
      nodes.get(id).n += e.n;
    }
  }
  const list = [...nodes.values()].sort((a, b) => b.n - a.n || a.id.localeCompare(b.id));
  const W = 1100, H = 600;
  list.forEach((nd, i) => {
    const a = (2 * Math.PI * i) / list.length;
    nd.x = W / 2 + Math.cos(a) * W * 0.3;
    nd.y = H / 2 + Math.sin(a) * H * 0.3;
  });
  layout(list, edges.map((e) => [nodes.get(e.source), nodes.get(e.target), e.n]), W, H);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "actor network" });
  const defs = s("defs", {});
  for (const [id, c] of [["coop", "#2e7d32"], ["conf", "#c62828"]]) {
    defs.append(s("marker", { id: `arrow-${id}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto" },
      s("path", { d: "M0,0 L10,5 L0,10 z", fill: c })));
  }
  svg.append(defs);
  const maxN = Math.max(...edges.map((e) => e.n));
  const radius = (nd) => 6 + 14 * Math.sqrt(nd.n / Math.max(...list.map((x) => x.n)));
  for (const e of edges) {
    const a = nodes.get(e.source), b = nodes.get(e.target);
    const coop = e.cooperation >= e.conflict;
    const width = 1.2 + 5 * Math.sqrt(e.n / maxN);
    let d;
    if (a === b) {
      const r = radius(a);
      d = `M${a.x},${a.y - r} C${a.x - 40},${a.y - 60} ${a.x + 40},${a.y - 60} ${a.x + 2},${a.y - r}`;
    } else {
      const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
      const rb = radius(b) + 3, ra = radius(a);
      const sx = a.x + (dx / len) * ra, sy = a.y + (dy / len) * ra;
      const tx = b.x - (dx / len) * rb, ty = b.y - (dy / len) * rb;
      const mx = (sx + tx) / 2 - (dy / len) * 18, my = (sy + ty) / 2 + (dx / len) * 18;
      d = `M${sx.toFixed(1)},${sy.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${tx.toFixed(1)},${ty.toFixed(1)}`;
    }
    const p = s("path", { class: "net-edge", d, stroke: coop ? "#2e7d32" : "#c62828", "stroke-width": width.toFixed(1), "marker-end": `url(#arrow-${coop ? "coop" : "conf"})` });
    p.append(svgTitle(`${e.source} → ${e.target}: ${e.n} events (${e.cooperation} cooperation, ${e.conflict} conflict), Goldstein mean ${fmt(e.goldstein, 1)}`));
    svg.append(p);
  }
  for (const nd of list) {
    const g = s("g", { class: "net-node", transform: `translate(${nd.x.toFixed(1)},${nd.y.toFixed(1)})`, "data-actor": nd.id });
    g.append(s("circle", { r: radius(nd).toFixed(1), fill: "#4a6fa5" }, svgTitle(`${nd.id}: ${nd.n} events`)),
      s("text", { y: -radius(nd) - 4, "text-anchor": "middle" }, nd.id));
    g.addEventListener("click", () => go("events", withParam(withParam(filterParams(route().params), "actor", nd.id), "offset", null)));
    svg.append(g);
  }
  box.append(svg);
}

function layout(nodes, links, W, H) {
  // a small force layout: repulsion between all nodes, springs along edges, pull to the centre
  const k = Math.sqrt((W * H) / Math.max(1, nodes.length)) * 0.5;
  const far2 = (3 * k) * (3 * k);
  for (let it = 0; it < 300; it++) {
    const temp = 30 * (1 - it / 300) + 1;
    for (const a of nodes) { a.vx = 0; a.vy = 0; }
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i], b = nodes[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = 0.1 * (i - j); dy = 0.1; d2 = 0.02; }
        if (d2 > far2) continue;  // far apart: no push, so separate groups stay near the centre
        const f = (k * k) / d2;
        a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
      }
    }
    for (const [a, b] of links) {
      if (a === b) continue;
      const dx = a.x - b.x, dy = a.y - b.y, d = Math.hypot(dx, dy) || 0.01;
      const f = d / k;
      a.vx -= dx * f; a.vy -= dy * f; b.vx += dx * f; b.vy += dy * f;
    }
    for (const a of nodes) {
      a.vx += (W / 2 - a.x) * 0.1; a.vy += (H / 2 - a.y) * 0.1;
      const v = Math.hypot(a.vx, a.vy) || 1;
      a.x += (a.vx / v) * Math.min(v, temp);
      a.y += (a.vy / v) * Math.min(v, temp);
    }
  }
  const xs = nodes.map((a) => a.x), ys = nodes.map((a) => a.y);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  // fill the wide frame: x may stretch up to twice as much as y
  const sy = Math.min((H - 100) / Math.max(1, y1 - y0), 3);
  const sx = Math.min((W - 160) / Math.max(1, x1 - x0), 2 * sy);
  for (const a of nodes) {
    a.x = W / 2 + (a.x - (x0 + x1) / 2) * sx;
    a.y = H / 2 + 10 + (a.y - (y0 + y1) / 2) * sy;
  }
}

// -- map -------------------------------------------------------------------------------------
async function showMap(params) {
  if (!state.world) state.world = await api("/static/world.json");
  const data = await api("/stats?" + filterParams(params).toString());
  const world = state.world;
  const box = clear($("#map"));
  const points = [];
  let atCentroid = 0;
  for (const p of data.places) {
    let lat = p.lat, lon = p.lon, centroid = false;
    if (lat === null || lon === null) {
      const c = world.centroids[p.country];
      if (!c) continue;
      [lat, lon] = c; centroid = true; atCentroid += p.n;
    }
    points.push({ ...p, x: (lon + 180) * 10, y: (90 - lat) * 10, centroid });
  }
  // merge points that land on the same spot (several places of one country at its centroid)
  const merged = new Map();
  for (const p of points) {
    const key = `${Math.round(p.x)},${Math.round(p.y)}`;
    const m = merged.get(key);
    if (!m) merged.set(key, { ...p, names: [p.name].filter(Boolean) });
    else { m.n += p.n; m.cooperation += p.cooperation; m.conflict += p.conflict; if (p.name) m.names.push(p.name); m.centroid = m.centroid && p.centroid; }
  }
  const pts = [...merged.values()].sort((a, b) => b.n - a.n);
  let x0 = 0, y0 = 0, x1 = world.width, y1 = world.height;
  if (pts.length) {
    x0 = Math.min(...pts.map((p) => p.x)); x1 = Math.max(...pts.map((p) => p.x));
    y0 = Math.min(...pts.map((p) => p.y)); y1 = Math.max(...pts.map((p) => p.y));
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    let w = Math.max(400, (x1 - x0) * 1.4), hh = Math.max(200, (y1 - y0) * 1.4);
    if (w / hh > 2) hh = w / 2; else w = hh * 2;
    w = Math.min(w, world.width); hh = Math.min(hh, world.height);
    x0 = Math.max(0, Math.min(world.width - w, cx - w / 2)); y0 = Math.max(0, Math.min(world.height - hh, cy - hh / 2));
    x1 = x0 + w; y1 = y0 + hh;
  }
  const svg = s("svg", { viewBox: `${x0} ${y0} ${x1 - x0} ${y1 - y0}`, role: "img", "aria-label": "map of events", preserveAspectRatio: "xMidYMid meet" });
  svg.append(s("rect", { x: 0, y: 0, width: world.width, height: world.height, fill: "#dce8f3" }));
  const has = new Set(data.places.map((p) => p.country));
  const scale = (x1 - x0) / 1100;
  for (const c of world.countries) {
    const p = s("path", { class: "map-country" + (has.has(c.iso3) ? " has" : ""), d: c.d });
    p.style.strokeWidth = `${(0.8 * scale).toFixed(2)}px`;
    p.append(svgTitle(`${c.name}${c.iso3 ? " (" + c.iso3 + ")" : ""}`));
    svg.append(p);
  }
  const maxN = Math.max(1, ...pts.map((p) => p.n));
  const labels = [];
  for (const p of pts) {
    const coop = p.cooperation > p.conflict;
    const r = (4 + 13 * Math.sqrt(p.n / maxN)) * scale;
    const c = s("circle", { class: "map-point" + (p.centroid ? " centroid" : ""), cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: r.toFixed(1), fill: coop ? "#2e7d32" : p.conflict ? "#c62828" : "#667085", "data-country": p.country || "" });
    c.style.strokeWidth = `${scale.toFixed(2)}px`;
    if (p.centroid) c.style.strokeDasharray = `${(2 * scale).toFixed(1)} ${(2 * scale).toFixed(1)}`;
    const where = [...new Set(p.names)].join(", ") || p.country || "?";
    c.append(svgTitle(`${where}${p.country ? " (" + p.country + ")" : ""}: ${p.n} events, ${p.cooperation} cooperation, ${p.conflict} conflict${p.centroid ? " · placed at the country's centre" : ""}`));
    if (p.country) c.addEventListener("click", () => go("events", withParam(withParam(filterParams(route().params), "country", p.country), "offset", null)));
    svg.append(c);
    const label = s("text", { class: "map-label", x: (p.x + r + 2 * scale).toFixed(1), y: (p.y + 4 * scale).toFixed(1) }, `${p.country || where} ${p.n}`);
    label.style.fontSize = `${(11 * scale).toFixed(1)}px`;  // CSSOM: the stylesheet's 11px is for screen-sized charts
    label.style.strokeWidth = `${(3 * scale).toFixed(1)}px`;
    if (labels.length < 30) labels.push(label);  // the busiest places: the rest have a tooltip
  }
  svg.append(...labels);
  box.append(svg);
  $("#map-note").textContent = pts.length
    ? `${data.places.reduce((a, p) => a + p.n, 0)} located events; ${atCentroid} without coordinates are drawn at their country's centre (dashed). Green: mostly cooperation, red: conflict. Click a dot to filter.`
    : "No located events match these filters.";
}

// -- start -----------------------------------------------------------------------------------
async function render() {
  const { view, arg, params } = route();
  fillForm(params);
  for (const a of document.querySelectorAll("#tabs a")) a.classList.toggle("active", a.dataset.view === view);
  for (const sec of document.querySelectorAll(".view")) sec.hidden = sec.id !== `view-${view}`;
  for (const a of document.querySelectorAll("#tabs a[data-view]:not([data-view=article])")) {
    const q = filterParams(params).toString();
    a.setAttribute("href", `#/${a.dataset.view}${q ? "?" + q : ""}`);
  }
  showError(null);
  document.body.dataset.view = view;
  document.body.dataset.ready = "0";
  try {
    if (view === "events") await showEvents(params);
    else if (view === "article") await showArticle(arg, params);
    else if (view === "timeline") await showTimeline(params);
    else if (view === "network") await showNetwork(params);
    else if (view === "map") await showMap(params);
    else go("events", filterParams(params));
  } catch (err) {
    showError(err);
  }
  document.body.dataset.ready = "1";
  document.body.dataset.renders = String(+(document.body.dataset.renders || 0) + 1);
}

let actorTimer = null;
function suggestActors() {
  clearTimeout(actorTimer);
  actorTimer = setTimeout(async () => {
    const q = $("#filters").elements.actor.value.trim();
    if (q.length < 2) return;
    try {
      const data = await api("/actors?limit=12&q=" + encodeURIComponent(q));
      const list = clear($("#actor-list"));
      for (const a of data.actors) {
        const opt = document.createElement("option");
        opt.value = a.id;
        opt.label = [a.name.en, a.name.ar, `${a.country || ""}${a.sector || ""}`].filter(Boolean).join(" · ");
        list.append(opt);
      }
    } catch (err) { /* suggestions are optional */ }
  }, 200);
}

async function start() {
  try {
    const [types, stats] = await Promise.all([api("/types"), api("/stats")]);
    setupTypes(types.types);
    $("#summary").textContent = `${stats.total} events · ${stats.articles} articles`;
  } catch (err) { showError(err); }
  $("#filters").addEventListener("submit", (e) => {
    e.preventDefault();
    const { view, arg } = route();
    go(view === "article" ? "events" : view, readForm(), view === "article" ? null : arg);
  });
  $("#reset").addEventListener("click", () => { const { view } = route(); go(view === "article" ? "events" : view, new URLSearchParams()); });
  $("#filters").elements.actor.addEventListener("input", suggestActors);
  for (const th of document.querySelectorAll("#events-table th[data-sort]")) th.addEventListener("click", () => sortBy(th.dataset.sort));
  $("#timeline-by").addEventListener("change", () => render());
  $("#timeline-bucket").addEventListener("change", () => render());
  window.addEventListener("hashchange", render);
  await render();
}

document.addEventListener("DOMContentLoaded", start);
