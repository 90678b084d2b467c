// The page of `trm4j serve`: a puzzle a person edits, solved step by step by the model behind /v1.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { model: null, board: [], given: [], known: null, selected: [0, 0], task: null, testIndex: 0, colour: 1, sampled: null };

async function api(path, body) {
  const r = await fetch(path, body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const json = await r.json().catch(() => ({ error: r.status + " " + r.statusText }));
  if (!r.ok) throw new Error(json.error || r.statusText);
  return json;
}

function status(text, error) {
  const s = $("status");
  s.textContent = text;
  s.className = error ? "error" : "";
}

// ---------------------------------------------------------------- drawing

// Each value's look comes from the service (GET /v1/model): its text, its palette label, and colours
// that styleValues gives the class "c" + value, on cells and palette buttons alike.
function cellText(v) {
  const c = state.model.look.cells[v];
  return c ? c.text : "";
}

function cellClass(v) {
  return "c" + v;
}

/**
 * A rule per value that has colours, through the CSSOM (the page's policy allows no inline styles);
 * on a cell it outranks page.css's shading of given cells, so that a given wall stays a wall.
 */
function styleValues() {
  const sheet = document.styleSheets[0];
  state.model.look.cells.forEach((c, v) => {
    const rule = (c.background ? "background: " + c.background + ";" : "") + (c.ink ? " color: " + c.ink + ";" : "");
    if (rule) sheet.insertRule(`.cell.c${v}, button.c${v} { ${rule} }`, sheet.cssRules.length);
  });
}

/** A grid element for rows of values; marks: optional per-cell class lists. */
function drawGrid(rows, opts = {}) {
  const g = document.createElement("div");
  g.className = "grid" + (opts.small ? " small" : "");
  const cols = rows.length ? rows[0].length : 0;
  g.style.gridTemplateColumns = `repeat(${cols}, auto)`;
  const box = state.model.look.boxes.length ? state.model.look.boxes : null;
  rows.forEach((row, r) => row.forEach((v, c) => {
    const d = document.createElement("div");
    d.className = "cell " + cellClass(v);
    d.dataset.r = r;
    d.dataset.c = c;
    d.textContent = cellText(v);
    if (box && (c + 1) % box[1] === 0 && c + 1 < cols) d.classList.add("box-right");
    if (box && (r + 1) % box[0] === 0 && r + 1 < rows.length) d.classList.add("box-bottom");
    if (opts.marks) (opts.marks(r, c) || []).forEach((m) => d.classList.add(m));
    g.appendChild(d);
  }));
  return g;
}

function drawBoard() {
  const old = $("board");
  const g = drawGrid(state.board, {
    marks: (r, c) => [state.given[r] && state.given[r][c] ? "given" : null, r === state.selected[0] && c === state.selected[1] ? "selected" : null].filter(Boolean),
  });
  g.id = "board";
  g.tabIndex = 0;
  g.setAttribute("aria-label", old.getAttribute("aria-label"));
  g.addEventListener("click", (e) => {
    const cell = e.target.closest(".cell");
    if (!cell) return;
    state.selected = [+cell.dataset.r, +cell.dataset.c];
    if (state.model.look.paint) set(state.colour);
    drawBoard();
    $("board").focus();
  });
  g.addEventListener("keydown", onKey);
  old.replaceWith(g);
  const known = $("known-box");
  known.hidden = !state.known;
  if (state.known) $("known").replaceWith(Object.assign(drawGrid(state.known, { small: true }), { id: "known" }));
}

function drawPalette() {
  const p = $("palette");
  p.innerHTML = "";
  for (let v = 0; v <= state.model.cell_max; v++) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = cellClass(v) + (v === state.colour ? " active" : "");
    b.textContent = state.model.look.cells[v].key;
    b.title = "set the cell to " + v;
    b.addEventListener("click", () => {
      state.colour = v;
      set(v);
      drawPalette();
      drawBoard();
    });
    p.appendChild(b);
  }
}

function set(v) {
  const [r, c] = state.selected;
  if (!state.board[r] || c >= state.board[r].length) return;
  const before = state.board[r][c];
  state.board[r][c] = v;
  if (state.given[r]) state.given[r][c] = v !== 0;
  // A board edited away from its known answer (a digit erased or changed, a wall opened) has none any more: the marks would mislead.
  if (state.known && state.model.kind !== "arc" && v !== before && state.known[r][c] !== v) state.known = null;
}

function onKey(e) {
  const [r, c] = state.selected, rows = state.board.length, cols = state.board[0].length;
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  if (moves[e.key]) {
    state.selected = [(r + moves[e.key][0] + rows) % rows, (c + moves[e.key][1] + cols) % cols];
  } else if (/^[0-9]$/.test(e.key) && +e.key <= state.model.cell_max) {
    set(+e.key);
  } else if (e.key === "Backspace" || e.key === "Delete") {
    set(0);
  } else if (e.key === "Enter") {
    solve();
    return;
  } else return;
  e.preventDefault();
  drawBoard();
  $("board").focus();
}

// ---------------------------------------------------------------- puzzles and tasks

async function newPuzzle(seed) {
  const p = await api("/v1/puzzle?seed=" + (seed === undefined ? Date.now() : seed));
  state.board = p.grid.map((r) => r.slice());
  state.given = p.grid.map((r) => r.map((v) => v !== 0));
  state.known = p.answer;
  state.selected = [0, 0];
  clearSteps();
  drawBoard();
}

function useTask(task, name) {
  if (!task || !Array.isArray(task.train) || !Array.isArray(task.test) || !task.test.length) throw new Error("a task has train and test lists");
  state.task = task;
  state.taskName = name || "task";
  state.testIndex = 0;
  const test = task.test[0];
  state.board = test.input.map((r) => r.slice());
  state.given = test.input.map((r) => r.map(() => false));
  state.known = test.output || null;
  const demos = $("demonstrations");
  demos.hidden = false;
  demos.innerHTML = "<h2>Demonstrations</h2>";
  task.train.forEach((p) => {
    const pair = document.createElement("div");
    pair.className = "pair";
    pair.append(drawGrid(p.input, { small: true }), document.createTextNode("\u2192"), drawGrid(p.output, { small: true }));
    demos.appendChild(pair);
  });
  $("board-title").textContent = "Test input (" + state.taskName + ")";
  clearSteps();
  drawBoard();
}

function clearSteps() {
  $("steps").innerHTML = "";
  $("attempts").innerHTML = "";
  $("trajectories").hidden = true;
  state.sampled = null;
  status("");
}

// ---------------------------------------------------------------- solving

/**
 * The request's sampled-trajectory fields: none for one trajectory, the deterministic answer; the
 * count within the service's bound, so that the page never asks what the service refuses.
 */
function sampling() {
  const text = $("samples").value, k = Number(text), max = state.model.max_samples;
  if (!Number.isInteger(k) || k < 1 || k > max) throw new Error(`samples: ${text || "nothing"} is not a whole number in 1..${max}`);
  if (k === 1) return {};
  const noise = $("noise").value;
  if (noise === "" || !Number.isFinite(+noise)) throw new Error(`noise: ${noise || "nothing"} is not a number`);
  return state.model.kind === "arc" ? { samples: k, noise: +noise }
    : { samples: k, noise: +noise, augment: $("augment").checked, select: $("select").value };
}

async function solve() {
  const button = $("solve");
  button.disabled = true;
  status("solving...");
  const guidance = +$("guidance").value;
  try {
    const asked = sampling();
    if (state.model.kind === "arc") {
      if (!state.task) throw new Error("open or paste a task first");
      const task = JSON.parse(JSON.stringify(state.task));
      task.test[state.testIndex].input = state.board;
      const versions = Number($("versions").value);
      if (!Number.isInteger(versions) || versions < 1) throw new Error(`versions: ${$("versions").value || "nothing"} is not a whole number of at least 1`);
      const r = await api("/v1/solve", { task, versions, guidance, id: state.taskName, ...asked });
      const t = r.tests[state.testIndex];
      drawSteps(t.steps, t.halting, state.known, state.board);
      drawAttempts(t);
      status(`answered in ${r.millis} ms over ${t.versions} versions` + (asked.samples ? ` x ${asked.samples} samples` : "") + `; attempt 1 has ${t.votes} votes`
        + (t.correct === null ? "" : t.correct ? "; right" : "; wrong"));
    } else {
      const r = await api("/v1/solve", { grid: state.board, guidance, ...asked });
      const start = state.board.map((row) => row.slice());
      if (r.samples) {
        // The chosen trajectory first, then the others in the service's order.
        const order = [r.chosen, ...r.samples.keys()].filter((k, i) => i === 0 || k !== r.chosen);
        state.sampled = { r, order, shown: 0, start, known: state.known };
        drawTrajectory();
      } else {
        state.sampled = null;
        $("trajectories").hidden = true;
        drawSteps(r.steps, r.halting, state.known, start);
      }
      // Against the known answer where there is one (another solution of a maze or N-Queens board is not wrong), else by the rules.
      const right = state.known && JSON.stringify(r.answer) === JSON.stringify(state.known);
      status(`answered in ${r.millis} ms` + (right ? "; the answer is right"
        : state.known && r.valid ? "; the answer differs from the known one but solves the puzzle"
        : state.known ? "; the answer is wrong"
        : r.valid === undefined ? "" : r.valid ? "; the answer solves the puzzle" : "; the answer does not solve the puzzle"));
    }
  } catch (e) {
    status(e.message, true);
  } finally {
    button.disabled = false;
    document.body.dataset.solved = (+(document.body.dataset.solved || 0) + 1).toString();   // how many answers were drawn
  }
}

/**
 * One of the sampled trajectories in the step-by-step view, with how many agree with the chosen
 * one (end with its last board) and whether this one does. The halting confidences the service
 * gives are the chosen trajectory's.
 */
function drawTrajectory() {
  const { r, order, shown, start, known } = state.sampled, k = order[shown], K = order.length;
  const last = (steps) => JSON.stringify(steps[steps.length - 1]);
  $("trajectories").hidden = false;
  $("agree").textContent = `${r.agree} of ${K} trajectories agree`;
  $("trajectory").textContent = `trajectory ${shown + 1} of ${K}: ` + (k === r.chosen ? "the chosen one"
    : last(r.samples[k]) === last(r.samples[r.chosen]) ? "ends as the chosen one" : "ends elsewhere");
  $("previous").disabled = shown === 0;
  $("next").disabled = shown === K - 1;
  drawSteps(r.samples[k], k === r.chosen ? r.halting : null, known, start);
}

function showTrajectory(by) {
  state.sampled.shown = Math.min(Math.max(state.sampled.shown + by, 0), state.sampled.order.length - 1);
  drawTrajectory();
}

/**
 * Every step's answer side by side, from the board that was asked: changed cells since the step
 * before, cells that disagree with the known answer.
 */
function drawSteps(steps, halting, known, start) {
  const out = $("steps");
  out.innerHTML = "";
  let before = start;
  steps.forEach((grid, s) => {
    const div = document.createElement("div");
    div.className = "step";
    const label = document.createElement("div");
    label.className = "label";
    const h = halting && halting[s] !== undefined ? halting[s] : null;
    label.textContent = `step ${s + 1}` + (h === null ? "" : ` \u00b7 halting ${h.toFixed(2)}`);
    div.appendChild(label);
    if (grid) {
      const prev = before;
      div.appendChild(drawGrid(grid, {
        small: state.model.kind === "arc" || grid.length > 9,
        marks: (r, c) => [
          prev && prev[r] && prev[r][c] !== grid[r][c] ? "changed" : null,
          known && known[r] && known[r][c] !== grid[r][c] ? "wrong" : null,
        ].filter(Boolean),
      }));
      before = grid;
    } else {
      div.appendChild(document.createTextNode("no grid"));
    }
    if (h !== null) {
      const meter = document.createElement("div");
      meter.className = "meter";
      meter.title = "halting confidence sigmoid(q_halt)";
      const bar = document.createElement("span");
      bar.style.width = Math.round(100 * h) + "%";   // through the CSSOM: the page's policy allows no inline style attributes
      meter.appendChild(bar);
      div.appendChild(meter);
    }
    out.appendChild(div);
  });
}

function drawAttempts(t) {
  const out = $("attempts");
  out.innerHTML = "";
  t.attempts.forEach((a, i) => {
    const div = document.createElement("div");
    div.className = "step";
    div.append(Object.assign(document.createElement("div"), { className: "label", textContent: "attempt " + (i + 1) }),
      drawGrid(a, { small: true, marks: (r, c) => [state.known && state.known[r] && state.known[r][c] !== a[r][c] ? "wrong" : null].filter(Boolean) }));
    out.appendChild(div);
  });
}

// ---------------------------------------------------------------- start

async function start() {
  try {
    state.model = await api("/v1/model");
  } catch (e) {
    $("model").textContent = "the model cannot be reached: " + e.message;
    return;
  }
  const m = state.model;
  $("model").textContent = `${m.method.toUpperCase()} model for ${m.kind}: ${m.parameters.toLocaleString()} parameters, D=${m.hidden_size}, ` +
    `T=${m.T}, n=${m.n}, ${m.N_sup} supervision steps, ${m.precision} on ${m.device}`;
  $("description").textContent = `${m.kind}: ${m.description}`;
  // A painted board starts with 0, so that a click that only means to select changes nothing.
  state.colour = m.look.paint ? 0 : Math.min(1, m.cell_max);
  styleValues();
  drawPalette();
  $("guidance").addEventListener("input", () => ($("guidance-value").textContent = (+$("guidance").value).toFixed(1)));
  $("solve").addEventListener("click", solve);
  $("samples").max = m.max_samples;
  const sampled = () => ($("sampling").hidden = !(+$("samples").value > 1));
  $("samples").addEventListener("input", sampled);
  sampled();   // a value the browser kept from before a reload
  // An ARC task's samples vote with its versions; a rule on the halting head needs a model that has one.
  $("select-box").hidden = m.kind === "arc";
  $("augment-box").hidden = m.kind === "arc";
  if (m.method !== "trm") $("select").querySelectorAll("option[value='halt'], option[value='first-halt']").forEach((o) => o.remove());
  $("previous").addEventListener("click", () => showTrajectory(-1));
  $("next").addEventListener("click", () => showTrajectory(1));
  if (m.kind === "arc") {
    $("puzzle-tools").hidden = true;
    $("task-tools").hidden = false;
    state.board = Array.from({ length: 3 }, () => [0, 0, 0]);
    state.given = state.board.map((r) => r.map(() => false));
    $("board-title").textContent = "Test input: open or paste a task";
    $("open").addEventListener("change", async (e) => {
      const f = e.target.files[0];
      if (!f) return;
      try {
        useTask(JSON.parse(await f.text()), f.name.replace(/\.json$/, ""));
      } catch (err) {
        status(f.name + ": " + err.message, true);
      }
    });
    $("paste").addEventListener("click", () => ($("paste-box").hidden = !$("paste-box").hidden));
    $("load-task").addEventListener("click", () => {
      try {
        useTask(JSON.parse($("task-json").value), "pasted");
        $("paste-box").hidden = true;
      } catch (err) {
        status("the pasted task: " + err.message, true);
      }
    });
    drawBoard();
  } else {
    $("new").addEventListener("click", () => newPuzzle().catch((e) => status(e.message, true)));
    $("clear").addEventListener("click", () => {
      state.board = state.board.map((r) => r.map(() => 0));
      state.given = state.board.map((r) => r.map(() => false));
      state.known = null;
      clearSteps();
      drawBoard();
    });
    await newPuzzle(1).catch((e) => status(e.message, true));
  }
}

start();
