// The "Groups" button of an event's hall and its dialog: the guided groups open
// now (name, guide, how many of how many places, full), Join or Leave; for a host,
// a form to start guiding a group (its name, places, the gallery's tour it follows).
// Names come from members: text only.

import { h, fill } from '../../dom.js';
import { t } from '../../i18n/i18n.js';
import { Dialog } from '../../a11y/dialog.js';
import { errorText } from '../../live/chat.js';

export class GroupList {
  /**
   * @param {import('./groupclient.js').GroupClient} groups
   * @param {{tours: () => Promise<object[]>, joined: (group: object) => void, error: (e: object) => void,
   *   hostMayGuide: boolean}} hooks hostMayGuide: the hall is one to guide a group in (a gallery)
   */
  constructor(groups, hooks) {
    this.groups = groups;
    this.hooks = hooks;
    this.dialog = null;
    this.button = h('button.button.group-button', {
      type: 'button', id: 'group-button', hidden: true, 'aria-haspopup': 'dialog', on: { click: () => this.open() },
    }, t('group.open'));
    const actions = document.getElementById('hud-actions');
    actions.insertBefore(this.button, document.getElementById('works-button'));
    groups.addEventListener('groups', () => this._changed());
    groups.addEventListener('mine', () => this._changed());
  }

  _changed() {
    // a visitor sees the button while there are groups; a host where it may start one
    const { enabled, groups, mine, isHost } = this.groups;
    this.button.hidden = !(enabled && (groups.length || mine || (isHost && this.hooks.hostMayGuide)));
    this.button.classList.toggle('in-group', Boolean(this.groups.mine));
    if (this.dialog?.isOpen) this.render();
  }

  open() {
    if (!this.dialog) {
      this.dialog = new Dialog({ title: t('group.list_title'), className: 'group-dialog' });
      this.list = h('ul.group-list');
      this.message = h('p.group-message', { hidden: true });
      this.form = this.groups.isHost ? this._buildForm() : null;
      this.dialog.body.append(this.list, this.message, ...(this.form ? [this.form] : []));
    }
    this.render();
    this.dialog.open(this.dialog.body.querySelector('button:not([disabled]), input'));
  }

  close() {
    this.dialog?.close();
  }

  render() {
    const { groups, mine } = this.groups;
    if (!groups.length) {
      fill(this.list, h('li.group-none', {}, t('group.none')));
    } else {
      fill(this.list, groups.map((g) => this._item(g, mine)));
    }
    if (this.form) this.form.hidden = Boolean(mine);
  }

  _item(g, mine) {
    const own = mine?.id === g.id;
    const places = h('span.group-places', {}, t('group.count', { count: g.count, cap: g.cap }));
    let action = null;
    if (own) {
      action = h('button.button.group-leave', { type: 'button', on: { click: () => this._leave() } },
        t(mine.role === 'guide' ? 'group.end' : 'group.leave'));
    } else if (this.groups.isHost && !mine) {
      action = null; // a host guides groups; it does not join them
    } else {
      action = h('button.button.button-primary.group-join', {
        type: 'button', disabled: g.full || Boolean(mine),
        'aria-label': t('group.join_named', { name: g.name }), on: { click: () => this._join(g) },
      }, t('group.join'));
    }
    return h('li.group-item', { dataset: { groupId: g.id } },
      h('span.group-name', { dir: 'auto' }, g.name),
      h('span.group-guide', {}, t('group.guide', { name: g.guide?.name ?? '' })),
      places,
      g.full ? h('span.group-full', {}, t('group.full')) : null,
      own ? h('span.group-yours', {}, t('group.yours')) : null,
      action);
  }

  async _join(g) {
    const ack = await this.groups.join(g.id);
    if (!ack.ok) return this._error(ack.error);
    this.close();
    this.hooks.joined(ack.group);
  }

  async _leave() {
    const ack = await this.groups.leave();
    if (!ack.ok) this._error(ack.error);
  }

  _error(error) {
    this.message.textContent = errorText(error);
    this.message.hidden = false;
    this.hooks.error(error);
  }

  _buildForm() {
    const name = h('input.group-name-input', {
      type: 'text', name: 'group-name', required: true, maxlength: 48, autocomplete: 'off',
      value: t('group.name_default', { name: this.groups.live.name }),
    });
    const cap = h('input.group-cap-input', {
      type: 'number', name: 'group-cap', min: 1, value: String(this.groups.defaultCap),
    });
    const tour = h('select.group-tour-select', { name: 'group-tour' },
      h('option', { value: '' }, t('group.no_tour')));
    this.hooks.tours().then((tours) => {
      for (const s of tours) tour.append(h('option', { value: s.id, lang: s.title_lang || null }, s.title));
      if (tours.length) tour.value = tours[0].id;
    });
    const submit = h('button.button.button-primary.group-create', { type: 'submit' }, t('group.create'));
    const form = h('form.group-form', {
      on: {
        submit: async (e) => {
          e.preventDefault();
          submit.disabled = true;
          const payload = { name: name.value.trim(), cap: Number(cap.value) || undefined };
          if (tour.value) payload.tour_id = tour.value;
          const ack = await this.groups.create(payload);
          submit.disabled = false;
          if (!ack.ok) return this._error(ack.error);
          this.message.hidden = true;
          this.close();
        },
      },
    },
    h('h3.group-form-title', {}, t('group.create_title')),
    h('label.group-field', {}, h('span', {}, t('group.name')), name),
    h('label.group-field', {}, h('span', {}, t('group.cap')), cap),
    h('label.group-field', {}, h('span', {}, t('group.tour')), tour),
    submit);
    return form;
  }
}
