// eventwire page: table, evidence, map, timeline and situation, drawn from the JSON API. It follows the store
// (polling /api/updates), so events stored while the page is open show up, marked new, without a reload.
"use strict";
const TYPES = ["AGREE","CONSULT","SUPPORT","CONCEDE","COOPERATE","AID","RETREAT","REQUEST","ACCUSE","REJECT",
  "THREATEN","PROTEST","SANCTION","MOBILIZE","COERCE","ASSAULT"];
const PAGE = 25;
// ?poll=MS says how often to ask for new events (the tests use a short one); every 5 s by default
const POLL_MS = Math.max(200, Number(new URLSearchParams(location.search).get("poll")) || 5000);
const UPDATES_LIMIT = 200;
const MAX_ARRIVALS = 500;  // new events the page keeps marked; older ones are still in the table's pages

let offset = 0, total = 0, events = [], shown = [], world = null, selected = null;
let applied = new URLSearchParams();  // the filters the table shows (the form may hold edits not yet applied)
let arrivals = [];                    // events stored since the page opened, newest first
let loadSeq = 0, timelineSeq = 0;     // answers to an older request are dropped when a newer one was sent

const $ = (sel) => document.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
const label = (a) => !a ? "" : a.members && a.members.length ? a.members.map((m) => m.code || m.country).join("+") : (a.code || a.country || a.sector || "");

// the code, and beside it the words the article used ("USAMIL · US troops")
function who(a) {
  if (!a) return "";
  const code = label(a), words = a.text || a.name || "";
  return `<span class="code">${esc(code)}</span>` + (words && words !== code ? ` <span class="muted">· ${esc(words)}</span>` : "");
}

async function api(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error((await r.json()).detail || r.statusText);
  return r.json();
}

function params() {
  const p = new URLSearchParams();
  for (const el of $("#filters").elements) if (el.name && el.value) p.set(el.name, el.value.trim());
  return p;
}

// ---- which events the filters keep: the same tests as EventFilter.sql, for events that arrive by polling

const firstDay = (d) => { if (!d) return null; const [y, m = "01", day = "01"] = d.split("-"); return `${y}-${m}-${day}`; };

function keyOf(a) {  // the store's source_key / target_key: the actor's countries, or its sector
  if (!a) return "";
  const cs = a.members && a.members.length ? a.members.map((m) => m.country).filter(Boolean) : a.country ? [a.country] : [];
  return cs.length ? [...new Set(cs)].sort().join(",") : (a.sector || "");
}

function matches(e, p) {
  const type = p.get("type");
  if (type && !type.toUpperCase().split(",").map((t) => t.trim()).includes(e.event_type)) return false;
  const country = (p.get("country") || "").toUpperCase();
  if (country && !(keyOf(e.source).includes(country) || keyOf(e.target).includes(country) ||
                   (e.location && e.location.country === country))) return false;
  const actor = (p.get("actor") || "").trim();
  if (actor) {
    const up = actor.toUpperCase(), lo = actor.toLowerCase();
    const ends = [e.source, e.target].filter(Boolean);
    const parties = ends.flatMap((a) => a.members && a.members.length ? a.members : [a]);
    if (!ends.some((a) => a.code === up) && !parties.some((a) => a.code === up ||
        (a.text || "").toLowerCase().includes(lo) || (a.name || "").toLowerCase().includes(lo))) return false;
  }
  const day = firstDay(e.date);
  if (p.get("since") && !(day && day >= p.get("since"))) return false;
  if (p.get("until") && !(day && day <= p.get("until"))) return false;
  return true;
}

// ---- the table

function showTotal() {
  $("#total").textContent = `${total} event${total === 1 ? "" : "s"}`;
  $("#page").textContent = total ? `${offset + 1}–${Math.min(offset + PAGE, total)} of ${total}` : "";
}

async function loadEvents() {
  applied = params();
  const seq = ++loadSeq, p = new URLSearchParams(applied);
  p.set("limit", PAGE); p.set("offset", offset);
  try {
    const data = await api("/api/events?" + p);
    if (seq !== loadSeq) return;
    events = data.events; total = data.total; showTotal();
  } catch (e) {
    if (seq !== loadSeq) return;
    events = []; total = 0; $("#total").textContent = e.message; $("#page").textContent = "";
  }
  renderTable(); markCountry(); await loadTimeline();
}

function renderTable() {
  // on the first page, new events that match the filters come first, whatever their date
  const fresh = offset === 0 ? arrivals.filter((e) => matches(e, applied)) : [];
  const freshIds = new Set(fresh.map((e) => e.event_id)), isNew = new Set(arrivals.map((e) => e.event_id));
  shown = [...fresh, ...events.filter((e) => !freshIds.has(e.event_id))];
  $("#events tbody").innerHTML = shown.map((e) => {
    const cls = [isNew.has(e.event_id) ? "new" : "", e.event_id === selected ? "selected" : ""].join(" ").trim();
    return `<tr data-id="${esc(e.event_id)}"${cls ? ` class="${cls}"` : ""}>
    <td>${isNew.has(e.event_id) ? '<span class="badge">new</span> ' : ""}${esc(e.date)}</td>
    <td class="type q${e.quad_class}">${esc(e.event_type)}</td>
    <td>${who(e.source)}</td><td>${who(e.target)}</td>
    <td>${esc(e.location ? e.location.name : "")}</td>
    <td>${e.factuality === "asserted" ? "" : `<span class="fact">${esc(e.factuality)}</span>`}</td></tr>`;
  }).join("");
  const n = arrivals.filter((e) => matches(e, applied)).length, counter = $("#new-count");
  counter.hidden = n === 0;
  counter.textContent = `${n} new`;
  drawDots();
}

function highlight(sentence, start, e) {
  // marks: trigger by offsets, actors by their words
  const ts = e.evidence.trigger_start - start, te = e.evidence.trigger_end - start;
  const marks = [];
  if (ts >= 0 && te <= sentence.length) marks.push([ts, te, "trigger"]);
  for (const [role, a] of [["source", e.source], ["target", e.target]]) {
    if (!a || !a.text) continue;
    const at = sentence.indexOf(a.text);
    if (at >= 0 && !marks.some(([s, t]) => at < t && s < at + a.text.length)) marks.push([at, at + a.text.length, role]);
  }
  marks.sort((a, b) => a[0] - b[0]);
  let out = "", pos = 0;
  for (const [s, t, cls] of marks) { out += esc(sentence.slice(pos, s)) + `<mark class="${cls}">${esc(sentence.slice(s, t))}</mark>`; pos = t; }
  return out + esc(sentence.slice(pos));
}

async function showEvent(id) {
  selected = id;
  document.querySelectorAll("#events tbody tr").forEach((tr) => tr.classList.toggle("selected", tr.dataset.id === id));
  const data = await api("/api/events/" + encodeURIComponent(id));
  const e = data.event;
  const mentions = data.mentions.map((m) => `<li><div class="sentence">${highlight(m.evidence.sentence, m.evidence.start, m)}</div>
      <div class="muted">${esc(m.article.title || m.doc_id)} ${m.article.outlet ? "· " + esc(m.article.outlet) : ""}
      ${m.article.published ? "· published " + esc(m.article.published) : ""}
      ${m.attribution ? "· according to " + esc(m.attribution.text) : ""}</div></li>`).join("");
  $("#detail").innerHTML = `<h2 id="detail-title"><span class="type q${e.quad_class}">${esc(e.event_type)}</span>
      ${e.mode ? esc(e.mode) : ""} · CAMEO ${esc(e.cameo)} · Goldstein ${esc(e.goldstein)}
      <span class="fact">${esc(e.factuality)}</span></h2>
    <p><mark class="source">${esc(label(e.source))}</mark> ${esc(e.source ? e.source.text : "")} →
       <mark class="target">${esc(label(e.target))}</mark> ${esc(e.target ? e.target.text : "")}</p>
    <p>${esc(e.date)} ${e.date_text ? `(“${esc(e.date_text)}”)` : ""} ${e.location ? "· " + esc(e.location.name) + ", " + esc(e.location.country) : ""}
       · ${e.n_mentions} mention(s) in ${e.n_articles} article(s)</p>
    <ol class="evidence">${mentions}</ol>`;
  drawDots();
}

// ---- the map: countries drawn once (clicking one filters by it), the shown events' points on top

function decodeTopo(topo, name, codes) {
  // TopoJSON -> one path per country, with its ISO-3 code (world-atlas carries ISO numbers, iso-numeric.json maps them)
  const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((arc) => { let x = 0, y = 0; return arc.map(([dx, dy]) => [(x += dx) * sx + tx, (y += dy) * sy + ty]); });
  const ring = (ids) => ids.flatMap((i, k) => { const a = i < 0 ? arcs[~i].slice().reverse() : arcs[i]; return k ? a.slice(1) : a; });
  const path = (r) => "M" + r.map((p) => project(p).map((v) => v.toFixed(1)).join(",")).join("L") + "Z";
  return topo.objects[name].geometries.map((g) => {
    const polys = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
    const title = (g.properties && g.properties.name) || "";
    return {iso: codes[g.id] || codes[title] || "", name: title,
            d: polys.map((p) => p.map((r) => path(ring(r))).join("")).join("")};
  }).filter((c) => c.d);
}

const project = ([lon, lat]) => [(lon + 180) * (960 / 360), (90 - lat) * (480 / 180)];

function drawLand() {
  $("#map").innerHTML = `<g id="land">${world.map((c) => `<path d="${c.d}" data-iso="${esc(c.iso)}"><title>${esc(c.name)}${c.iso ? " · " + esc(c.iso) : ""}</title></path>`).join("")}</g><g id="dots"></g>`;
}

function markCountry() {
  const code = (applied.get("country") || "").toUpperCase();
  document.querySelectorAll("#land path").forEach((p) => p.classList.toggle("on", !!code && p.dataset.iso === code));
}

function drawDots() {
  const svg = $("#map"), g = $("#dots");
  if (!g) return;
  // the table's events and the new ones that match; never more than a page plus what arrived
  const seen = new Set(), isNew = new Set(arrivals.map((e) => e.event_id)), pts = [];
  for (const e of [...arrivals.filter((a) => matches(a, applied)), ...shown]) {
    if (seen.has(e.event_id) || !e.location || e.location.lat == null) continue;
    seen.add(e.event_id);
    pts.push([e, ...project([e.location.lon, e.location.lat])]);
  }
  g.innerHTML = pts.map(([e, x, y]) => {
    const cls = [e.event_id === selected ? "selected" : "", isNew.has(e.event_id) ? "new" : ""].join(" ").trim();
    return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" class="${cls}" data-id="${esc(e.event_id)}"><title>${esc(e.event_type)} · ${esc(e.location.name)}</title></circle>`;
  }).join("");
  // zoom to the points shown, with a margin; to the chosen country when no point is; the whole world otherwise
  let box = null;
  if (pts.length) {
    const xs = pts.map((p) => p[1]), ys = pts.map((p) => p[2]);
    box = [Math.min(...xs) - 40, Math.min(...ys) - 20, Math.max(...xs) + 40, Math.max(...ys) + 20];
  } else {
    const on = $("#land path.on");
    if (on) { const b = on.getBBox(); box = [b.x, b.y, b.x + b.width, b.y + b.height]; }
  }
  if (!box) { svg.setAttribute("viewBox", "0 0 960 480"); box = [0, 0, 960, 480]; }
  const w = Math.max(160, box[2] - box[0], 2 * (box[3] - box[1])), h = w / 2;
  const cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
  svg.setAttribute("viewBox", `${(cx - w / 2).toFixed(1)} ${(cy - h / 2).toFixed(1)} ${w.toFixed(1)} ${h.toFixed(1)}`);
  // about 5 pixels whatever the zoom (the map is drawn some 450 pixels wide)
  g.querySelectorAll("circle").forEach((c) => c.setAttribute("r", ((c.classList.contains("selected") ? 7 : 5) * w / 450).toFixed(2)));
}

function pickCountry(code) {
  // a second click on the chosen country lifts the filter
  $("#f-country").value = (applied.get("country") || "").toUpperCase() === code ? "" : code;
  offset = 0; loadEvents();
}

// ---- the timeline: a time axis (x proportional to time, so empty periods stay empty), a brush to pick a period

const TL = {left: 36, right: 590, mid: 75, bar: 58};  // the plot inside the SVG's 600×170 viewBox
const MONTHS = ["Jan","Feb","Mar","Apr","May","Jun","Jul","Aug","Sep","Oct","Nov","Dec"];
let scale = null;        // {t0, t1}: the time span drawn, in ms (UTC)
let brushing = false;    // a drag is going on: redrawing now would drop it

const utc = (y, m, d) => { const x = new Date(0); x.setUTCFullYear(y, m, d); return x.getTime(); };  // years < 100 too
const dayMs = (iso) => Date.parse(iso.slice(0, 10) + "T00:00:00Z");
const isoDay = (t) => new Date(t).toISOString().slice(0, 10);
const xOf = (t) => TL.left + (t - scale.t0) / (scale.t1 - scale.t0) * (TL.right - TL.left);
const tOf = (x) => scale.t0 + (x - TL.left) / (TL.right - TL.left) * (scale.t1 - scale.t0);

function step(t, unit, n = 1) {
  const d = new Date(t), y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate();
  if (unit === "day") return utc(y, m, day + n);
  if (unit === "week") return utc(y, m, day + 7 * n);
  if (unit === "month") return utc(y, m + n, day);
  return utc(y + n, m, day);
}

function floorTo(t, unit, n) {
  const d = new Date(t), y = d.getUTCFullYear(), m = d.getUTCMonth();
  if (unit === "year") return utc(y - (((y % n) + n) % n), 0, 1);
  if (unit === "month") return utc(y, m - (m % n), 1);
  if (unit === "week") return utc(y, m, d.getUTCDate() - (d.getUTCDay() + 6) % 7);  // Mondays, as DuckDB's weeks
  return utc(y, m, d.getUTCDate());
}

const TICK_STEPS = [["day", 1], ["day", 2], ["week", 1], ["week", 2], ["month", 1], ["month", 2], ["month", 3],
  ["month", 6], ["year", 1], ["year", 2], ["year", 5], ["year", 10], ["year", 20], ["year", 50], ["year", 100]];

function ticks(t0, t1) {
  // the finest step that gives at most 8 ticks; months are named, with the year at January and at the first tick
  for (const [unit, n] of TICK_STEPS) {
    const out = [];
    for (let t = floorTo(t0, unit, n); t <= t1 && out.length < 9; t = step(t, unit, n)) if (t >= t0) out.push(t);
    if (out.length > 8) continue;
    return out.map((t, i) => {
      const d = new Date(t), y = d.getUTCFullYear(), mon = MONTHS[d.getUTCMonth()];
      if (unit === "year") return [t, String(y)];
      if (unit === "month") return [t, d.getUTCMonth() === 0 || i === 0 ? `${mon} ${y}` : mon];
      return [t, `${d.getUTCDate()} ${mon}` + (i === 0 ? ` ${y}` : "")];
    });
  }
  return [];
}

function intervalFor(monthBuckets) {
  // buckets fine enough to see, few enough to draw: days over a couple of months, years over decades
  const a = new Date(dayMs(monthBuckets[0].period)), b = new Date(dayMs(monthBuckets[monthBuckets.length - 1].period));
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
  return months <= 2 ? "day" : months <= 8 ? "week" : months > 360 ? "year" : "month";
}

async function loadTimeline() {
  // the whole span, not just the period picked: the brush shows the pick within it
  const seq = ++timelineSeq, p = new URLSearchParams(applied);
  for (const k of ["since", "until"]) p.delete(k);
  p.set("interval", "month");
  try {
    let data = await api("/api/timeline?" + p);
    if (data.buckets.length && intervalFor(data.buckets) !== "month") {
      p.set("interval", intervalFor(data.buckets));
      data = await api("/api/timeline?" + p);
    }
    if (seq === timelineSeq) drawTimeline(data);
  } catch (e) {
    if (seq === timelineSeq) { scale = null; $("#timeline").innerHTML = `<text x="10" y="20" fill="#7a8394">${esc(e.message)}</text>`; }
  }
}

function drawTimeline({interval, buckets}) {
  const svg = $("#timeline");
  if (!buckets.length) { scale = null; svg.innerHTML = `<text x="10" y="20" fill="#7a8394">no dated events</text>`; drawBrush(); return; }
  scale = {t0: dayMs(buckets[0].period), t1: step(dayMs(buckets[buckets.length - 1].period), interval)};
  const max = Math.max(1, ...buckets.map((b) => Math.max(b.cooperation, b.conflict)));
  const top = TL.mid - 5 - TL.bar, bottom = TL.mid + 5 + TL.bar;
  const axis = ticks(scale.t0, scale.t1).map(([t, text]) => {
    const x = xOf(t), anchor = x > TL.right - 24 ? "end" : "middle";
    return `<line class="tick" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top}" y2="${bottom + 4}"/>
      <text class="tick" x="${x.toFixed(1)}" y="${bottom + 16}" text-anchor="${anchor}">${esc(text)}</text>`;
  }).join("");
  const bars = buckets.map((b) => {
    const t = dayMs(b.period), x = xOf(t), w = Math.max(xOf(step(t, interval)) - x - 0.5, 0.8);
    const hc = (b.cooperation / max) * TL.bar, hf = (b.conflict / max) * TL.bar;
    return `<g data-period="${esc(b.period)}"><title>${esc(b.period)} (${interval}): ${b.cooperation} cooperation, ${b.conflict} conflict</title>
      <rect class="coop" x="${x.toFixed(2)}" y="${(TL.mid - 5 - hc).toFixed(2)}" width="${w.toFixed(2)}" height="${hc.toFixed(2)}"/>
      <rect class="conf" x="${x.toFixed(2)}" y="${TL.mid + 5}" width="${w.toFixed(2)}" height="${hf.toFixed(2)}"/></g>`;
  }).join("");
  const yaxis = `<line class="axis" x1="${TL.left}" x2="${TL.right}" y1="${TL.mid}" y2="${TL.mid}"/>
    <text class="ylab" x="${TL.left - 4}" y="${top + 8}" text-anchor="end">${max}</text>
    <text class="ylab" x="${TL.left - 4}" y="${TL.mid + 3}" text-anchor="end">0</text>
    <text class="ylab" x="${TL.left - 4}" y="${bottom}" text-anchor="end">${max}</text>`;
  svg.innerHTML = axis + bars + yaxis + `<rect id="brush" y="${top - 4}" height="${bottom - top + 8}" display="none"/>`;
  drawBrush();
}

function drawBrush(a, b) {
  // the period picked (since/until), or the one being dragged (a, b in SVG units)
  const since = applied.get("since"), until = applied.get("until"), r = $("#brush");
  $("#tl-clear").hidden = !since && !until;
  if (!r || !scale) return;
  if (a === undefined) {
    if (!since && !until) { r.setAttribute("display", "none"); return; }
    a = since ? xOf(dayMs(since)) : TL.left;
    b = until ? xOf(step(dayMs(until), "day")) : TL.right;
  }
  const lo = Math.max(TL.left, Math.min(a, b)), hi = Math.min(TL.right, Math.max(a, b));
  if (hi < lo) { r.setAttribute("display", "none"); return; }  // picked outside the span drawn
  r.setAttribute("x", lo.toFixed(1)); r.setAttribute("width", Math.max(hi - lo, 1).toFixed(1));
  r.removeAttribute("display");
}

function setPeriod(since, until) {
  $("#f-since").value = since; $("#f-until").value = until;
  offset = 0; loadEvents();
}

function initBrush() {
  const svg = $("#timeline");
  let from = null;
  const xAt = (ev) => {
    const p = svg.createSVGPoint(); p.x = ev.clientX; p.y = ev.clientY;
    return Math.min(TL.right, Math.max(TL.left, p.matrixTransform(svg.getScreenCTM().inverse()).x));
  };
  svg.addEventListener("pointerdown", (ev) => {
    if (!scale || ev.button !== 0) return;
    from = xAt(ev); brushing = true;
    svg.setPointerCapture(ev.pointerId);  // the drag goes on when the pointer leaves the SVG
    drawBrush(from, from); ev.preventDefault();
  });
  svg.addEventListener("pointermove", (ev) => { if (from !== null) drawBrush(from, xAt(ev)); });
  svg.addEventListener("pointerup", (ev) => {
    if (from === null) return;
    const to = xAt(ev), lo = Math.min(from, to), hi = Math.max(from, to);
    from = null; brushing = false;
    if (hi - lo < 3) { drawBrush(); return; }  // a click, not a drag: the period stays as it was
    setPeriod(isoDay(tOf(lo)), isoDay(tOf(hi) - 1));  // until is a day included, so the last ms before the edge
  });
  svg.addEventListener("pointercancel", () => { from = null; brushing = false; drawBrush(); });
  svg.addEventListener("dblclick", () => setPeriod("", ""));
  $("#tl-clear").addEventListener("click", () => setPeriod("", ""));
}

// ---- following the store: /api/updates from a cursor; counts, total and timeline refreshed a moment later

let cursor = null, following = false, polling = false, pollTimer = 0, refreshTimer = 0;

async function poll() {
  clearTimeout(pollTimer);
  if (polling || document.hidden) return;  // a hidden tab asks nothing; showing it again starts over
  polling = true;
  let wait = POLL_MS;
  try {
    // the first call only learns where the store stands (the cursor); later ones get what came after it
    const q = new URLSearchParams({limit: following ? UPDATES_LIMIT : 1});
    if (cursor) q.set("after", cursor);
    const data = await api("/api/updates?" + q);
    if (following && data.events.length) {
      arrived(data.events);
      if (data.events.length === UPDATES_LIMIT) wait = 0;  // more are waiting
    }
    cursor = data.cursor || cursor; following = true;
  } catch (e) { /* the server may be restarting: ask again at the next tick */ }
  polling = false;
  pollTimer = setTimeout(poll, wait);
}

function arrived(list) {
  const known = new Set(arrivals.map((e) => e.event_id));
  arrivals = [...list.filter((e) => !known.has(e.event_id)).reverse(), ...arrivals].slice(0, MAX_ARRIVALS);
  renderTable();
  refreshSoon();
}

function refreshSoon() {
  // several batches in a row cost one refresh
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    if (brushing) { refreshSoon(); return; }
    refreshTotal(); loadStats(); loadTimeline();
  }, 600);
}

async function refreshTotal() {
  const asked = applied.toString(), p = new URLSearchParams(applied);
  p.set("limit", 1);
  try {
    const data = await api("/api/events?" + p);
    if (asked === applied.toString()) { total = data.total; showTotal(); }
  } catch (e) { /* the next refresh will tell */ }
}

async function loadStats() {
  try {
    const st = await api("/api/stats");
    $("#stats").textContent = `${st.articles} articles · ${st.events} events · ${st.mentions} mentions`;
  } catch (e) { /* keep the last counts */ }
}

// ---- the situation card

async function loadSituation(country) {
  const box = $("#situation");
  try {
    const s = await api("/api/situation/" + encodeURIComponent(country));
    const pres = s.foreign_presence.map((p) => `<tr><td>${esc(p.country)}</td><td>${esc(p.status)}</td><td>${esc(p.since)}</td>
      <td>${esc(p.where.join(", "))}</td><td>${p.troops ? p.troops.toLocaleString() : ""}</td></tr>`).join("");
    const partners = Object.entries(s.partners).slice(0, 4).map(([partner, lines]) => `<h3>${esc(s.country)} and ${esc(partner)}</h3><ul>` +
      lines.map((l) => `<li><b>${esc(l.date)}</b> <span class="q${l.quad_class}">${esc(l.type)}</span> ${esc(l.direction)}
        ${l.factuality === "asserted" ? "" : `<span class="fact">${esc(l.factuality)}</span>`}<br><span class="muted">${esc(l.evidence)}</span></li>`).join("") + "</ul>").join("");
    box.innerHTML = `<table><thead><tr><th>foreign force</th><th>status</th><th>since</th><th>where</th><th>troops</th></tr></thead><tbody>${pres || '<tr><td colspan="5" class="muted">none reported</td></tr>'}</tbody></table>${partners}`;
  } catch (e) { box.textContent = e.message; }
}

async function init() {
  $("#f-type").innerHTML += TYPES.map((t) => `<option>${t}</option>`).join("");
  $("#filters").addEventListener("submit", (ev) => { ev.preventDefault(); offset = 0; loadEvents(); });
  $("#events tbody").addEventListener("click", (ev) => { const tr = ev.target.closest("tr"); if (tr) showEvent(tr.dataset.id); });
  $("#map").addEventListener("click", (ev) => {
    if (ev.target.dataset.id) showEvent(ev.target.dataset.id);
    else if (ev.target.closest("#land path") && ev.target.closest("path").dataset.iso) pickCountry(ev.target.closest("path").dataset.iso);
  });
  $("#prev").addEventListener("click", () => { if (offset > 0) { offset = Math.max(0, offset - PAGE); loadEvents(); } });
  $("#next").addEventListener("click", () => { if (offset + PAGE < total) { offset += PAGE; loadEvents(); } });
  // "N new": from another page, go to the first, where they are; on the first, mark them seen
  $("#new-count").addEventListener("click", () => { if (offset > 0) { offset = 0; loadEvents(); } else { arrivals = []; renderTable(); } });
  $("#sit-form").addEventListener("submit", (ev) => { ev.preventDefault(); loadSituation($("#sit-country").value.trim()); });
  document.addEventListener("visibilitychange", () => { if (!document.hidden) poll(); });
  initBrush();
  try {
    const [topo, codes] = await Promise.all([api("/static/countries-110m.json"), api("/static/iso-numeric.json")]);
    world = decodeTopo(topo, "countries", codes);
  } catch (e) { world = []; }
  drawLand();
  await Promise.all([loadStats(), poll()]);  // the cursor is known before the page says it is ready
  await loadEvents();
  document.body.dataset.ready = "1";
}
init();
