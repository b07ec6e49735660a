// eventwire page: table, evidence, map, timeline and situation, drawn from the JSON API.
"use strict";
const TYPES = ["AGREE","CONSULT","SUPPORT","CONCEDE","COOPERATE","AID","RETREAT","REQUEST","ACCUSE","REJECT",
  "THREATEN","PROTEST","SANCTION","MOBILIZE","COERCE","ASSAULT"];
const PAGE = 25;
let offset = 0, total = 0, events = [], world = null, selected = null;

const $ = (sel) => document.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
const label = (a) => !a ? "" : a.members && a.members.length ? a.members.map((m) => m.code || m.country).join("+") : (a.code || a.country || a.sector || "");

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

async function loadEvents() {
  const p = params(); p.set("limit", PAGE); p.set("offset", offset);
  try {
    const data = await api("/api/events?" + p);
    events = data.events; total = data.total;
    $("#total").textContent = `${total} event${total === 1 ? "" : "s"}`;
  } catch (e) { events = []; total = 0; $("#total").textContent = e.message; }
  const body = $("#events tbody");
  body.innerHTML = events.map((e, i) => `<tr data-i="${i}" data-id="${esc(e.event_id)}">
    <td>${esc(e.date)}</td><td class="type q${e.quad_class}">${esc(e.event_type)}</td>
    <td>${esc(label(e.source))}</td><td>${esc(label(e.target))}</td>
    <td>${esc(e.location ? e.location.name : "")}</td>
    <td>${e.factuality === "asserted" ? "" : `<span class="fact">${esc(e.factuality)}</span>`}</td></tr>`).join("");
  $("#page").textContent = total ? `${offset + 1}–${Math.min(offset + PAGE, total)} of ${total}` : "";
  drawMap(); loadTimeline();
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
  document.querySelectorAll("#events tr").forEach((tr) => tr.classList.toggle("selected", tr.dataset.id === id));
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
  drawMap();
}

function decodeTopo(topo, name) {
  // TopoJSON -> list of polygons (arrays of rings of [lon, lat]); enough for a background map
  const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((arc) => { let x = 0, y = 0; return arc.map(([dx, dy]) => [(x += dx) * sx + tx, (y += dy) * sy + ty]); });
  const ring = (ids) => ids.flatMap((i, k) => { const a = i < 0 ? arcs[~i].slice().reverse() : arcs[i]; return k ? a.slice(1) : a; });
  const shapes = [];
  for (const g of topo.objects[name].geometries) {
    if (g.type === "Polygon") shapes.push(g.arcs.map(ring));
    else if (g.type === "MultiPolygon") g.arcs.forEach((p) => shapes.push(p.map(ring)));
  }
  return shapes;
}

const project = ([lon, lat]) => [(lon + 180) * (960 / 360), (90 - lat) * (480 / 180)];

function drawMap() {
  const svg = $("#map");
  if (!world) return;
  const land = world.map((poly) => `<path d="${poly.map((r) => "M" + r.map((p) => project(p).map((v) => v.toFixed(1)).join(",")).join("L") + "Z").join("")}"/>`).join("");
  const dots = events.filter((e) => e.location && e.location.lat != null).map((e) => {
    const [x, y] = project([e.location.lon, e.location.lat]);
    return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${e.event_id === selected ? 6 : 4}" class="${e.event_id === selected ? "selected" : ""}" data-id="${esc(e.event_id)}"><title>${esc(e.event_type)} · ${esc(e.location.name)}</title></circle>`;
  }).join("");
  svg.innerHTML = land + dots;
  // zoom to the events shown, with a margin; the whole world when there are none
  const pts = events.filter((e) => e.location && e.location.lat != null).map((e) => project([e.location.lon, e.location.lat]));
  if (!pts.length) { svg.setAttribute("viewBox", "0 0 960 480"); return; }
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  const w = Math.max(160, Math.max(...xs) - Math.min(...xs) + 80), h = w / 2;
  const cx = (Math.max(...xs) + Math.min(...xs)) / 2, cy = (Math.max(...ys) + Math.min(...ys)) / 2;
  svg.setAttribute("viewBox", `${(cx - w / 2).toFixed(1)} ${(cy - h / 2).toFixed(1)} ${w.toFixed(1)} ${h.toFixed(1)}`);
  // about 5 pixels whatever the zoom (the map is drawn some 450 pixels wide)
  svg.querySelectorAll("circle").forEach((c) => c.setAttribute("r", ((c.classList.contains("selected") ? 7 : 5) * w / 450).toFixed(2)));
}

async function loadTimeline() {
  const p = params(); p.delete("actor"); p.set("interval", "month");
  let data;
  try { data = await api("/api/timeline?" + p); } catch (e) { $("#timeline").innerHTML = ""; return; }
  const b = data.buckets, svg = $("#timeline");
  if (!b.length) { svg.innerHTML = `<text x="10" y="20" fill="#7a8394">no dated events</text>`; return; }
  const max = Math.max(...b.map((x) => Math.max(x.cooperation, x.conflict)), 1), w = 600 / b.length;
  svg.innerHTML = b.map((x, i) => {
    const hc = (x.cooperation / max) * 60, hf = (x.conflict / max) * 60, cx = i * w;
    return `<g><title>${x.period}: ${x.cooperation} cooperation, ${x.conflict} conflict</title>
      <rect class="coop" x="${cx + 1}" y="${70 - hc}" width="${Math.max(w - 2, 1)}" height="${hc}"/>
      <rect class="conf" x="${cx + 1}" y="80" width="${Math.max(w - 2, 1)}" height="${hf}"/></g>`;
  }).join("") + `<line x1="0" x2="600" y1="75" y2="75" stroke="#999"/>
    <text x="2" y="155" font-size="10" fill="#7a8394">${esc(b[0].period)}</text>
    <text x="598" y="155" font-size="10" fill="#7a8394" text-anchor="end">${esc(b[b.length - 1].period)}</text>`;
}

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
  $("#map").addEventListener("click", (ev) => { if (ev.target.dataset.id) showEvent(ev.target.dataset.id); });
  $("#prev").addEventListener("click", () => { if (offset > 0) { offset = Math.max(0, offset - PAGE); loadEvents(); } });
  $("#next").addEventListener("click", () => { if (offset + PAGE < total) { offset += PAGE; loadEvents(); } });
  $("#sit-form").addEventListener("submit", (ev) => { ev.preventDefault(); loadSituation($("#sit-country").value.trim()); });
  try { world = decodeTopo(await api("/static/countries-110m.json"), "countries"); } catch (e) { world = []; }
  const st = await api("/api/stats");
  $("#stats").textContent = `${st.articles} articles · ${st.events} events · ${st.mentions} mentions`;
  await loadEvents();
  document.body.dataset.ready = "1";
}
init();
