// The claim screen's screens drawn from its state: what each screen shows, the words and buttons of
// a failed verification, and the names of the card's fingers. No flow, no connection: app.js calls
// drawScreen(name, view) after every change of state. A plain script (the global EktpClaimRender),
// like app-words.js, so a counter-app team can copy the page as it is.

(() => {
  const $ = (id) => document.getElementById(id);
  const { FINGER_NAMES, T } = window.EktpClaimWords;

  /** view: { state, lang, t } (t: a T key in the current language) */
  function drawScreen(name, view) {
    RENDER[name]?.(view);
  }

  const RENDER = {
    problem({ state, lang, t }) {
      const e = state.problem;
      $('problem-officer').textContent = e.messages[lang] ?? e.messages.en;
      $('problem-reason').textContent = e.reason;
      $('problem-it').textContent =
        e.help?.[lang] ?? (e.reason === 'CONNECTION_CLOSED' ? t('itConnectionClosed') : t('itGeneric'));
    },
    waiting({ state, lang, t }) {
      const n = state.notice;
      $('waiting-notice').hidden = !n;
      $('waiting-notice').textContent = !n
        ? ''
        : typeof n === 'string'
          ? t(n)
          : `${t('readFailed')} ${n.messages[lang] ?? n.messages.en} (${n.reason})`;
    },
    card({ state, t }) {
      const c = state.card;
      if (!c) return;
      const photo = $('card-photo');
      if (c.photo) {
        photo.src = `data:image/jpeg;base64,${c.photo}`;
        photo.alt = t('photoAlt');
        photo.hidden = false;
      }
      $('card-name').textContent = c.nama ?? '';
      const nik = String(c.nik ?? '');
      const last4 = nik.slice(-4);
      $('card-nik').textContent = nik ? `${'•'.repeat(Math.max(0, nik.length - 4))}${last4}` : '';
      $('card-nik').setAttribute('aria-label', nik ? `${t('nikEnding')} ${last4.split('').join(' ')}` : '');
      const sig = { valid: 'sigValid', invalid: 'sigInvalid', 'not-checked': 'sigNotChecked' }[
        c.documentSignature
      ];
      $('card-sig').textContent = t(sig ?? 'unknown');
      $('card-sig').className = c.documentSignature === 'valid' ? 'ok' : 'bad';
      $('card-nikc').textContent = t(
        c.nikConsistent === true ? 'nikOk' : c.nikConsistent === false ? 'nikBad' : 'unknown',
      );
      $('card-nikc').className = c.nikConsistent === true ? 'ok' : 'bad';
      const warning =
        c.documentSignature === 'invalid' ? t('warnInvalid') : c.nikConsistent === false ? t('warnNik') : '';
      const notice = state.cardNotice ? t(state.cardNotice) : '';
      $('card-warning').textContent = [warning, notice].filter(Boolean).join(' ');
      $('card-warning').hidden = !warning && !notice;
      $('btn-verify').disabled = c.documentSignature === 'invalid' || !cardFingers(state).length;
    },
    finger({ state, lang, t }) {
      const names = (state.fingers.length ? state.fingers : cardFingers(state)).map((p) =>
        fingerName(lang, p),
      );
      $('finger-which').textContent = T[lang].placeFinger(names.join(` ${t('or')} `) || fingerName(lang, 0));
      $('finger-attempt').textContent = String(state.attempt);
      $('finger-quality').textContent = state.quality === undefined ? '—' : `${state.quality} / 100`;
      $('finger-instruction').textContent = state.instruction ? t(state.instruction) : '';
    },
    result({ state, lang, t }) {
      const r = state.result;
      const lines =
        {
          matched: [t('matchedTitle'), t('matchedDetail'), '', ['nextContinue', 'nextTakeCard'], []],
          manual: [t('manualTitle'), t('manualDetail'), '', ['nextTakeCard'], []],
        }[r.kind] ?? failureLines(r, lang, t);
      const [title, detail, instruction, next, buttons] = lines;
      $('result-title').textContent = title;
      $('result-title').className = r.kind === 'matched' ? 'ok' : r.kind === 'manual' ? '' : 'bad';
      $('result-detail').textContent = detail;
      $('result-instruction').textContent = instruction;
      $('result-instruction').hidden = !instruction;
      $('result-next').replaceChildren(
        ...next.map((k) => Object.assign(document.createElement('li'), { textContent: t(k) })),
      );
      $('btn-retry').hidden = !buttons.includes('retry');
      $('btn-manual').hidden = !buttons.includes('manual');
      const other = otherFinger(state);
      $('btn-other-finger').hidden = !buttons.includes('other') || other === undefined;
      $('btn-other-finger').textContent =
        other === undefined ? '' : T[lang].otherFinger(fingerName(lang, other));
    },
  };

  /** title, detail, instruction, next steps and buttons of a verification that did not match. */
  function failureLines({ err, attemptReason }, lang, t) {
    const message = err.messages[lang] ?? err.messages.en;
    const instruction = attemptReason ? t(attemptReason) : '';
    const retryAll = ['nextRetry', 'nextOther', 'nextManual'];
    switch (err.reason) {
      case 'FINGER_NOT_MATCHED':
        return [
          t('notMatchedTitle'),
          t('notMatchedDetail'),
          instruction,
          retryAll,
          ['retry', 'other', 'manual'],
        ];
      case 'POOR_QUALITY':
        return [
          t('poorTitle'),
          message,
          instruction || t('POOR_QUALITY'),
          retryAll,
          ['retry', 'other', 'manual'],
        ];
      case 'TOO_MANY_ATTEMPTS':
        return [t('lockedTitle'), `${t('lockedDetail')} ${message}`, '', ['nextManualOnly'], ['manual']];
      case 'CARD_DATA_INVALID':
        return [t('cardInvalidTitle'), message, '', ['nextManualOnly'], ['manual']];
      default:
        return [
          t('verifyFailedTitle'),
          `${message} (${err.reason})`,
          instruction,
          ['nextRetry', 'nextManual'],
          ['retry', 'manual'],
        ];
    }
  }

  function cardFingers(state) {
    return (state.card?.fingers ?? []).map((f) => f.position).filter((p) => Number.isInteger(p));
  }
  function fingerName(lang, position) {
    return FINGER_NAMES[lang][position] ?? `${FINGER_NAMES[lang][0]} ${position}`;
  }
  /** the card finger not asked for last time (the "other finger" button) */
  function otherFinger(state) {
    const all = cardFingers(state);
    if (all.length < 2) return undefined;
    const current = state.fingers.length === 1 ? state.fingers[0] : all[0];
    return all.find((p) => p !== current);
  }

  window.EktpClaimRender = { drawScreen, cardFingers, fingerName, otherFinger };
})();
