// Building the page: every piece of text goes in as a text node
// (textContent), never as HTML, so a zone named "<img src=x onerror=...>"
// shows as those characters.

// h('tag.class', {attr: value, onclick: fn}, child, ...): an element.
// Children are elements, strings (text), numbers, or null (skipped).
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'required' || k === 'selected') el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

let ids = 0;
// A labelled form field: {label, input} where input gets an id the label names.
export function field(label, input, hint) {
  const id = input.id || `f${++ids}`;
  input.id = id;
  return h('div.field', null, h('label', {for: id}, label), input,
           hint ? h('small.hint', null, hint) : null);
}
