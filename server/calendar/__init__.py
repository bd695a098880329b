"""The programme as iCalendar feeds (:mod:`.feed`) that calendar apps subscribe to."""
