// A tiny event emitter: the live modules talk to each other through it instead of
// importing each other, so each one stays testable and replaceable on its own.
export class Emitter {
  constructor() {
    this._handlers = new Map();
  }

  on(name, fn) {
    let list = this._handlers.get(name);
    if (!list) {
      list = [];
      this._handlers.set(name, list);
    }
    list.push(fn);
    return () => this.off(name, fn);
  }

  off(name, fn) {
    const list = this._handlers.get(name);
    if (!list) return;
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  }

  emit(name, ...args) {
    const list = this._handlers.get(name);
    if (!list) return;
    // Copy so a handler may unsubscribe itself while we iterate.
    for (const fn of list.slice()) {
      try {
        fn(...args);
      } catch (err) {
        console.warn(`live: handler for "${name}" failed`, err);
      }
    }
  }
}
