// attachGroups(view, live): live-guided tour groups in an event's hall (issue 11,
// docs/tours.md, docs/PROTOCOL.md 4.12). Residents see the open groups under
// "Groups" and join one; a host guides one from its console. Members glide to the
// guide when it gathers them, keep near it while it has them follow, see its
// pointer, go to the stop it brings them to (the narration plays with captions) and
// talk in the group's own chat. Exposed at window.__zalGroups for tests.

import { t } from '../../i18n/i18n.js';
import { announce } from '../../a11y/announce.js';
import { followInstanceChanges } from '../../live/instance.js';
import { GroupChat } from './groupchat.js';
import { GroupClient } from './groupclient.js';
import { GroupList } from './grouplist.js';
import { GroupMotion } from './motion.js';
import { GroupPanel } from './grouppanel.js';
import { GroupTour } from './grouptour.js';
import { GuideConsole } from './guideconsole.js';
import { GuidePointer, PointerMarker } from './pointer.js';

const ENDED = { ended: 'group.ended', guide_left: 'group.ended_guide_left', left: 'group.left' };

/**
 * @param {import('../../venue/view.js').VenueView} view
 * @param {import('../../live/live.js').Live} live
 */
export function attachGroups(view, live) {
  followInstanceChanges(live); // joining a group may move us to the guide's copy of the hall
  const groups = new GroupClient(live);
  const tour = new GroupTour(view);
  const motion = new GroupMotion(view, live);
  const marker = new PointerMarker(view);
  const works = new Set((view.metadata.exhibits || []).filter((e) => e.image_url).map((e) => e.id));
  const cards = {
    hasCard: (id) => works.has(id),
    openCard: (id) => view.dispatchEvent(new CustomEvent('exhibit', { detail: { exhibitId: id } })),
  };
  const pointer = new GuidePointer(view, async (point) => {
    const ack = await groups.pointer(point);
    if (ack.ok) marker.show(point);
    else guide.error(ack.error);
  });
  const panel = new GroupPanel(groups, tour, cards);
  const guide = new GuideConsole(groups, pointer, (index) => tour.go(groups.mine?.tour_id, index));
  const chat = new GroupChat(live.chat, live.conn);
  const list = new GroupList(groups, {
    tours: () => tour.list(),
    joined: (group) => announce(t('group.joined', { name: group.name })),
    error: () => {},
    hostMayGuide: view.venue.kind === 'gallery',
  });

  groups.addEventListener('mine', (e) => {
    const mine = groups.mine;
    panel.show(mine?.role === 'member' ? mine : null);
    guide.show(mine?.role === 'guide' ? mine : null);
    chat.setInGroup(Boolean(mine));
    if (!mine) {
      motion.stop();
      marker.show(null);
      tour.end();
      const key = ENDED[e.detail?.reason];
      if (key) live.chat.showNotice(t(key));
      return;
    }
    marker.show(mine.pointer);
    if (mine.role === 'member') motion.setFollow(mine.follow, mine.guide?.member_id);
    // a late joiner (or a resumed one) goes to the stop the group is at
    const at = tour.player && tour.tourId === mine.tour_id ? tour.player.index : -1;
    if (mine.tour_id && mine.stop !== null && mine.stop !== undefined && at !== mine.stop) {
      tour.go(mine.tour_id, mine.stop);
    }
  });
  groups.addEventListener('groups', () => {
    if (groups.isGuide) guide.show(groups.mine);
  });
  groups.addEventListener('gathered', (e) => {
    motion.gathered(e.detail);
    announce(t('group.gathering'));
  });
  groups.addEventListener('follow', (e) => {
    motion.setFollow(e.detail.on, e.detail.guide?.member_id);
    panel.setFollowing(e.detail.on);
  });
  groups.addEventListener('pointer', (e) => marker.show(e.detail.point));
  groups.addEventListener('stop', (e) => {
    motion.awaitGuide(); // while the tour loads
    tour.go(e.detail.tour_id, e.detail.index);
  });
  // at the stop: following waits for the guide to come there too
  tour.addEventListener('stop', () => motion.awaitGuide(tour.stop.position));
  groups.addEventListener('history', (e) => chat.addHistory(e.detail));

  const api = { groups, tour, motion, marker, pointer, panel, guide, chat, list };
  window.__zalGroups = api;
  return api;
}
