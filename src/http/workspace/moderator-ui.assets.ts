// The styles of the moderation workspace, served as /moderate/assets/styles.css.

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
form.stack{display:grid;grid-template-columns:minmax(0,1fr);gap:.8rem;max-width:34rem}form.stack label{display:grid;grid-template-columns:minmax(0,1fr);gap:.2rem;font-weight:600}form.stack select{max-width:100%}
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
h1.page-title{font-size:1.2rem;margin:.8rem 1rem 0}main h1.page-title{margin-inline:0}
details.menu{position:relative}details.menu>summary{list-style:none;cursor:pointer;padding:.35rem .8rem;border:1px solid var(--line);border-radius:7px;min-height:2.2rem;display:inline-flex;align-items:center}
details.menu>summary::-webkit-details-marker{display:none}details.menu>summary::after{content:"▾";margin-inline-start:.4em}
.menu-body{display:grid;gap:.6rem;margin-top:.4rem;padding:.6rem;border:1px solid var(--line);border-radius:8px;background:var(--card);min-width:min(20rem,80vw)}
form.decision{display:flex;flex-wrap:wrap;gap:.3rem .5rem;align-items:end;margin:0}form.decision label{display:grid;gap:.15rem;font-size:.9em;flex:1 1 12rem;min-width:0}
form.decision input,form.decision select{min-width:0;width:100%}
#decision-note form.notice{display:flex;flex-wrap:wrap;gap:.3rem;align-items:center}#decision-note .notice button{min-height:1.8rem;padding:.1rem .6rem}
#decision-note:not(:empty){position:fixed;inset:auto 1rem 1rem;z-index:3;max-width:40rem;margin-inline:auto}#decision-note .notice{margin:0;box-shadow:0 4px 18px #0003}
.item{scroll-margin-block:5rem}
section.decisions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:start}details.fold{flex:1 1 14rem;min-width:0;border:1px solid var(--line);border-radius:8px;background:var(--card);padding:.3rem .6rem}
details.fold>summary{cursor:pointer;font-weight:600;min-height:2rem;display:flex;align-items:center}details.fold[open]>summary{margin-bottom:.4rem}
.table-wrap{overflow-x:auto;margin:.5rem 0;background:linear-gradient(to right,var(--bg) 30%,transparent) left/2rem 100% no-repeat local,linear-gradient(to left,var(--bg) 30%,transparent) right/2rem 100% no-repeat local,radial-gradient(farthest-side at 0 50%,#0004,transparent) left/.9rem 100% no-repeat scroll,radial-gradient(farthest-side at 100% 50%,#0004,transparent) right/.9rem 100% no-repeat scroll}
.table-wrap>table{display:table}.scroll-hint{display:none;margin:.3rem 0}@media (max-width:40rem){.scroll-hint{display:block}}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
@media (max-width:40rem){.chart{font-size:18px}}
@media (max-width:40rem){header{position:static}.actions button{flex:1 1 auto}.item{padding:.6rem .7rem}.item .meta{gap:.1rem .6rem;font-size:.85em}.actions input[name=note]{order:3;flex:1 1 100%}.actions form{flex:1 1 auto}.reasons li{padding:0 .35rem}.item .body{margin:.35rem 0}}
@media (max-width:40rem),(pointer:coarse){.keys{display:none}}
`
