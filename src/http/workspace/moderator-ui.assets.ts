// Styles and the small keyboard script of the moderation workspace, served inline.

export const STYLES = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1b1f24;--muted:#5b6470;--line:#d9dde3;--accent:#0b5cad;--ok:#17753a;--bad:#b3261e;--warn:#8a5a00;--mark:#ffe08a;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--card:#1b1e22;--ink:#e8eaed;--muted:#a3acb8;--line:#33383f;--accent:#7ab4f5;--ok:#6fcf8f;--bad:#ff8a80;--warn:#f0c060;--mark:#6b5400}}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Arabic",sans-serif;background:var(--bg);color:var(--ink)}
a{color:var(--accent)}header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;background:var(--card);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
header strong{margin-inline-end:auto}nav.tabs{display:flex;flex-wrap:wrap;gap:.25rem;padding:.6rem 1rem}
nav.tabs a{padding:.35rem .7rem;border-radius:999px;text-decoration:none;border:1px solid var(--line);background:var(--card);color:var(--ink)}
nav.tabs a[aria-current=page]{background:var(--accent);color:#fff;border-color:var(--accent)}
.count{display:inline-block;min-width:1.5em;padding:0 .35em;margin-inline-start:.35em;border-radius:999px;background:var(--line);color:var(--ink);font-size:.8em;text-align:center}
main{max-width:60rem;margin:0 auto;padding:0 1rem 4rem}
.item{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.8rem 1rem;margin:.7rem 0;outline:none}
.item:focus,.item.current{border-color:var(--accent);box-shadow:0 0 0 3px color-mix(in srgb,var(--accent) 30%,transparent)}
.meta{color:var(--muted);font-size:.9em;display:flex;flex-wrap:wrap;gap:.2rem .8rem;overflow-wrap:anywhere}
.body{white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0;font-size:1.02em}
.parent{border-inline-start:3px solid var(--line);padding-inline-start:.6rem;color:var(--muted);margin:.4rem 0;white-space:pre-wrap}
mark{background:var(--mark);color:inherit;border-radius:3px;padding:0 .1em}
.reasons{margin:.3rem 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.3rem}
.reasons li{font-size:.85em;border:1px solid var(--line);border-radius:6px;padding:.1rem .45rem}
.reasons li.hold{border-color:var(--warn);color:var(--warn)}.reasons li.when{border:0;color:var(--muted);padding-inline:0}.reasons li.reject{border-color:var(--bad);color:var(--bad)}
.actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin-top:.5rem}.actions form{display:inline-flex;flex-wrap:wrap;gap:.3rem;margin:0;max-width:100%}.actions input,.actions select{min-width:0;max-width:100%}
button,select,input,textarea{font:inherit;color:inherit}
button{padding:.35rem .8rem;border-radius:7px;border:1px solid var(--line);background:var(--card);cursor:pointer;min-height:2.2rem}
button.approve{border-color:var(--ok);color:var(--ok)}button.reject{border-color:var(--bad);color:var(--bad)}
button:focus-visible,a:focus-visible,select:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
select,input,textarea{padding:.35rem .5rem;border:1px solid var(--line);border-radius:7px;background:var(--card)}
.status{font-weight:600}.status.banned{color:var(--bad)}.status.trusted{color:var(--ok)}
.empty{color:var(--muted);text-align:center;padding:3rem 0}
.notice,.arrivals{background:var(--card);border:1px solid var(--line);border-inline-start:4px solid var(--accent);padding:.5rem .8rem;border-radius:6px;margin:.8rem 0}
.notice.error{border-inline-start-color:var(--bad)}
form.stack{display:grid;gap:.8rem;max-width:34rem}form.stack label{display:grid;gap:.2rem;font-weight:600}
form.stack label.check{display:flex;gap:.5rem;align-items:center;font-weight:400}
form.stack textarea{min-height:8rem}.hint{font-weight:400;color:var(--muted);font-size:.9em}
table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}td,th{border-bottom:1px solid var(--line);padding:.4rem;text-align:start}
#help{position:fixed;inset:auto 1rem 1rem auto;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.2rem;box-shadow:0 6px 24px #0003}
kbd{border:1px solid var(--line);border-radius:4px;padding:0 .3em;font-size:.9em}
.bulk{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap;margin:.5rem 0}
mark.model{background:none;border-bottom:2px solid var(--warn);border-radius:0}
.risk{font-weight:600;font-variant-numeric:tabular-nums;border-radius:999px;padding:0 .5em;border:1px solid var(--line)}
.risk.high{color:var(--bad);border-color:var(--bad)}.risk.medium{color:var(--warn);border-color:var(--warn)}.risk.low{color:var(--muted)}
nav.sorts{display:flex;gap:.8rem;font-size:.9em;margin:.2rem 0}nav.sorts a[aria-current]{font-weight:700;text-decoration:none;color:var(--ink)}
.viewing{font-weight:600;color:var(--warn)}.item.decided{opacity:.75}
.chart{display:block;width:100%;height:auto;font-size:14px}.chart .grid{stroke:var(--line)}.chart text{fill:var(--muted)}.chart .figure,.chart .label{fill:var(--ink)}
.chart .bar{stroke:var(--card);stroke-width:.5}.chart .line{fill:none;stroke-width:2.5}.chart .dot{stroke:var(--card)}
.series-approved,.series-published{fill:var(--ok);stroke:var(--ok)}.series-pending,.series-held{fill:var(--warn);stroke:var(--warn)}.series-rejected{fill:var(--bad);stroke:var(--bad)}
.series-median,.series-total{fill:var(--accent);stroke:var(--accent)}.series-p90{fill:var(--bad);stroke:var(--bad)}.series-screening{fill:var(--muted);stroke:var(--muted)}
.chart .line.series-p90{stroke-dasharray:6 3}.chart .bar[class]{stroke:var(--card)}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0;margin:.3rem 0;font-size:.9em}.swatch{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-inline-end:.35em;vertical-align:-.1em;background:currentColor}
.swatch.series-approved,.swatch.series-published{color:var(--ok)}.swatch.series-pending,.swatch.series-held{color:var(--warn)}.swatch.series-rejected,.swatch.series-p90{color:var(--bad)}.swatch.series-median{color:var(--accent)}
form.period{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0 1rem}section{margin:1.5rem 0}details{margin:.5rem 0}caption{text-align:start;font-weight:600;padding:.3rem 0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
@media (max-width:40rem){.chart{font-size:18px}}
@media (max-width:40rem){header{position:static}.actions button{flex:1 1 auto}}
@media (max-width:40rem),(pointer:coarse){.keys{display:none}}
`

export const KEYBOARD_SCRIPT = `
(() => {
  const items = () => [...document.querySelectorAll('.item')];
  let index = -1;
  const focus = (i) => {
    const list = items();
    if (!list.length) return;
    index = Math.max(0, Math.min(list.length - 1, i));
    list.forEach((el, k) => el.classList.toggle('current', k === index));
    list[index].focus();
    list[index].scrollIntoView({ block: 'nearest' });
    if (announced) present(list[index].dataset.id);
  };
  // The first item is selected on load; only a move the moderator makes says "open by".
  let announced = false;
  // Live (where the browser can): colleagues see which comment this moderator has open, and this page
  // follows the queue's counts, new arrivals and decisions made elsewhere. Without it, the page is as drawn.
  const note = document.getElementById('live-note');
  const me = note?.dataset.me;
  let lastPresence = '';
  const present = (id) => {
    if (!note || !id || lastPresence === id + Math.floor(Date.now() / 20000)) return;
    lastPresence = id + Math.floor(Date.now() / 20000);
    fetch('/api/v1/mod/presence', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ commentId: id }) }).catch(() => {});
  };
  if (note && window.EventSource) {
    let arrived = 0;
    const stream = new EventSource('/api/v1/mod/stream');
    stream.addEventListener('queue', (event) => {
      const data = JSON.parse(event.data);
      const only = note.dataset.article;
      if (only && data.articleId !== only) return;
      for (const [queue, count] of Object.entries(only ? data.articleCounts : data.counts)) document.querySelectorAll('[data-count="' + queue + '"]').forEach((el) => { el.textContent = count; });
      const item = document.getElementById('c-' + data.commentId);
      if (item && data.by && data.by !== me && item.dataset.status !== data.status) {
        const said = document.createElement('p');
        said.className = 'notice';
        said.setAttribute('role', 'status');
        said.textContent = 'Already ' + data.status + ' by ' + data.by + '.';
        item.replaceChildren(said);
        item.classList.add('decided');
        item.dataset.status = data.status;
      } else if (!item && data.type === 'held' && (note.dataset.queue === 'pending' || note.dataset.queue === 'flagged')) {
        arrived++;
        note.querySelector('span').textContent = arrived + (arrived === 1 ? ' new comment arrived.' : ' new comments arrived.');
        note.hidden = false;
      }
    });
    stream.addEventListener('viewing', (event) => {
      const data = JSON.parse(event.data);
      const item = document.getElementById('c-' + data.commentId);
      if (!item || data.by === me) return;
      let badge = item.querySelector('.viewing');
      if (!badge) { badge = document.createElement('span'); badge.className = 'viewing'; item.querySelector('.meta')?.append(badge); }
      badge.textContent = 'open by ' + data.by;
      clearTimeout(badge.timer);
      badge.timer = setTimeout(() => badge.remove(), 45000);
    });
  }
  const current = () => items()[index] || document.activeElement?.closest?.('.item');
  const press = (name) => { const el = current()?.querySelector('[data-key="' + name + '"]'); if (el) el.click(); };
  // r rejects with the reason chosen in the row; with none chosen, it asks: a digit picks one and sends.
  let picking = null;
  const ask = document.createElement('p');
  ask.className = 'arrivals';
  ask.setAttribute('role', 'status');
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = event.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    if (picking) {
      const choice = Number(event.key);
      if (choice >= 1 && choice < picking.elements.reason.options.length) {
        picking.elements.reason.selectedIndex = choice;
        picking.requestSubmit();
      }
      picking = null;
      ask.remove();
      event.preventDefault();
      return;
    }
    const help = document.getElementById('help');
    switch (event.key) {
      case 'j': focus(index + 1); break;
      case 'k': focus(index - 1); break;
      case 'a': press('approve'); break;
      case 'r': {
        const form = current()?.querySelector('[data-key="reject"]')?.form;
        if (!form) break;
        if (form.elements.reason.value) { form.requestSubmit(); break; }
        picking = form;
        ask.textContent = 'Reason? ' + [...form.elements.reason.options].slice(1).map((o) => o.textContent).join(' · ') + ' (Esc: cancel)';
        form.after(ask);
        break;
      }
      case 'f': press('feature'); break;
      case 'b': press('ban'); break;
      case 'x': { const box = current()?.querySelector('input[type=checkbox]'); if (box) box.checked = !box.checked; break; }
      case 'A': { const button = document.querySelector('[data-key="approve-below"]'); if (button) button.click(); break; }
      case '?': if (help) help.hidden = !help.hidden; break;
      case 'Escape': if (help) help.hidden = true; break;
      default: return;
    }
    event.preventDefault();
  });
  // Approving below a risk asks first, saying how many; confirmed here, the server skips its own question.
  // A ban is asked about first; its reason field is required either way.
  document.querySelectorAll('[data-key="ban"]').forEach((button) => button.form.addEventListener('submit', (event) => {
    if (!confirm('Ban this commenter? Their waiting comments will be rejected.')) event.preventDefault();
  }));
  const below = document.getElementById('approve-below');
  below?.addEventListener('submit', (event) => {
    const max = Number(below.elements.maxRisk.value);
    const count = items().filter((el) => el.dataset.bulk === 'true' && Number(el.dataset.risk) < max).length;
    if (!confirm('Approve ' + count + ' comment' + (count === 1 ? '' : 's') + ' on this page with risk below ' + max.toFixed(1) + ' that no rule held?')) { event.preventDefault(); return; }
    const confirmed = document.createElement('input');
    confirmed.type = 'hidden'; confirmed.name = 'confirmed'; confirmed.value = 'true';
    below.append(confirmed);
  });
  const start = items().findIndex((el) => el.id === location.hash.slice(1));
  if (items().length) focus(start >= 0 ? start : 0);
  announced = true;
  document.addEventListener('click', (event) => { const item = event.target.closest?.('.item'); if (item) present(item.dataset.id); });
})();
`
