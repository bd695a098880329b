// A modal dialog on the native <dialog> element: showModal() keeps focus inside
// it while open (the only intended focus trap on the page), Escape closes it, and
// on closing the browser puts focus back where it was (the button that opened it).
// A click on the backdrop closes it too.
import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';

let count = 0;

export class Dialog {
  /**
   * @param {{title: string, className?: string}} options title: already translated
   */
  constructor({ title, className = '' }) {
    const titleId = 'dialog-title-' + ++count;
    this.title = h('h2.dialog-title', { id: titleId }, title);
    this.closeButton = h('button.dialog-close', {
      type: 'button', 'aria-label': t('a11y.close'), title: t('a11y.close'),
      on: { click: () => this.close() },
    }, h('span', { 'aria-hidden': 'true' }, '×'));
    this.body = h('div.dialog-body');
    this.node = h('dialog.dialog' + (className ? '.' + className : ''), { 'aria-labelledby': titleId },
      h('header.dialog-head', {}, this.title, this.closeButton),
      this.body);
    // keys pressed in a dialog are the dialog's: WASD and arrows must not walk
    // the visitor around the hall behind it (the hall listens on window)
    for (const type of ['keydown', 'keyup']) this.node.addEventListener(type, (e) => e.stopPropagation());
    this.node.addEventListener('click', (e) => {
      if (e.target === this.node) this.close(); // the backdrop, not the content
    });
    document.body.appendChild(this.node);
  }

  get isOpen() {
    return this.node.open;
  }

  open(focus = null) {
    if (!this.node.open) this.node.showModal();
    (focus || this.closeButton).focus();
  }

  close() {
    if (this.node.open) this.node.close();
  }

  /** Call fn() each time the dialog closes. */
  onClose(fn) {
    this.node.addEventListener('close', fn);
  }
}
