// Reference counter page: a minimal JSON-RPC 2.0 client over the daemon's own WebSocket, no build
// step and no external assets. Real counter apps use the typed client in src/client.
const $ = (id) => document.getElementById(id);
const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1`;
$('url').textContent = url;

let ws;
let nextId = 1;
let current; // id of the long operation in flight, for operation.cancel
const waiting = new Map();

function connect() {
  ws = new WebSocket(url);
  ws.onopen = () => setStatus('terhubung / connected');
  ws.onclose = (e) => {
    setStatus(`terputus / disconnected (${e.code}); mencoba lagi / retrying…`);
    for (const [, w] of waiting) w.reject({ message: 'disconnected' });
    waiting.clear();
    setTimeout(connect, 2000);
  };
  ws.onmessage = (e) => {
    let msg;
    try {
      msg = JSON.parse(e.data);
    } catch {
      return;
    }
    for (const m of Array.isArray(msg) ? msg : [msg]) onMessage(m);
  };
}

function onMessage(m) {
  if (m.id !== undefined && waiting.has(m.id)) {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) w.reject(m.error);
    else w.resolve(m.result);
    return;
  }
  if (m.method === 'operation.progress') {
    if (m.params.requestId === current) {
      $('progress').value = m.params.percent;
      $('step').textContent = m.params.step;
    }
    return;
  }
  if (m.method === 'finger.preview' && typeof m.params.image === 'string') {
    showImages([['preview', `data:image/png;base64,${m.params.image}`]]);
  }
  const li = document.createElement('li');
  // Event params may carry images: show only the keys of large values.
  const params = Object.fromEntries(
    Object.entries(m.params ?? {}).map(([k, v]) => [
      k,
      typeof v === 'string' && v.length > 200 ? `(${v.length} chars)` : v,
    ]),
  );
  li.textContent = `${new Date().toLocaleTimeString()} ${m.method} ${JSON.stringify(params)}`;
  $('events').prepend(li);
}

function call(method, params = {}, long = false) {
  const id = nextId++;
  if (long) {
    current = id;
    $('btn-cancel').disabled = false;
    $('progress').value = 0;
    $('step').textContent = '';
  }
  ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject })).finally(() => {
    if (current === id) {
      current = undefined;
      $('btn-cancel').disabled = true;
    }
  });
}

/**
 * The ticket for one operation: the one pasted in the field (minted by a backend), else — when the
 * daemon runs its simulator — a fresh one from the development backend at POST /dev/ticket. In
 * production that route does not exist and the daemon answers TICKET_REQUIRED.
 */
async function withTicket(op, params, scope = []) {
  const t = $('ticket').value.trim();
  if (t) return { ...params, ticket: t };
  try {
    const r = await fetch('/dev/ticket', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op, scope }),
    });
    if (r.ok) return { ...params, ticket: (await r.json()).ticket };
  } catch {
    /* no development backend: send without a ticket */
  }
  return params;
}

/** Simulator controls (serve --simulate only): POST /dev/simulator. */
async function simulator(body) {
  const r = await fetch('/dev/simulator', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  $('result').className = r.ok ? '' : 'error';
  $('result').textContent = `simulator ${JSON.stringify(body)}: ${await r.text()}`;
}

async function run(method, params, long) {
  $('result').className = '';
  $('result').textContent = `${method}…`;
  $('images').replaceChildren();
  try {
    const result = await call(method, params, long);
    showResult(result);
  } catch (err) {
    $('result').className = 'error';
    const reason = err.data?.reason ?? '';
    const text = err.data?.message ? `${err.data.message.id} / ${err.data.message.en}` : err.message;
    $('result').textContent = `${reason} ${text}\n${JSON.stringify(err, null, 2)}`;
  }
}

function showResult(result) {
  const images = [];
  const card = result?.card;
  if (card?.photo) images.push(['photo', `data:image/jpeg;base64,${card.photo}`]);
  if (card?.signatureImage?.data)
    images.push(['signature', `data:${card.signatureImage.mediaType};base64,${card.signatureImage.data}`]);
  if (typeof result?.image === 'string') images.push(['finger', `data:image/png;base64,${result.image}`]);
  showImages(images);
  // Long base64 strings are shown as images above, not as text.
  $('result').textContent = JSON.stringify(
    result,
    (_k, v) => (typeof v === 'string' && v.length > 300 ? `(${v.length} chars)` : v),
    2,
  );
}

function showImages(list) {
  $('images').replaceChildren(
    ...list.map(([alt, src]) => {
      const img = document.createElement('img');
      img.alt = alt;
      img.src = src;
      return img;
    }),
  );
}

function setStatus(text) {
  $('status').textContent = text;
}

$('btn-info').onclick = () => run('system.info');
$('btn-devices').onclick = () => run('device.list');
$('btn-read').onclick = async () => {
  const fields = [...document.querySelectorAll('input[name=field]:checked')].map((i) => i.value);
  run('card.read', await withTicket('card.read', { fields }, fields), true);
};
$('btn-capture').onclick = async () =>
  run('finger.capture', await withTicket('finger.capture', { preview: true }), true);
$('btn-verify').onclick = async () => run('finger.verify', await withTicket('finger.verify', {}), true);
$('sim-tap').onclick = () =>
  simulator({ action: 'tap', resident: Number($('sim-resident').value), fault: $('sim-fault').value });
$('sim-pull').onclick = () => simulator({ action: 'pull' });
$('sim-finger').onclick = () => simulator({ action: 'finger', present: $('sim-present').value });
fetch('/dev/simulator', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  .then((r) => {
    // 400 (schema) means the route exists: the daemon runs its simulator
    if (r.status === 400) $('simulator').hidden = false;
  })
  .catch(() => {});
$('btn-cancel').onclick = () => {
  if (current !== undefined) call('operation.cancel', { requestId: current }).catch(() => {});
};

connect();
