// Who is in the hall, instance by instance (`audience_overview`, host only),
// refreshed while the console is open.
import { h, fill } from '../dom.js';
import { formatNumber, t } from '../i18n/i18n.js';

const REFRESH_MS = 5000;

export class AudiencePanel {
  /** @param {HTMLElement} root @param {(name: string, payload: object) => Promise<object>} request */
  constructor(root, request) {
    this.root = root;
    this.request = request;
    this.total = h('p.audience-total', { role: 'status' });
    this.list = h('div.audience-instances');
    fill(root, this.total, this.list);
    this._timer = null;
  }

  start() {
    clearInterval(this._timer);
    this.refresh();
    this._timer = setInterval(() => { if (!document.hidden) this.refresh(); }, REFRESH_MS);
  }

  async refresh() {
    const view = await this.request('audience_overview', {});
    if (!view?.ok) return;
    this.total.textContent = t('host.audience_total', { count: view.total });
    fill(this.list, view.instances.map((instance) => h('details.audience-instance',
      { open: view.instances.length <= 3 },
      h('summary', {}, t('host.instance', { n: formatNumber(instance.index), count: instance.count,
        capacity: formatNumber(instance.capacity) })),
      h('ul.audience-members', {}, instance.members.map((m) => h('li.audience-member', {},
        h('bdi.audience-name', {}, m.name),
        m.host ? h('span.audience-tag', {}, t('host.tag_host')) : null,
        m.assistant ? h('span.audience-tag', {}, t('assistant.tag')) : null,
        m.muted ? h('span.audience-tag.audience-tag-muted', {}, t('host.tag_muted')) : null,
        m.seat ? h('span.audience-seat', {}, m.seat) : null))))));
  }
}
