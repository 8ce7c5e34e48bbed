// The drawing page: draw a digit (or drop a photo) and see what the served model reads, live.
// Test hooks: pad.dataset.version counts drawing changes; #digit's data-for / data-digit tell
// which version the shown result (or error) belongs to.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const pad = $('pad'), ctx = pad.getContext('2d'), stage = $('stage'), photo = $('photo');
  const statusEl = $('status'), digitEl = $('digit'), probEl = $('prob'), specEl = $('spec');
  const barsEl = $('bars'), seen = $('seen'), modelSel = $('model'), fileIn = $('file');

  const BRUSH = 21 / 280;       // brush width as a fraction of the canvas side
  const INK = '#111';
  const DEBOUNCE_MS = 120;
  const MAX_WAIT_MS = 400;      // a long stroke still gets a reading this often
  const REFRESH_MS = 10000;
  const NO_MODELS = 'no models served yet — train one: make train-cnn';

  let strokes = [];             // each stroke: [{x, y, w}] in canvas fractions (0..1)
  let current = null, pointerId = null;
  let photoFile = null, photoUrl = null;
  let version = 0;              // counts drawing changes (mirrored in pad.dataset.version)
  let epoch = 0;                // bumps on clear / photo: answers from an older epoch are dropped
  let timer = 0, waitingSince = 0, inFlight = false, pending = false;
  let statusKind = '', modelsMsg = '', modelsSig = '';

  pad.dataset.version = '0';

  // ---- drawing -------------------------------------------------------------------------------
  const mid = (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

  function pen() {              // draw in canvas fractions, whatever the backing store size
    ctx.setTransform(pad.width, 0, 0, pad.height, 0, 0);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = ctx.fillStyle = INK;
  }
  function dot(p) {
    ctx.beginPath();
    ctx.arc(p.x, p.y, p.w / 2, 0, 2 * Math.PI);
    ctx.fill();
  }
  function curve(a, c, b, w) {
    ctx.lineWidth = w;
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.quadraticCurveTo(c.x, c.y, b.x, b.y);
    ctx.stroke();
  }
  // Point i arrived: draw from the previous midpoint to the new one, bending through point i-1.
  function segment(s, i) {
    curve(i > 1 ? mid(s[i - 2], s[i - 1]) : s[0], s[i - 1], mid(s[i - 1], s[i]), (s[i - 1].w + s[i].w) / 2);
  }
  function tail(s) {            // the last half segment, up to the pen's last position
    const n = s.length;
    if (n > 1) curve(mid(s[n - 2], s[n - 1]), s[n - 1], s[n - 1], s[n - 1].w);
  }
  function redraw() {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, pad.width, pad.height);   // the canvas stays transparent: never filled
    pen();
    for (const s of strokes) {
      dot(s[0]);
      for (let i = 1; i < s.length; i++) segment(s, i);
      tail(s);
    }
  }
  function resize() {
    const r = pad.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(r.width * dpr)), h = Math.max(1, Math.round(r.height * dpr));
    if (pad.width !== w || pad.height !== h) {
      pad.width = w;
      pad.height = h;
      redraw();
    }
  }
  if (window.ResizeObserver) new ResizeObserver(resize).observe(pad);
  window.addEventListener('resize', resize);
  resize();

  function point(e) {
    const r = pad.getBoundingClientRect();
    const press = e.pointerType === 'pen' && e.pressure > 0 ? 0.8 + 0.5 * e.pressure : 1;
    return { x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height, w: BRUSH * press };
  }
  function changed() {
    version += 1;
    pad.dataset.version = String(version);
    stage.classList.toggle('empty', !hasContent());
  }
  const hasContent = () => photoFile !== null || strokes.length > 0;

  pad.addEventListener('pointerdown', (e) => {
    if (pointerId !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    if (photoFile) startOver();   // a photo was shown: this starts a fresh drawing
    pointerId = e.pointerId;
    try { pad.setPointerCapture(e.pointerId); } catch (_) { /* pointer already gone */ }
    current = [point(e)];
    strokes.push(current);
    pen();
    dot(current[0]);
    changed();
    schedule(DEBOUNCE_MS);
  });
  pad.addEventListener('pointermove', (e) => {
    if (e.pointerId !== pointerId || !current) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    let added = false;
    pen();
    for (const ev of events.length ? events : [e]) {
      const p = point(ev), last = current[current.length - 1];
      if (Math.hypot(p.x - last.x, p.y - last.y) < 0.003) continue;
      current.push(p);
      segment(current, current.length - 1);
      added = true;
    }
    if (added) {
      changed();
      schedule(DEBOUNCE_MS);
    }
  });
  function endStroke(e) {
    if (e.pointerId !== pointerId) return;
    pointerId = null;
    if (!current) return;
    pen();
    tail(current);
    current = null;
    changed();
    schedule(0);                  // predict promptly (still one request in flight at most)
  }
  pad.addEventListener('pointerup', endStroke);
  pad.addEventListener('pointercancel', endStroke);

  function startOver() {
    strokes = [];
    current = null;
    if (photoUrl) URL.revokeObjectURL(photoUrl);
    photoFile = photoUrl = null;
    photo.hidden = true;
    photo.removeAttribute('src');
    epoch += 1;
    pending = false;
    clearTimeout(timer);
    timer = waitingSince = 0;
    redraw();
  }

  $('clear').addEventListener('click', () => {
    startOver();
    changed();
    clearResult();
    if (statusKind === 'predict') setStatus('', '');
    delete digitEl.dataset.for;
    delete digitEl.dataset.digit;
  });

  // ---- photos: file chooser and drag and drop ------------------------------------------------
  function loadFile(file) {
    if (!file) return;
    startOver();
    photoFile = file;
    photoUrl = URL.createObjectURL(file);
    photo.src = photoUrl;
    photo.hidden = false;
    changed();
    clearResult();
    schedule(0);
  }
  photo.addEventListener('error', () => { photo.hidden = true; });
  fileIn.addEventListener('change', () => {
    loadFile(fileIn.files[0]);
    fileIn.value = '';            // choosing the same file again still fires 'change'
  });
  const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
  for (const type of ['dragenter', 'dragover']) {
    stage.addEventListener(type, (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      stage.classList.add('drop');
    });
  }
  stage.addEventListener('dragleave', (e) => {
    if (!stage.contains(e.relatedTarget)) stage.classList.remove('drop');
  });
  stage.addEventListener('drop', (e) => {
    e.preventDefault();
    stage.classList.remove('drop');
    const files = Array.from(e.dataTransfer.files);
    loadFile(files.find((f) => f.type.startsWith('image/')) || files[0]);
  });
  // A file dropped beside the zone must not make the browser navigate away from the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());

  // ---- predictions: debounced, one request in flight, the latest drawing wins ----------------
  function schedule(ms) {
    const now = performance.now();
    waitingSince = waitingSince || now;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = waitingSince = 0;
      predict();
    }, Math.max(0, Math.min(ms, waitingSince + MAX_WAIT_MS - now)));
  }
  function recognizeUrl(value) {  // 'cnn' or 'cnn/versions/3'
    return '/v1/models/' + value.split('/').map(encodeURIComponent).join('/') + ':recognize';
  }
  async function predict() {
    if (inFlight) { pending = true; return; }
    pending = false;
    if (!hasContent()) return;
    const v = version, ep = epoch, target = modelSel.value;
    if (!target) { showError(v, modelsMsg || NO_MODELS); return; }
    inFlight = true;
    try {
      const body = photoFile || await new Promise((res) => pad.toBlob(res, 'image/png'));
      const type = photoFile ? photoFile.type || 'application/octet-stream' : 'image/png';
      let res;
      try {
        res = await fetch(recognizeUrl(target), { method: 'POST', headers: { 'Content-Type': type }, body });
      } catch (_) {
        throw new Error('cannot reach the server');
      }
      let data = null;
      try { data = await res.json(); } catch (_) { /* not JSON */ }
      if (ep !== epoch) return;   // cleared or replaced while the request was out
      if (!res.ok || !data || data.error) {
        throw new Error((data && data.error) || `HTTP ${res.status} ${res.statusText}`.trim());
      }
      showResult(data, v);
    } catch (err) {
      if (ep === epoch) showError(v, err.message);
    } finally {
      inFlight = false;
      if (pending && !timer) predict();
    }
  }

  // ---- results -------------------------------------------------------------------------------
  const rows = [];
  for (let d = 0; d < 10; d++) {
    const row = document.createElement('div');
    row.className = 'row';
    row.setAttribute('role', 'listitem');
    row.innerHTML = `<span class="label">${d}</span><span class="track"><span class="fill"></span></span><span class="pct"></span>`;
    barsEl.append(row);
    rows.push({ row, fill: row.querySelector('.fill'), pct: row.querySelector('.pct') });
  }
  const percent = (p) => (Number.isFinite(p) ? (100 * p).toFixed(1) + '%' : '');

  function clearResult() {
    digitEl.textContent = '–';
    digitEl.classList.add('none');
    probEl.textContent = specEl.textContent = '';
    for (const r of rows) {
      r.fill.style.width = '0';
      r.pct.textContent = '';
      r.row.classList.remove('best');
    }
    seen.hidden = true;
    seen.removeAttribute('src');
  }
  function showResult(d, v) {
    const probs = Array.isArray(d.probabilities) ? d.probabilities.map(Number) : [];
    const top = Number.isInteger(d.digit) ? d.digit : probs.indexOf(Math.max(...probs));
    digitEl.textContent = String(top);
    digitEl.classList.remove('none');
    probEl.textContent = percent(probs[top]);
    rows.forEach((r, i) => {
      const p = Math.min(1, Math.max(0, probs[i] || 0));
      r.fill.style.width = (100 * p).toFixed(2) + '%';
      r.pct.textContent = percent(probs[i]);
      r.row.classList.toggle('best', i === top);
    });
    if (d.preprocessed_png) {
      seen.src = 'data:image/png;base64,' + d.preprocessed_png;
      seen.hidden = false;
    } else {
      seen.hidden = true;
    }
    const spec = d.model_spec || {};
    specEl.textContent = (spec.name ? `${spec.name} v${spec.version}` : '') +
      (d.inverted ? " · dark ink on light, inverted to MNIST's white on black" : '');
    if (statusKind === 'predict') setStatus('', '');
    digitEl.dataset.digit = String(top);
    digitEl.dataset.for = String(v);
  }
  function showError(v, message) {
    clearResult();
    setStatus(message, 'predict');
    digitEl.dataset.digit = '';
    digitEl.dataset.for = String(v);
  }
  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.classList.toggle('error', kind === 'predict');
    statusKind = text ? kind : '';
  }

  // ---- models --------------------------------------------------------------------------------
  async function loadModels() {
    let models;
    try {
      const res = await fetch('/v1/models', { cache: 'no-store' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      models = (await res.json()).models || [];
    } catch (err) {
      if (statusKind !== 'predict') setStatus('cannot list the models: ' + err.message, 'models');
      return;
    }
    const choices = [];           // [model name, [available versions, newest first]]
    for (const m of models) {
      const vs = (m.model_version_status || []).filter((s) => s.state === 'AVAILABLE')
        .map((s) => String(s.version)).sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
      if (vs.length) choices.push([m.name, vs]);
    }
    const sig = JSON.stringify(choices);
    if (sig !== modelsSig) {      // rebuild only on change, so an open list is not disturbed
      modelsSig = sig;
      const prev = modelSel.value;
      const groups = choices.map(([name, vs]) => {
        const g = document.createElement('optgroup');
        g.label = name;
        g.append(new Option(`${name} (newest: v${vs[0]})`, name),
          ...vs.map((v) => new Option(`${name} v${v}`, `${name}/versions/${v}`)));
        return g;
      });
      modelSel.replaceChildren(...groups);
      const values = Array.from(modelSel.options, (o) => o.value);
      const names = choices.map((c) => c[0]);
      modelSel.value = values.includes(prev) ? prev : names.includes('cnn') ? 'cnn' : values[0] || '';
      modelSel.disabled = values.length === 0;
      if (modelSel.value !== prev && hasContent()) schedule(0);
    }
    modelsMsg = choices.length ? '' : models.length ? 'the models are still loading…' : NO_MODELS;
    if (modelsMsg && statusKind !== 'predict') setStatus(modelsMsg, 'models');
    else if (!modelsMsg && statusKind === 'models') setStatus('', '');
  }
  modelSel.addEventListener('change', () => { if (hasContent()) schedule(0); });

  clearResult();
  loadModels();
  setInterval(loadModels, REFRESH_MS);
})();
