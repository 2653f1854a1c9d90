// Simulator panel of the reference claim screen (app.js): shown only when the page comes from a
// daemon started with `serve --simulate`, whose POST dev/simulator taps a synthetic card, pulls it
// and puts a finger on the simulated sensor. A counter app copying the screen leaves this file and
// its script tag out: against a real reader the panel never shows.
(() => {
  const $ = (id) => document.getElementById(id);
  async function simulator(body) {
    const r = await fetch('dev/simulator', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    $('sim-status').textContent = `${body.action}: ${r.ok ? 'ok' : await r.text()}`;
  }
  $('sim-tap').onclick = () =>
    simulator({ action: 'tap', resident: Number($('sim-resident').value), fault: $('sim-fault').value });
  $('sim-pull').onclick = () => simulator({ action: 'pull' });
  $('sim-finger').onclick = () => simulator({ action: 'finger', present: $('sim-present').value });
  fetch('dev/simulator', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    .then((r) => {
      // 400 (schema) means the route exists: the daemon runs its simulator
      if (r.status === 400) $('simulator').hidden = false;
    })
    .catch(() => {});
})();
