"""Tours (excursions, issue 11): the default tour of a gallery, the checks a tour's
stops must pass, narration by espeak-ng with its captions. The API is in
server/api/tours.py, storage in server/storage/tours.py; docs/tours.md."""
