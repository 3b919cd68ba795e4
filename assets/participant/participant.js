// The participant page: join, see the model and the step, contribute.
// Plain JS, no build step. Every piece of text from the session or from other
// participants goes into the page through textContent or SVG text nodes,
// never innerHTML, so nobody can inject markup or script.
"use strict";

(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const HEARTBEAT_MS = 3000;  // the page pings this often ...
  const SILENCE_MS = 9000;    // ... and calls the line dead after this long without hearing anything (< 15 s)
  const WELCOME_MS = 5000;    // a new connection that has not welcomed us by then is tried again
  const TOKEN_KEY = "workshop.token";
  const PENDING_KEY = "workshop.pending";
  const PARTICIPANT_KEY = "workshop.participant";
  const DEVICE_KEY = "workshop.device";
  const KIND_NAMES = {
    comment: "Comment", problem: "Problem", idea: "Idea", question: "Question", requirement: "Requirement",
  };
  const $ = (id) => document.getElementById(id);

  const state = {
    elements: {}, meta: null, seq: 0, participantId: null, selected: null, mode: "annotate",
    own: { me: null, votes: {}, agreements: {} },  // what the server tells this page alone about its person
  };
  let socket = null;
  let retryDelay = 500;
  let viewBox = null;
  let stripLanes = [];
  let mine = loadMine();

  // ---- small helpers -------------------------------------------------------------------------

  function el(tag, attrs = {}, text = null) {
    const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    if (text !== null) node.textContent = text;
    return node;
  }

  function randomKey() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function all(kind) { return Object.values(state.elements[kind] || {}); }
  function get(kind, id) { return (state.elements[kind] || {})[id]; }
  function allowed(action) { return !!state.meta && state.meta.allowed.includes(action); }

  function loadMine() {
    try { return JSON.parse(localStorage.getItem(PENDING_KEY) || "[]"); } catch { return []; }
  }
  function saveMine() {
    mine = mine.slice(-100);
    localStorage.setItem(PENDING_KEY, JSON.stringify(mine));
    const waiting = mine.filter((m) => m.state === "pending").length;
    $("pending-count").textContent = waiting ? `(${waiting} pending)` : "";
  }

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 410) showRemoved();  // the facilitator removed this person: no form to try again
    if (!response.ok) throw new Error(text || response.statusText);
    const answer = JSON.parse(text);
    answer.status = response.status;
    return answer;
  }

  function deviceId() {
    // A random id kept in this browser: the server knows the device a participant joined from.
    let device = localStorage.getItem(DEVICE_KEY);
    if (!device) { device = randomKey(); localStorage.setItem(DEVICE_KEY, device); }
    return device;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function waitForFacilitator(code, request, message) {
    // Someone of this name is in the session already: the facilitator confirms it is this person.
    $("join-error").textContent = message;
    for (;;) {
      await sleep(2000);
      const answer = await post("/api/join/status", { code, request, device: deviceId() });
      if (answer.status === 200) return answer;
    }
  }

  // ---- joining -------------------------------------------------------------------------------

  function showRemoved() {
    // Said plainly, with nothing to fill in: joining again under another name is not the way back. The token
    // stays: a reload asks again and is told the same, and if the facilitator lets them back in it works again.
    for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
    $("main").hidden = true;
    $("join").hidden = true;
    $("removed").hidden = false;
  }

  function showJoin(message) {
    if (!$("removed").hidden) return;
    $("main").hidden = true;
    $("join").hidden = false;
    $("join-error").textContent = message || "";
    if ($("code").value && !$("code-form").hidden) submitCode(null);
  }

  async function submitCode(event) {
    if (event) event.preventDefault();
    $("join-error").textContent = "";
    try {
      const info = await post("/api/session", { code: $("code").value, device: deviceId() });
      $("session-title").textContent = info.title;
      const select = $("organization");
      select.replaceChildren(el("option", { value: "" }, "Choose…"));
      for (const org of info.organizations) select.append(el("option", { value: org.id }, org.name));
      $("code-form").hidden = true;
      $("details-form").hidden = false;
      $("name").focus();
    } catch (error) {
      $("join-error").textContent = error.message;
    }
  }

  async function submitDetails(event) {
    event.preventDefault();
    $("join-error").textContent = "";
    try {
      const code = $("code").value;
      let joined = await post("/api/join", {
        code, name: $("name").value, organization_id: $("organization").value, device: deviceId(),
        token: localStorage.getItem(TOKEN_KEY) || "",  // still holding it: rejoin without asking the facilitator
      });
      if (joined.status === 202) joined = await waitForFacilitator(code, joined.pending, joined.message);
      $("join-error").textContent = "";
      if (localStorage.getItem(PARTICIPANT_KEY) !== joined.participant_id) {
        mine = [];  // items left by someone else who joined in this browser are not ours to send
        saveMine();
      }
      localStorage.setItem(TOKEN_KEY, joined.token);
      localStorage.setItem(PARTICIPANT_KEY, joined.participant_id);
      connect();
    } catch (error) {
      $("join-error").textContent = error.message;
    }
  }

  // ---- the connection ------------------------------------------------------------------------

  function setConnection(text, offline) {
    const label = $("connection");
    label.textContent = text;
    label.classList.toggle("offline", offline);
  }

  function connect() {
    const token = localStorage.getItem(TOKEN_KEY);
    if (!token) { showJoin(); return; }
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws`);
    setConnection("connecting…", true);
    welcomed = false;
    heard();  // the clock for a connection that never opens starts now
    socket.onopen = () => { heard(); socket.send(JSON.stringify({ type: "hello", token })); };
    socket.onmessage = (event) => { heard(); receive(JSON.parse(event.data)); };
    socket.onclose = (event) => {
      socket = null;
      if (event.code === 4003) {
        showRemoved();
        return;
      }
      if (event.code === 4001) {
        localStorage.removeItem(TOKEN_KEY);
        showJoin("Please join again.");
        return;
      }
      setConnection("offline", true);
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 8000);
    };
  }

  // A connection can die silently (Wi-Fi gone, no close frame): ping, and give up on a line that says nothing.
  let lastHeard = 0;
  let welcomed = false;
  function heard() { lastHeard = Date.now(); }
  function heartbeat() {
    // CONNECTING counts too: a handshake lost on a dead line may never finish or fail by itself
    if (!socket || socket.readyState > WebSocket.OPEN) return;
    const unanswered = !welcomed && Date.now() - lastHeard > WELCOME_MS;  // a new line that never answered hello
    if (unanswered || Date.now() - lastHeard > SILENCE_MS) {
      setConnection("offline", true);
      const dead = socket;
      socket = null;
      dead.onclose = null;
      dead.close();
      setTimeout(connect, retryDelay);  // unacknowledged items are resent after the welcome
      return;
    }
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function contribute(message, label) {
    const item = { key: randomKey(), message: null, label, state: "pending", error: "" };
    item.message = { ...message, key: item.key };
    mine.push(item);
    saveMine();
    send(item.message);
    renderMine();
  }

  function resendPending() {
    for (const item of mine) if (item.state === "pending") send(item.message);
  }

  function receive(message) {
    if (message.type === "welcome") {
      state.participantId = message.participant_id;
      welcomed = true;
      if (message.own) state.own = { me: message.own.me, votes: message.own.votes, agreements: message.own.agreements };
      state.elements = message.elements;
      state.meta = message.meta;
      state.seq = message.seq;
      retryDelay = 500;
      $("join").hidden = true;
      $("main").hidden = false;
      setConnection("● online", false);
      history.replaceState(null, "", location.pathname);
      if (!viewBox || viewBox.modelId !== message.meta.model_id) viewBox = null;  // a reconnect keeps the zoom
      render();
      resendPending();
    } else if (message.type === "changes") {
      for (const change of message.changes) {
        const bucket = state.elements[change.kind] || (state.elements[change.kind] = {});
        if (change.data === null) delete bucket[change.id]; else bucket[change.id] = change.data;
      }
      const modelChanged = !state.meta || state.meta.model_id !== message.meta.model_id;
      state.meta = message.meta;
      state.seq = message.seq;
      if (modelChanged) viewBox = null;
      scheduleRender();
    } else if (message.type === "mine") {
      state.own = { me: message.me, votes: message.votes || {}, agreements: message.agreements || {} };
      scheduleRender();
      if ($("votes").open) renderVotes();
      if ($("agreement").open) showMyPredictability();
    } else if (message.type === "ack" || message.type === "nack") {
      const item = mine.find((m) => m.key === message.key);
      if (!item) return;
      if (message.type === "ack") {
        if (item.state !== "saved") toast("Saved", false);
        item.state = "saved";
        item.id = message.id;
      } else if (message.retry) {
        setTimeout(() => send(item.message), 1000);
        return;
      } else {
        item.state = "refused";
        item.error = message.error;
        toast(`Not accepted: ${message.error}`, true);
        if ($("sheet").open) $("sheet-error").textContent = message.error;
      }
      saveMine();
      renderMine();
      if ($("sheet").open) renderSheet();
      if ($("votes").open) renderVotes();
    } else if (message.type === "removed") {
      showRemoved();
    } else if (message.type === "error") {
      setConnection(message.error, true);
    }
  }

  let toastTimer = null;
  function toast(text, refused) {
    // A popover: shown again each time so it lands on top of any open dialog and its backdrop.
    const box = $("toast");
    box.textContent = text;
    box.classList.toggle("refused", refused);
    if (box.matches(":popover-open")) box.hidePopover();
    box.showPopover();
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { if (box.matches(":popover-open")) box.hidePopover(); }, refused ? 5000 : 1500);
  }

  // ---- the step ------------------------------------------------------------------------------

  function renderStep() {
    const meta = state.meta;
    const step = meta.step;
    $("step-title").textContent = step ? step.title : meta.title;
    $("step-prompt").textContent = step ? step.prompt : "";
    $("anonymous").hidden = !meta.anonymous;
    const walk = meta.walk && allowed("capture") ? meta.walk : null;
    $("walk").hidden = !walk;
    if (walk) {
      const target = get(walk.element_kind, walk.element_id);
      $("walk-text").textContent = `Walkthrough at: ${target ? (target.label || "an arrow") : "…"}`;
    }
    $("open-agreement").hidden = !allowed("agreement");
    renderPredictability();  // the facilitator may start asking it while the dialog is open
    $("open-survey").hidden = !(allowed("survey") && meta.survey);
    if (!meta.survey && $("survey").open) $("survey").close();
    $("open-votes").hidden = !allowed("vote");
    if ($("votes").open) renderVotes();
    tickTimer();
  }

  function tickTimer() {
    const timer = $("timer");
    const step = state.meta && state.meta.step;
    if (!step || (!step.ends_at && !step.paused)) { timer.textContent = ""; return; }
    // the server works the clock out (workshop.domain.facilitation.step_clock); the page counts down to its deadline
    let seconds = step.paused ? Math.round(step.remaining) : Math.round((Date.parse(step.ends_at) - Date.now()) / 1000);
    const over = seconds < 0;
    seconds = Math.abs(seconds);
    const text = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
    timer.textContent = (over ? `−${text}` : text) + (step.paused ? " ❚❚" : "");
    // the phase as the console and the projector show it: amber from the server's warns_at, red when over
    const warning = !step.paused && step.warns_at && Date.now() >= Date.parse(step.warns_at);
    timer.dataset.phase = step.paused ? "paused" : over ? "over" : warning ? "warning" : "running";
  }

  // ---- the model, drawn like the canvas ------------------------------------------------------

  // The marker shows the least crossed of the flow's boundaries: open before being crossed before crossed.
  function boundaryStatus(boundaries) {
    const statuses = boundaries.map((b) => b.status);
    if (statuses.includes("crossed") && statuses.every((s) => s === "crossed")) return ["crossed"];
    if (!statuses.includes("open") && statuses.includes("being_crossed")) return ["being-crossed"];
    return [];
  }

  function isHandoff(flow) {
    return !!flow.handoff;  // decided by the server (workshop.domain.model.handoffs), as the canvas decides it
  }

  // Words in lines of about `width` px at `charWidth` px a character; more than four lines end in "…".
  function wrap(text, width, charWidth = 6.6) {
    const perLine = Math.max(6, Math.floor(width / charWidth));
    const lines = [];
    let line = "";
    for (const word of text.split(/\s+/)) {
      if (!word) continue;
      if (line && (line + " " + word).length > perLine) { lines.push(line); line = word; } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(line);
    if (lines.length > 4) lines[3] = `${lines[3].slice(0, perLine - 1)}…`;
    return lines.slice(0, 4);
  }

  // Every shape comes from the server as the domain draws it (workshop.domain.drawing.shapes): SVG path data, fill
  // and stroke, the same shapes the canvas and the report draw. The page only turns them into <path>s; the
  // first one (the outline, the line, the band) carries `cls`, which the selection's style reads.
  function drawShapes(group, shapes, cls) {
    (shapes || []).forEach((shape, i) => {
      const attrs = { d: shape.d, fill: shape.fill };
      if (i === 0 && cls) attrs.class = cls;
      if (shape.alpha !== undefined) attrs["fill-opacity"] = shape.alpha;
      if (shape.stroke) { attrs.stroke = shape.stroke; attrs["stroke-width"] = shape.width; }
      if (shape.dash) attrs["stroke-dasharray"] = shape.dash;
      group.append(el("svg:path", attrs));
    });
  }

  // Lines of `text` centred on `box` (x, y, w, h): from `top` down when given, else around the box's middle.
  // Each line but the last keeps its space, so the element's text reads as written.
  function boxText(cls, text, box, lineHeight, top, charWidth) {
    const [x, y, w, h] = box;
    const lines = wrap(text || "", w, charWidth);
    const first = top !== undefined ? top + lineHeight : y + h / 2 - ((lines.length - 1) * lineHeight) / 2 + lineHeight * 0.35;
    const node = el("svg:text", { class: cls, "text-anchor": "middle" });
    lines.forEach((line, i) => {
      node.append(el("svg:tspan", { x: x + w / 2, y: first + i * lineHeight }, i < lines.length - 1 ? `${line} ` : line));
    });
    return { node, bottom: first + (lines.length - 1) * lineHeight };
  }

  // The route comes from the server (workshop.domain.model.geometry): the tap target and the walk token follow it.
  function flowPath(flow) {
    const points = flow.route;
    if (!points || points.length < 2) return null;
    return { d: points.map((p, i) => `${i ? "L" : "M"}${p[0]},${p[1]}`).join(" "), mid: points[Math.floor(points.length / 2)] };
  }

  function badge(group, x, y, count) {
    if (!count) return;
    group.append(el("svg:circle", { class: "badge", cx: x, cy: y, r: 11 }));
    group.append(el("svg:text", { class: "badge-text", x, y: y + 4, "text-anchor": "middle" }, String(count)));
  }

  function notesOn(kind, id) {
    return all("annotation").filter((a) => a.target_kind === kind && a.target_id === id);
  }

  // In a busy room changes arrive faster than a phone can redraw: draw at most once a frame.
  let renderPending = false;
  function scheduleRender() {
    if (renderPending) return;
    renderPending = true;
    requestAnimationFrame(() => { renderPending = false; render(); });
  }

  function render() {
    renderStep();
    const svg = $("canvas");
    const modelId = state.meta.model_id;
    // lanes as the domain lays them out (workshop.domain.model.geometry): each band arrives with its box
    const lanes = all("lane").filter((l) => l.model_id === modelId && l.band).sort((a, b) => a.band[1] - b.band[1]);
    // a collapsed sub-process's steps are on a view of their own (the canvas drills into it), not on the phone's
    const nodes = all("node").filter((n) => n.model_id === modelId && n.on_main !== false);
    const drawn = new Set(nodes.map((n) => n.id));
    const flows = all("flow").filter((f) => f.model_id === modelId && drawn.has(f.source_id) && drawn.has(f.target_id));
    const layer = el("svg:g");

    stripLanes = [];
    for (const lane of lanes) {
      const [, top, , height] = lane.band;
      const org = get("organization", lane.organization_id);
      const name = org ? org.name : "?";
      stripLanes.push({ top, height, colour: lane.drawing[1].fill, name, headerMiddle: lane.title_box[0] + lane.title_box[2] / 2 });
      const group = el("svg:g", { class: "lane" });  // not a tap target: a tap on a lane opens nothing
      drawShapes(group, lane.drawing, "lane-band");
      const title = boxText("lane-title", name, lane.title_box, 17, lane.title_box[1], 8.8);  // as the canvas: name, role below
      group.append(title.node);
      if (lane.role) group.append(boxText("lane-role", lane.role, lane.title_box, 15, title.bottom, 7).node);
      layer.append(group);
    }

    // groups: frames around part of the model, as the domain draws them (no tap target, no part of the order)
    for (const frame of all("group").filter((g) => g.model_id === modelId && g.drawing)) {
      const group = el("svg:g", { class: "group-frame" });
      drawShapes(group, frame.drawing, "group-line");
      if (frame.label) group.append(boxText("group-label", frame.label, frame.label_box, 14, frame.label_box[1]).node);
      layer.append(group);
    }

    const boundariesByFlow = {};
    for (const b of all("boundary")) if (b.target_kind === "flow") (boundariesByFlow[b.target_id] ||= []).push(b);
    const walk = state.meta.walk;

    for (const flow of flows) {
      const path = flowPath(flow);
      if (!path) continue;
      const group = el("svg:g", { "data-kind": "flow", "data-id": flow.id });
      if (state.selected && state.selected.id === flow.id) group.classList.add("selected");
      group.append(el("svg:path", { class: "flow-hit", d: path.d }));
      drawShapes(group, flow.drawing, "flow-line");
      if (walk && walk.element_kind === "flow" && walk.element_id === flow.id) {
        group.append(el("svg:path", { class: "walk-token", d: path.d }));
      }
      const [mx, my] = flow.label_at || path.mid;
      const flowText = flow.label_text ?? flow.label;  // its name, else its condition, as the domain says
      if (flowText) {
        group.append(el("svg:text", { class: "flow-label", x: mx + 6, y: my - 6 }, flowText));
      }
      if (boundariesByFlow[flow.id]) {
        const mark = el("svg:circle", { class: "boundary-mark", cx: mx, cy: my, r: 12 });
        mark.classList.add(...boundaryStatus(boundariesByFlow[flow.id]));  // coloured by diagram.css
        group.append(mark);
        group.append(el("svg:text", { class: "boundary-text", x: mx, y: my + 5, "text-anchor": "middle" }, "!"));
      }
      badge(group, mx + 18, my + 14, notesOn("flow", flow.id).length);
      layer.append(group);
    }

    for (const node of nodes) {
      const group = el("svg:g", { "data-kind": "node", "data-id": node.id });
      if (state.selected && state.selected.id === node.id) group.classList.add("selected");
      const shape = el("svg:g", { transform: `translate(${node.x} ${node.y})` });  // shapes come relative to the node
      drawShapes(shape, node.drawing, "node-shape");
      group.append(shape);
      if (walk && walk.element_kind === "node" && walk.element_id === node.id) {
        group.append(el("svg:rect", {
          class: "walk-token", x: node.x - 6, y: node.y - 6, width: node.w + 12, height: node.h + 12, rx: 14,
        }));
      }
      if (node.label_box) {
        const [lx, ly, lw, lh] = node.label_box;
        const box = [node.x + lx, node.y + ly, lw, lh];
        group.append(boxText("node-label", node.label, box, 14, node.label_below ? box[1] : undefined).node);
      }
      badge(group, node.x + node.w - 4, node.y + 4, notesOn("node", node.id).length);
      layer.append(group);
    }

    svg.replaceChildren(layer);
    const left = lanes.reduce((least, lane) => Math.min(least, lane.band[0]), 0);
    const right = lanes.reduce((most, lane) => Math.max(most, lane.band[0] + lane.band[2]), 600);
    const bottom = lanes.reduce((lowest, lane) => Math.max(lowest, lane.band[1] + lane.band[3]), 0);
    bounds = { x: left - 10, y: -10, w: right - left + 20, h: Math.max(bottom, 200) + 20 };
    if (!viewBox) firstView(lanes, nodes, flows);
    applyViewBox();
  }

  // ---- pan, pinch and tap --------------------------------------------------------------------

  let bounds = null;
  function firstView(lanes, nodes, flows) {
    // Labels at their own size (12 px and up): the walkthrough's step if one runs, else the start of the
    // participant's own lane, else the start of the model. "Whole" shows everything.
    const svg = $("canvas");
    const width = svg.clientWidth || 390;
    const height = svg.clientHeight || 500;
    const walk = state.meta.walk;
    let focus = null;
    if (walk) {
      const element = get(walk.element_kind, walk.element_id);
      if (element && walk.element_kind === "node") focus = { x: element.x + element.w / 2, y: element.y + element.h / 2 };
      if (element && walk.element_kind === "flow" && element.route && element.route.length) {
        const p = element.route[Math.floor(element.route.length / 2)];
        focus = { x: p[0], y: p[1] };
      }
    }
    const me = state.own.me;
    let mineTop = null;
    let mineHeight = 0;
    for (const lane of lanes) {
      if (me && lane.organization_id === me.organization_id && mineTop === null) {
        mineTop = lane.band[1];
        mineHeight = lane.band[3];
      }
    }
    if (focus) {
      viewBox = { x: focus.x - width / 2, y: focus.y - height / 2, w: width, h: height };
    } else {
      const y = mineTop === null ? bounds.y : Math.max(bounds.y, mineTop + mineHeight / 2 - height / 2);
      const firstNode = nodes.filter((n) => mineTop === null || (n.y >= mineTop && n.y < mineTop + mineHeight))
        .reduce((left, n) => Math.min(left, n.x), Infinity);
      // the lane titles if the first step is near them, else the first step with the lane strip beside it
      const x = Number.isFinite(firstNode) && firstNode - bounds.x > width * 0.6 ? firstNode - 40 : bounds.x;
      viewBox = { x, y, w: width, h: height };
    }
    viewBox.modelId = state.meta.model_id;
  }
  function applyViewBox() {
    if (!viewBox) return;
    $("canvas").setAttribute("viewBox", `${viewBox.x} ${viewBox.y} ${viewBox.w} ${viewBox.h}`);
    drawLaneStrip();
  }

  // Once the lane titles scroll out of sight, a narrow strip keeps saying whose lane is whose.
  function drawLaneStrip() {
    const old = $("lane-strip");
    if (old) old.remove();
    if (!stripLanes.length || viewBox.x <= stripLanes[0].headerMiddle) return;  // half the titles still show
    const k = viewBox.w / ($("canvas").clientWidth || 390);
    const width = 24 * k;
    const group = el("svg:g", { id: "lane-strip", "pointer-events": "none" });
    for (const lane of stripLanes) {
      group.append(el("svg:rect", {
        class: "lane-strip-band", x: viewBox.x, y: lane.top, width, height: lane.height, fill: lane.colour, "stroke-width": k,
      }));
      const cx = viewBox.x + width / 2;
      const cy = lane.top + lane.height / 2;
      group.append(el("svg:text", {
        class: "strip-text", x: cx, y: cy, "font-size": 12 * k, "text-anchor": "middle", "dominant-baseline": "central",
        transform: `rotate(-90 ${cx} ${cy})`,
      }, lane.name));
    }
    $("canvas").append(group);
  }
  function zoomAt(factor, clientX, clientY) {
    const rect = $("canvas").getBoundingClientRect();
    const px = viewBox.x + ((clientX - rect.left) / rect.width) * viewBox.w;
    const py = viewBox.y + ((clientY - rect.top) / rect.height) * viewBox.h;
    const w = Math.min(Math.max(viewBox.w / factor, 150), 20000);
    const scale = w / viewBox.w;
    viewBox = {
      x: px - (px - viewBox.x) * scale, y: py - (py - viewBox.y) * scale, w, h: viewBox.h * scale, modelId: viewBox.modelId,
    };
    applyViewBox();
  }

  const pointers = new Map();
  let gesture = null;
  function onPointerDown(event) {
    $("canvas").setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    gesture = { moved: false, start: { x: event.clientX, y: event.clientY }, target: event.target, distance: null };
  }
  function onPointerMove(event) {
    const previous = pointers.get(event.pointerId);
    if (!previous || !viewBox) return;
    const rect = $("canvas").getBoundingClientRect();
    const current = { x: event.clientX, y: event.clientY };
    pointers.set(event.pointerId, current);
    if (Math.hypot(current.x - gesture.start.x, current.y - gesture.start.y) > 8) gesture.moved = true;
    if (pointers.size === 1) {
      viewBox.x -= ((current.x - previous.x) / rect.width) * viewBox.w;
      viewBox.y -= ((current.y - previous.y) / rect.height) * viewBox.h;
      applyViewBox();
    } else if (pointers.size === 2) {
      const [p, q] = [...pointers.values()];
      const distance = Math.hypot(p.x - q.x, p.y - q.y);
      if (gesture.distance) zoomAt(distance / gesture.distance, (p.x + q.x) / 2, (p.y + q.y) / 2);
      gesture.distance = distance;
      gesture.moved = true;
    }
  }
  function onPointerUp(event) {
    pointers.delete(event.pointerId);
    if (gesture && !gesture.moved && pointers.size === 0) {
      const hit = document.elementFromPoint(event.clientX, event.clientY);
      const group = hit && hit.closest("[data-kind]");
      if (group) openSheet(group.dataset.kind, group.dataset.id, "annotate");
    }
    if (pointers.size === 0) gesture = null;
  }

  // ---- contributing --------------------------------------------------------------------------

  let chosenKind = null;

  function targetLabel(kind, id) {
    const element = get(kind, id);
    if (!element) return "";
    if (kind === "node") return element.label || "Step";
    const a = get("node", element.source_id);
    const b = get("node", element.target_id);
    return `${a ? a.label : "?"} → ${b ? b.label : "?"}`;
  }

  function openSheet(kind, id, mode) {
    state.selected = { kind, id };
    state.mode = mode;
    $("text").value = "";
    $("not-shared").value = "";
    $("sheet-error").textContent = "";
    renderSheet();
    if (!$("sheet").open) $("sheet").showModal();
    render();
  }

  function renderSheet() {
    const { kind, id } = state.selected;
    const capturing = state.mode === "capture";
    $("sheet-title").textContent = capturing ? `Walkthrough: ${targetLabel(kind, id)}` : targetLabel(kind, id);
    const list = $("sheet-notes");
    list.replaceChildren();
    for (const note of notesOn(kind, id)) list.append(noteItem(note));
    const kinds = $("kinds");
    kinds.replaceChildren();
    const offered = Object.keys(KIND_NAMES).filter((k) => allowed(k) || (capturing && allowed("capture")));
    if (!offered.includes(chosenKind)) chosenKind = offered[0] || null;
    for (const k of offered) {
      const button = el("button", { type: "button", "aria-pressed": k === chosenKind, "data-kind": k }, KIND_NAMES[k]);
      button.addEventListener("click", () => { chosenKind = k; renderSheet(); });
      kinds.append(button);
    }
    $("add-fields").hidden = offered.length === 0;
    $("sheet-send").hidden = offered.length === 0;
    const flow = kind === "flow" ? get("flow", id) : null;
    $("boundary-fields").hidden = capturing || !flow || !isHandoff(flow) || !allowed("boundary");
  }

  function noteItem(note) {
    const item = el("li");
    const body = el("span", { class: "body" });
    body.append(el("span", { class: "kind" }, KIND_NAMES[note.annotation_kind] || note.annotation_kind));
    body.append(el("span", { class: "text" }, note.text));
    body.append(el("span", { class: "who" }, note.author));
    item.append(body);
    if (allowed("vote") && votable(note)) item.append(dotButton(note));
    return item;
  }

  function votable(note) {
    return note.annotation_kind === "idea" || note.annotation_kind === "problem";
  }

  function dotsLeft() {
    const meta = state.meta;
    const spent = state.own.votes[meta.vote_round] || 0;
    const waiting = mine.filter((m) => m.state === "pending" && m.message.type === "vote").length;
    return Math.max(0, meta.dots - spent - waiting);
  }

  function dotButton(note) {
    const dots = all("vote")
      .filter((v) => v.annotation_id === note.id && v.round_id === state.meta.vote_round)
      .reduce((sum, v) => sum + v.dots, 0);
    const button = el("button", { type: "button", class: "vote", "data-annotation": note.id }, `● ${dots}`);
    button.title = "Put one of your dots on this";
    button.disabled = dotsLeft() === 0;
    button.addEventListener("click", () => {
      contribute({ type: "vote", annotation_id: note.id, dots: 1 }, `A dot on: ${note.text}`);
      renderVotes();
    });
    return button;
  }

  function renderVotes() {
    $("dots-left").textContent = `You have ${dotsLeft()} of ${state.meta.dots} dots left.`;
    const list = $("votes-list");
    list.replaceChildren();
    const nodes = new Set(all("node").filter((n) => n.model_id === state.meta.model_id).map((n) => n.id));
    const flows = new Set(all("flow").filter((f) => f.model_id === state.meta.model_id).map((f) => f.id));
    const notes = all("annotation").filter((a) => votable(a) &&
      ((a.target_kind === "node" && nodes.has(a.target_id)) || (a.target_kind === "flow" && flows.has(a.target_id)) ||
       (a.target_kind === "model" && a.target_id === state.meta.model_id)));
    for (const note of notes) {
      const item = noteItem(note);
      if (note.target_kind !== "model") {
        item.querySelector(".who").textContent = `${note.author} · on ${targetLabel(note.target_kind, note.target_id)}`;
      }
      list.append(item);
    }
    if (!notes.length) list.append(el("li", {}, "No ideas or problems yet."));
  }

  function sendNote() {
    const text = $("text").value.trim();
    if (!text || !chosenKind) { $("sheet-error").textContent = "Write something first."; return; }
    const { kind, id } = state.selected;
    if (state.mode === "capture") {
      contribute({ type: "capture", annotation_kind: chosenKind, text }, `${KIND_NAMES[chosenKind]}: ${text}`);
    } else {
      contribute({ type: "annotate", target_kind: kind, target_id: id, annotation_kind: chosenKind, text },
        `${KIND_NAMES[chosenKind]}: ${text}`);
    }
    closeSheet();
  }

  function sendBoundary() {
    const { id } = state.selected;
    contribute({
      type: "boundary", flow_id: id, boundary_type: $("boundary-type").value, not_shared: $("not-shared").value.trim(),
    }, `Knowledge boundary: ${targetLabel("flow", id)}`);
    closeSheet();
  }

  function closeSheet() {
    if ($("sheet").open) $("sheet").close();
    state.selected = null;
    render();
  }

  function myRating() {
    const answer = state.own.agreements[state.meta.agreement_check];
    return answer ? answer.rating : null;
  }

  // A comment typed after choosing a rating is sent with that rating (a new answer replaces the old one).
  let sentComment = "";
  function sendAgreementComment() {
    const rating = myRating() || pendingRating();
    const comment = $("agreement-comment").value.trim();
    if (!rating || comment === sentComment) return;
    sentComment = comment;
    contribute(agreementMessage(rating, comment), `Agreement: ${rating} of 5 — ${comment}`);
  }
  function pendingRating() {
    const pressed = document.querySelector("#ratings button[aria-pressed=true]");
    return pressed ? Number(pressed.dataset.rating) : null;
  }

  // Predictability, when the check asks it, travels with the understanding rating (the server needs both).
  function myPredictability() {
    const answer = state.own.agreements[state.meta.agreement_check];
    return answer && answer.predictability ? answer.predictability : null;
  }
  function pendingPredictability() {
    const pressed = document.querySelector("#predictability-ratings button[aria-pressed=true]");
    return pressed ? Number(pressed.dataset.rating) : null;
  }
  function agreementMessage(rating, comment) {
    const message = { type: "agreement", rating, comment };
    const foreseen = state.meta.ask_predictability ? pendingPredictability() || myPredictability() : null;
    if (foreseen) message.predictability = foreseen;
    return message;
  }
  function showMyPredictability() {
    const answered = myPredictability();
    if (!answered) return;
    for (const button of $("predictability-ratings").children) {
      button.setAttribute("aria-pressed", Number(button.dataset.rating) === answered);
    }
  }
  function renderPredictability() {
    const asked = Boolean(state.meta && state.meta.ask_predictability);
    $("predictability-question").hidden = !asked;
    const buttons = $("predictability-ratings");
    if (!asked || buttons.children.length) return;
    const names = ["1 not at all", "2", "3", "4", "5 fully"];
    names.forEach((name, i) => {
      const pressed = i + 1 === myPredictability();
      const button = el("button", { type: "button", "data-rating": i + 1, "aria-pressed": pressed }, name);
      button.addEventListener("click", () => {
        for (const other of buttons.children) other.setAttribute("aria-pressed", other === button);
        const rating = myRating() || pendingRating();
        if (!rating) {
          $("agreement-state").textContent = "Now choose how well your organization understands the process.";
          return;
        }
        sentComment = $("agreement-comment").value.trim();
        contribute(agreementMessage(rating, sentComment), `Predictability: ${i + 1} of 5`);
        $("agreement-state").textContent = `You answered ${rating} of 5; predictability ${i + 1} of 5.`;
      });
      buttons.append(button);
    });
  }

  function openAgreement() {
    const ratings = $("ratings");
    ratings.replaceChildren();
    const answer = state.own.agreements[state.meta.agreement_check];
    if (answer && !$("agreement").open) {
      $("agreement-comment").value = answer.comment || "";
      sentComment = answer.comment || "";
    }
    const names = ["1 not at all", "2", "3", "4", "5 fully"];
    names.forEach((name, i) => {
      const button = el("button", { type: "button", "data-rating": i + 1, "aria-pressed": i + 1 === myRating() }, name);
      button.addEventListener("click", () => {
        sentComment = $("agreement-comment").value.trim();
        contribute(agreementMessage(i + 1, sentComment), `Agreement: ${i + 1} of 5`);
        const foreseen = agreementMessage(i + 1, "").predictability;
        $("agreement-state").textContent = foreseen
          ? `You answered ${i + 1} of 5; predictability ${foreseen} of 5.`
          : `You answered ${i + 1} of 5.`;
        for (const other of ratings.children) other.setAttribute("aria-pressed", other === button);
      });
      ratings.append(button);
    });
    $("predictability-ratings").replaceChildren();
    renderPredictability();
    $("agreement").showModal();
  }

  // ---- relational-coordination survey: one screen per other organization ---------------------

  function openSurvey() {
    const survey = state.meta.survey;
    if (!survey) return;
    const me = state.own.me;
    const others = all("organization").filter((org) => !me || org.id !== me.organization_id);
    $("survey-org").replaceChildren(...others.map((org) => el("option", { value: org.id }, org.name)));
    $("survey-title").textContent = survey.label;
    $("survey-state").textContent = "";
    renderSurveyItems();
    $("survey").showModal();
  }

  function renderSurveyItems() {
    const survey = state.meta.survey;
    const org = get("organization", $("survey-org").value);
    const name = org ? org.name : "they";
    const box = $("survey-items");
    box.replaceChildren();
    state.surveyAnswers = {};
    for (const item of survey.items) {
      const field = el("fieldset", { class: "survey-item", "data-item": item.id });
      field.append(el("legend", {}, item.text.replaceAll("{other}", name).replaceAll("{process}", "this process")));
      const row = el("div", { class: "ratings" });
      for (let value = survey.scale_min; value <= survey.scale_max; value++) {
        const word = survey.scale_labels[String(value)] || "";
        const button = el("button", { type: "button", "data-value": value, "aria-pressed": false, title: word },
          word ? `${value} ${word}` : String(value));
        button.addEventListener("click", () => {
          state.surveyAnswers[item.id] = value;
          for (const other of row.children) other.setAttribute("aria-pressed", other === button);
        });
        row.append(button);
      }
      field.append(row);
      box.append(field);
    }
  }

  function sendSurvey() {
    const survey = state.meta.survey;
    const about = get("organization", $("survey-org").value);
    if (!survey || !about) return;
    if (!Object.keys(state.surveyAnswers).length) {
      $("survey-state").textContent = "Choose at least one answer first.";
      return;
    }
    contribute({ type: "survey", round_id: survey.round_id, about_org_id: about.id, answers: state.surveyAnswers },
      `Survey about ${about.name}`);
    $("survey-state").textContent = `Sent for ${about.name}. Choose the next organization, or close.`;
  }

  function renderMine() {
    const list = $("mine-list");
    list.replaceChildren();
    for (const item of [...mine].reverse()) {
      const row = el("li");
      row.append(el("span", { class: "body" }, item.label));
      const words = { pending: "pending", saved: "saved", refused: `not accepted: ${item.error}` };
      row.append(el("span", { class: `state ${item.state}` }, words[item.state] || item.state));
      list.append(row);
    }
  }

  // ---- start ---------------------------------------------------------------------------------

  function start() {
    $("code-form").addEventListener("submit", submitCode);
    $("details-form").addEventListener("submit", submitDetails);
    $("sheet-send").addEventListener("click", sendNote);
    $("send-boundary").addEventListener("click", sendBoundary);
    $("sheet-close").addEventListener("click", closeSheet);
    $("sheet").addEventListener("cancel", () => { state.selected = null; });
    $("fit").addEventListener("click", () => { if (bounds) fitWhole(); });
    $("step").addEventListener("click", () => {  // a long step title or prompt opens in full on a tap
      $("step").classList.toggle("expanded");
      });
    $("open-agreement").addEventListener("click", openAgreement);
    $("agreement-close").addEventListener("click", () => $("agreement").close());
    $("agreement-comment").addEventListener("change", sendAgreementComment);
    $("agreement").addEventListener("close", sendAgreementComment);
    $("open-survey").addEventListener("click", openSurvey);
    $("survey-org").addEventListener("change", renderSurveyItems);
    $("survey-send").addEventListener("click", sendSurvey);
    $("survey-close").addEventListener("click", () => $("survey").close());
    $("open-votes").addEventListener("click", () => { renderVotes(); $("votes").showModal(); });
    $("votes-close").addEventListener("click", () => $("votes").close());
    $("open-mine").addEventListener("click", () => { renderMine(); $("mine").showModal(); });
    $("mine-close").addEventListener("click", () => $("mine").close());
    $("walk-capture").addEventListener("click", () => {
      const walk = state.meta.walk;
      if (walk) openSheet(walk.element_kind, walk.element_id, "capture");
    });
    const svg = $("canvas");
    svg.addEventListener("pointerdown", onPointerDown);
    svg.addEventListener("pointermove", onPointerMove);
    svg.addEventListener("pointerup", onPointerUp);
    svg.addEventListener("pointercancel", (e) => { pointers.delete(e.pointerId); gesture = null; });
    svg.addEventListener("wheel", (event) => {
      event.preventDefault();
      if (viewBox) zoomAt(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX, event.clientY);
    }, { passive: false });
    window.addEventListener("resize", () => { if (state.meta) render(); });
    setInterval(tickTimer, 1000);
    setInterval(heartbeat, HEARTBEAT_MS);
    saveMine();

    const code = new URLSearchParams(location.search).get("code");
    if (code) $("code").value = code;
    if (localStorage.getItem(TOKEN_KEY)) connect(); else showJoin();

  }

  function fitWhole() {
    const svg = $("canvas");
    const aspect = (svg.clientWidth || 390) / (svg.clientHeight || 500);
    const w = Math.max(bounds.w, bounds.h * aspect);
    const h = w / aspect;
    // centred both ways: a wide model on a tall phone sits in the middle, not in a strip at the top
    viewBox = { x: bounds.x - (w - bounds.w) / 2, y: bounds.y - (h - bounds.h) / 2, w, h, modelId: state.meta.model_id };
    applyViewBox();
  }

  start();
})();
