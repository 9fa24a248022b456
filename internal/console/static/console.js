// cosell console: the little the server-rendered pages cannot do alone —
// follow the live event stream. Every page works without it.
"use strict";

// followStream opens the Server-Sent Events stream named by el's
// data-stream and calls onEvent with each event's id and JSON.
function followStream(el, status, onEvent) {
  const source = new EventSource(el.dataset.stream);
  source.onopen = () => { if (status) status.textContent = "Live: connected to the event stream."; };
  source.onerror = () => { if (status) status.textContent = "Live: reconnecting to the event stream…"; };
  source.onmessage = (msg) => {
    let event;
    try { event = JSON.parse(msg.data); } catch { return; }
    onEvent(msg.lastEventId, event);
  };
  window.addEventListener("pagehide", () => source.close());
}

// The board redraws from the server when an event of its catalog arrives;
// redraws are coalesced so a burst of events costs one fetch.
function liveBoard(board) {
  const status = document.getElementById("live-status");
  let pending = false, running = false;
  async function redraw() {
    if (running) { pending = true; return; }
    running = true;
    try {
      const res = await fetch(board.dataset.fragment, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (res.ok) {
        board.innerHTML = await res.text();
        if (status) status.textContent = "Live: board updated at " + new Date().toLocaleTimeString() + ".";
      }
    } finally {
      running = false;
      if (pending) { pending = false; redraw(); }
    }
  }
  followStream(board, status, () => redraw());
}

// The event list prepends each new event that passes the page's filters.
function liveEvents(list) {
  const status = document.getElementById("stream-status");
  const source = list.dataset.source, detailType = list.dataset.detailType;
  followStream(list, status, (seq, event) => {
    if (source && event.source !== source) return;
    if (detailType && event["detail-type"] !== detailType) return;
    document.getElementById("no-events")?.remove();
    const item = document.createElement("li");
    item.className = "fresh";
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    const parts = [["seq", "#" + seq], ["time", (event.time || "").replace("T", " ")], ["account", event.account || ""], ["source", event.source || ""]];
    for (const [cls, text] of parts) {
      const span = document.createElement(cls === "time" ? "time" : "span");
      span.className = cls;
      span.textContent = text;
      summary.append(span, " ");
    }
    const strong = document.createElement("strong");
    strong.textContent = event["detail-type"] || "";
    summary.append(strong);
    const pre = document.createElement("pre");
    pre.textContent = JSON.stringify(event, null, 2);
    details.append(summary, pre);
    item.append(details);
    list.prepend(item);
  });
}

// The referral form swaps in the sample of the chosen kind while the
// payload is still a sample.
function referralSamples() {
  const payload = document.getElementById("referral-payload");
  if (!payload) return;
  const samples = [...document.querySelectorAll("input[name=kind][data-sample]")];
  const isSample = () => samples.some((r) => document.getElementById(r.dataset.sample).content.textContent.trim() === payload.value.trim());
  for (const radio of samples) {
    radio.addEventListener("change", () => {
      if (radio.checked && isSample()) payload.value = document.getElementById(radio.dataset.sample).content.textContent.trim();
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const board = document.getElementById("board");
  if (board) liveBoard(board);
  const list = document.getElementById("event-list");
  if (list) liveEvents(list);
  referralSamples();
});
