// The server's validation errors (problem `errors[].pointer`) shown at the
// field each one concerns, not in a list far from it: a form registers its
// fields under JSON pointers ('/name', '/rules/0/hours'), and each error
// goes to the field with the longest pointer that is a prefix of its own
// ('/rules/0/vehicle_classes/2' lands at '/rules/0/vehicle_classes').
// What no field claims is returned, for the form's own message area.
import {h} from '../dom.js';

export function fieldErrors() {
  const fields = new Map(); // pointer -> {box, input}
  let shown = [];
  return {
    add(pointer, box, input) { fields.set(pointer, {box, input}); return box; },
    reset() {
      for (const {el, input} of shown) {
        el.remove();
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      }
      shown = [];
      fields.clear();
    },
    clear() {
      for (const {el, input} of shown) { el.remove(); input.removeAttribute('aria-invalid'); input.removeAttribute('aria-describedby'); }
      shown = [];
    },
    // Shows errors; returns those no field took. Focus goes to the first.
    show(errors) {
      this.clear();
      const rest = [];
      let first = null;
      for (const e of errors || []) {
        const p = e.pointer || '';
        let best = null;
        for (const k of fields.keys()) {
          if ((p === k || p.startsWith(`${k}/`)) && (!best || k.length > best.length)) best = k;
        }
        if (best === null) { rest.push(e); continue; }
        const {box, input} = fields.get(best);
        const id = `err${shown.length}-${Math.random().toString(36).slice(2, 8)}`;
        const el = h('p.field-error', {id, role: 'alert'}, e.message);
        box.append(el);
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', id);
        shown.push({el, input});
        if (!first) first = input;
      }
      if (first) first.focus();
      return rest;
    },
  };
}
