// Reference claim screen: waiting for a card -> card read -> place a finger -> result -> back to
// waiting when the card leaves. A plain script on top of the client SDK's classic build (the global
// EktpBridge from client/ektp-bridge-client.js), so a counter-app team can copy it as it is.
// Personal data (photo, name, NIK) lives only in `state.card` and the card screen's elements, and
// both are wiped the moment the card leaves the reader (and at the kiosk's idle reset).

(() => {
  const $ = (id) => document.getElementById(id);
  const SDK = window.EktpBridge;
  const query = new URLSearchParams(location.search);
  const html = document.documentElement;

  const KIOSK = query.get('kiosk') === '1';
  // kiosk: back to waiting after this many seconds without a touch (?idle=N to change it)
  const IDLE_MS = KIOSK ? (Number(query.get('idle')) > 0 ? Number(query.get('idle')) : 60) * 1000 : 0;
  const DAEMON_URL = html.dataset.daemonUrl || defaultDaemonUrl();
  const TICKET_URL = html.dataset.ticketUrl || 'dev/ticket';
  // every signed file: the document signature is checked only when all of them are read (the
  // signature image is read for that, and never shown)
  const FIELDS = ['biodata', 'photo', 'signature', 'fingers'];

  /** The daemon serves this page itself on loopback; copied elsewhere, the default daemon URL. */
  function defaultDaemonUrl() {
    const loopback = /^(127\.0\.0\.1|localhost|\[::1\])$/.test(location.hostname);
    if (loopback && location.port)
      return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1`;
    return SDK ? SDK.DEFAULT_URL : 'ws://127.0.0.1:7215/v1';
  }

  // ---- words (Bahasa Indonesia first): app-words.js -------------------------------------------
  const { T, ATTEMPT_REASONS } = window.EktpClaimWords;
  // ---- what each screen shows: app-render.js --------------------------------------------------
  const { drawScreen, otherFinger } = window.EktpClaimRender;

  // ---- state -------------------------------------------------------------------------------------
  let lang = query.get('lang') === 'en' ? 'en' : 'id';
  let client;
  let screen = 'connecting';
  /** bumped whenever the card leaves or the screen resets: answers of older operations are dropped */
  let generation = 0;
  let op; // { requestId, cancel() } of the running long operation
  let retryTimer;
  const RETRY_MS = 5000;
  const state = {
    problem: undefined, // EktpBridgeError that keeps us from working
    notice: undefined, // waiting screen: a T key or an EktpBridgeError
    card: undefined, // the card record: personal data, wiped when the card leaves
    cardNotice: undefined,
    fingers: [], // card finger positions to verify against (undefined: all)
    attempt: 1,
    quality: undefined,
    instruction: undefined, // T key of the last attempt's reason
    result: undefined,
  };
  const t = (key) => T[lang][key] ?? T.id[key] ?? key;

  // ---- screens -----------------------------------------------------------------------------------
  function show(name) {
    screen = name;
    if (name !== 'finger') {
      // the live image of the finger is shown while it is on the sensor, never kept
      $('finger-preview').removeAttribute('src');
      $('finger-preview').hidden = true;
    }
    for (const s of document.querySelectorAll('main > .screen')) s.hidden = s.id !== `screen-${name}`;
    render();
    const heading = $(`screen-${name}`).querySelector('h2');
    // focus follows the state so keyboard and screen-reader users start at the new step
    heading?.focus({ preventScroll: false });
    $('announce').textContent = heading?.textContent ?? '';
    touch();
  }

  function render() {
    html.lang = lang;
    document.title = t('title');
    for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
    $('lang').textContent = t('otherLang');
    $('lang').lang = lang === 'id' ? 'en' : 'id';
    drawScreen(screen, { state, lang, t });
  }

  // ---- personal data -----------------------------------------------------------------------------
  /** Forgets the card: memory and every element that showed it. Nothing personal stays in the page. */
  function wipe() {
    generation++;
    // an operation still running is the old card's: its answer is dropped (generation), and the
    // next card must not wait for it
    op = undefined;
    state.card = undefined;
    state.cardNotice = undefined;
    state.fingers = [];
    state.result = undefined;
    state.instruction = undefined;
    state.quality = undefined;
    const photo = $('card-photo');
    photo.removeAttribute('src');
    photo.alt = '';
    photo.hidden = true;
    const preview = $('finger-preview');
    preview.removeAttribute('src');
    preview.hidden = true;
    for (const id of ['card-name', 'card-nik', 'card-sig', 'card-nikc', 'card-warning', 'finger-which']) {
      $(id).textContent = '';
    }
    $('card-nik').removeAttribute('aria-label');
  }

  // ---- the flow ----------------------------------------------------------------------------------
  /**
   * Connects, and keeps trying every few seconds while it cannot (a daemon restarting, IT fixing
   * the policy): a retry stays on the problem screen until it succeeds, so the reason stays readable.
   */
  async function connect(retry = false) {
    clearTimeout(retryTimer);
    if (!retry) {
      wipe();
      state.problem = undefined;
      show('connecting');
    }
    if (!SDK) {
      // the SDK's script did not load: the page cannot do anything
      state.problem = {
        reason: 'SDK_NOT_LOADED',
        messages: { id: 'SDK klien tidak termuat.', en: 'The client SDK did not load.' },
        help: {
          id: 'Pastikan client/ektp-bridge-client.js tersedia (npm run build:client).',
          en: 'Make sure client/ektp-bridge-client.js is served (npm run build:client).',
        },
      };
      show('problem');
      return;
    }
    client?.close();
    const c = new SDK.EktpBridgeClient();
    client = c;
    try {
      await c.connect(DAEMON_URL);
    } catch (e) {
      if (client !== c) return;
      const err = asError(e);
      // the same reason again: leave the screen (and the reader's focus) alone
      if (!retry || state.problem?.reason !== err.reason) {
        state.problem = err;
        show('problem');
      }
      retryTimer = setTimeout(() => client === c && void connect(true), RETRY_MS);
      return;
    }
    state.problem = undefined;
    c.on('card.inserted', () => {
      if (screen === 'waiting') void readCard();
    });
    c.on('card.removed', cardLeft);
    c.on('finger.preview', (p) => {
      if (screen !== 'finger' || (p.requestId !== undefined && p.requestId !== op?.requestId)) return;
      $('finger-preview').src = `data:image/png;base64,${p.image}`;
      $('finger-preview').alt = '';
      $('finger-preview').hidden = false;
    });
    c.onClose(() => {
      if (client !== c) return;
      wipe();
      state.problem = SDK.EktpBridgeError.connectionClosed();
      show('problem');
      retryTimer = setTimeout(() => client === c && void connect(true), 3000);
    });
    show('waiting');
    // a card already on the reader when the page opens is read at once
    try {
      const list = await c.deviceList();
      if (screen === 'waiting' && list.readers.some((r) => r.role !== 'sam' && r.state === 'card-present')) {
        void readCard();
      }
    } catch {
      /* the waiting screen stays; card.inserted will come */
    }
  }

  async function readCard(busyRetries = 3) {
    if (op) return;
    const mine = ++generation;
    state.notice = undefined;
    $('read-progress').value = 0;
    show('reading');
    const abort = new AbortController();
    const mineOp = { requestId: undefined, cancel: () => abort.abort() };
    op = mineOp;
    try {
      const ticket = await getTicket('card.read', FIELDS);
      const call = client.cardRead(
        { fields: FIELDS, ...(ticket ? { ticket } : {}) },
        { signal: abort.signal, onProgress: (p) => ($('read-progress').value = p.percent) },
      );
      mineOp.requestId = call.requestId;
      const { card } = await call; // a real counter app sends `receipt` to its backend here
      if (mine !== generation) return;
      state.card = card;
      state.fingers = [];
      show('card');
    } catch (e) {
      if (mine !== generation) return;
      const err = asError(e);
      if (err.reason === 'CONNECTION_CLOSED') return; // onClose shows it
      if (err.reason === 'BUSY' && busyRetries > 0) {
        // the reader is finishing another operation: a moment later it is free
        if (op === mineOp) op = undefined;
        setTimeout(() => mine === generation && void readCard(busyRetries - 1), 1000);
        return;
      }
      state.notice = err.reason === 'CARD_REMOVED' || err.reason === 'NO_CARD' ? 'cardRemovedEarly' : err;
      show('waiting');
    } finally {
      if (op === mineOp) op = undefined;
    }
  }

  async function verify(fingers) {
    if (op || !state.card) return;
    const mine = generation;
    Object.assign(state, {
      fingers: fingers ?? [],
      attempt: 1,
      quality: undefined,
      instruction: undefined,
      reasonSeen: false,
      cardNotice: undefined,
    });
    $('finger-progress').value = 0;
    $('finger-preview').removeAttribute('src');
    $('finger-preview').hidden = true;
    show('finger');
    // cancellable from the first moment, also while the ticket is being fetched
    const abort = new AbortController();
    const mineOp = { requestId: undefined, cancel: () => abort.abort() };
    op = mineOp;
    try {
      const ticket = await getTicket('finger.verify', []);
      if (mine !== generation) return;
      const call = client.fingerVerify(
        { preview: true, ...(fingers ? { fingers } : {}), ...(ticket ? { ticket } : {}) },
        { signal: abort.signal, onProgress: onVerifyProgress },
      );
      mineOp.requestId = call.requestId;
      const r = await call; // a real counter app sends `receipt` to its backend here
      if (mine !== generation) return;
      state.result = { kind: 'matched', finger: r.finger };
      show('result');
    } catch (e) {
      if (mine !== generation) return;
      const err = asError(e);
      if (err.reason === 'CONNECTION_CLOSED') return;
      if (err.reason === 'CARD_REMOVED') return cardLeft();
      if (err.reason === 'CANCELLED') {
        state.cardNotice = 'verifyCancelled';
        return show('card');
      }
      state.result = { kind: 'failed', err, attemptReason: attemptReasonOf(err.detail) ?? state.instruction };
      show('result');
    } finally {
      if (op === mineOp) op = undefined;
    }
  }

  /**
   * operation.progress of finger.verify: `attempt-N` starts attempt N. Why the previous attempt
   * failed comes as POOR_QUALITY, TOO_FEW_MINUTIAE or NOT_MATCHED (in `reason`, or in the step's
   * name) from daemons that report it; otherwise a generic instruction.
   */
  function onVerifyProgress(p) {
    $('finger-progress').value = p.percent;
    if (typeof p.quality === 'number') state.quality = p.quality;
    const reason = attemptReasonOf(p);
    const m = /^attempt-(\d+)$/.exec(p.step ?? '');
    if (m && Number(m[1]) > state.attempt) {
      state.attempt = Number(m[1]);
      // the previous attempt failed without saying why (a daemon that does not report reasons)
      if (!reason && !state.reasonSeen) state.instruction = 'attemptFailed';
      state.reasonSeen = false;
    }
    if (reason) {
      state.instruction = reason;
      state.reasonSeen = true;
    }
    if (screen === 'finger') drawScreen('finger', { state, lang, t });
  }

  /** The last per-attempt failure reason named anywhere in a progress or error detail object. */
  function attemptReasonOf(obj) {
    if (!obj) return undefined;
    const text = JSON.stringify(obj);
    let found;
    let at = -1;
    for (const r of ATTEMPT_REASONS) {
      const i = text.lastIndexOf(r);
      if (i > at) {
        at = i;
        found = r;
      }
    }
    return found;
  }

  /** The card left the reader: forget everything at once and wait for the next card. */
  function cardLeft() {
    const midFlow = screen === 'reading' || screen === 'finger';
    wipe();
    state.notice = midFlow ? 'cardRemovedEarly' : undefined;
    if (screen !== 'problem' && screen !== 'connecting') show('waiting');
  }

  /**
   * A ticket from the counter application's backend: POST {op, scope} -> {ticket}. Served by the
   * daemon in simulate mode this is its development backend (dev/ticket). Without one the daemon
   * answers TICKET_REQUIRED, which the page shows.
   */
  async function getTicket(opName, scope) {
    try {
      const r = await fetch(TICKET_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ op: opName, scope }),
        credentials: 'same-origin',
      });
      return r.ok ? (await r.json()).ticket : undefined;
    } catch {
      return undefined;
    }
  }

  function asError(e) {
    if (SDK && e instanceof SDK.EktpBridgeError) return e;
    return new SDK.EktpBridgeError('INTERNAL', -32603, {
      id: String(e?.message ?? e),
      en: String(e?.message ?? e),
    });
  }

  // ---- kiosk: full screen, idle reset ------------------------------------------------------------
  let idleTimer;
  function touch() {
    if (!IDLE_MS) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(idleReset, IDLE_MS);
  }
  function idleReset() {
    if (screen === 'waiting' || screen === 'connecting' || screen === 'problem') return touch();
    op?.cancel();
    op = undefined;
    wipe();
    state.notice = undefined;
    show('waiting');
  }
  if (KIOSK) {
    document.body.classList.add('kiosk');
    const full = () => document.documentElement.requestFullscreen?.().catch(() => {});
    document.addEventListener('pointerdown', full, { once: true });
  }
  document.addEventListener('pointerdown', touch, { passive: true });
  document.addEventListener('keydown', touch);

  // ---- controls ----------------------------------------------------------------------------------
  $('lang').onclick = () => {
    lang = lang === 'id' ? 'en' : 'id';
    render();
  };
  $('btn-reconnect').onclick = () => void connect();
  $('btn-read').onclick = () => void readCard();
  $('btn-verify').onclick = () => void verify();
  $('btn-finish').onclick = () => {
    wipe();
    show('waiting');
  };
  $('btn-cancel').onclick = () => op?.cancel();
  $('btn-retry').onclick = () => void verify(state.fingers.length ? state.fingers : undefined);
  $('btn-other-finger').onclick = () => {
    const other = otherFinger(state);
    if (other !== undefined) void verify([other]);
  };
  $('btn-manual').onclick = () => {
    state.result = { kind: 'manual' };
    show('result');
  };

  render();
  void connect();
})();
