// Small DOM helpers. Text always goes in as text nodes, never as HTML, so names and titles
// typed by people can never become markup.

/**
 * Creates an element: el('li', { class: 'member', 'aria-label': 'x' }, 'text', childNode).
 * Attributes set to false, null or undefined are left out; true gives an empty attribute.
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** document.getElementById that fails loudly when a page lacks an element a module needs. */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`colead: the page has no element #${id}`);
  return node;
}

/** Shows a field's error message and marks the field invalid, or clears both. */
export function setFieldError(input, errorNode, message) {
  if (message) {
    errorNode.textContent = message;
    errorNode.hidden = false;
    input.setAttribute('aria-invalid', 'true');
  } else {
    errorNode.textContent = '';
    errorNode.hidden = true;
    input.removeAttribute('aria-invalid');
  }
}

/** Shows `text` in a panel's message line (role="alert"), or hides the line when empty. */
export function setMessage(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
}

/** A button with an id: button('meeting-pause', 'Pause'), or { class, type } for others. */
export function button(id, words, { class: className = 'button', type = 'button' } = {}) {
  return el('button', { type, class: className, id }, words);
}

/** A row of a button and, beside it, a status line (role="status") saying what it did. */
export function buttonWithStatus(rowClass, buttonNode, statusId) {
  return el('div', { class: rowClass }, buttonNode,
            el('span', { id: statusId, class: 'hint', role: 'status' }));
}
