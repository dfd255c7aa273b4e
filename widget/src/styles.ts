// Lives in the shadow root: the page's CSS cannot reach in, ours cannot leak out.
// Publishers theme through --nc-* custom properties set on the container (they inherit through the shadow boundary).
// Sizes are in em, never rem: rem follows the host page's root font size.
// Every rule uses logical properties so Arabic mirrors without a second stylesheet.
export const CSS = `
:host{display:block!important;contain:content}
.nc{--a:var(--nc-accent,#0b5cad);--o:var(--nc-on-accent,#fff);--t:var(--nc-text,#1b1f24);--m:var(--nc-muted,#545c67);--b:var(--nc-field-bg,#fff);--l:var(--nc-line,#c9ced6);--e:var(--nc-error,#b3261e);--s:var(--nc-surface,#eef1f4)
;all:initial;display:block;font:var(--nc-font-size,16px)/1.55 var(--nc-font,system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Arabic",Tahoma,sans-serif);color:var(--t);background:var(--nc-bg,transparent);text-align:start;padding:1em 0}
.nc.dark{--a:var(--nc-accent,#8cbcf5);--o:var(--nc-on-accent,#0d1b2a);--t:var(--nc-text,#e8eaed);--m:var(--nc-muted,#a6afbb);--b:var(--nc-field-bg,#1b1e22);--l:var(--nc-line,#3a4048);--e:var(--nc-error,#ff968c);--s:var(--nc-surface,#23272c)}
*{box-sizing:border-box;font:inherit}
h2{font-size:1.3em;font-weight:700;margin:0 0 .8em}
.bar{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;justify-content:space-between;margin-block:1.2em .5em}
ol{list-style:none;margin:0;padding:0}
li.c{border-block-start:1px solid var(--l);padding-block:.8em}
ol ol{margin-inline-start:clamp(.8em,4vw,2em);border-inline-start:2px solid var(--l);padding-inline-start:.8em}
ol ol li.c{border-block-start:0;padding-block:.5em}
.who{font-weight:700;overflow-wrap:anywhere}.meta{color:var(--m);font-size:.88em;display:flex;flex-wrap:wrap;gap:.1em .7em;align-items:baseline}
.body{white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0 .4em;unicode-bidi:plaintext}
.tag{font-size:.8em;font-weight:700;border-radius:1em;padding:0 .6em;background:var(--s);color:var(--a);border:1px solid var(--a)}
.mine{background:var(--s);border-radius:8px;padding-inline:.7em}
.tag.wait{color:var(--m);border-color:var(--m)}.tag.ok{color:var(--t);border-color:var(--l)}.gone{color:var(--m);font-style:italic}
button,select,input,textarea{font:inherit;color:var(--t);background:var(--b);border:1px solid var(--l);border-radius:6px}
button{cursor:pointer;padding:.45em .9em;min-height:2.4em}
button.p,[aria-pressed=true]{background:var(--a);border-color:var(--a);color:var(--o);font-weight:700}
button.link[aria-pressed=true]{background:none;color:var(--a);text-decoration:none}
.body a{color:var(--a)}
button.link{border:0;background:none;color:var(--a);padding:.2em 0;min-height:0;text-decoration:underline;white-space:nowrap}
button:disabled{opacity:.6;cursor:progress}
:focus-visible{outline:3px solid var(--a);outline-offset:2px}
form{display:grid;grid-template-columns:minmax(0,1fr);gap:.7em;margin-block:.6em 1em;max-inline-size:42em}
label,.f{display:grid;gap:.2em;font-weight:600;align-content:start}label.chk{display:flex;gap:.5em;font-weight:400;align-items:center}
input,textarea,select{padding:.5em .6em;inline-size:100%;font-weight:400}.chk>*{inline-size:auto}
textarea{min-block-size:7em;resize:vertical}
.row{display:grid;gap:.7em;grid-template-columns:repeat(auto-fit,minmax(min(14em,100%),1fr))}
.hint,.cnt{font-weight:400;color:var(--m);font-size:.85em}.cnt{justify-self:end}
.err{color:var(--e);font-weight:600;font-size:.9em}[aria-invalid=true]{border-color:var(--e)}
.msg{padding:.6em .8em;border-radius:6px;background:var(--s);border-inline-start:4px solid var(--a)}.msg.bad{border-inline-start-color:var(--e)}
.msg:empty{display:none}
.hp,.skip:not(:focus){position:absolute;inline-size:1px;block-size:1px;overflow:hidden;clip-path:inset(50%)}
.more{margin-block:.8em}
`
