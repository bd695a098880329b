"""Server-made text (API error messages, the HTML error page) in every language.

Keys are API error ``code``s (a generic message for the code) or ``code.detail``
for a more precise one; ``{name}`` placeholders are filled by :func:`text`.
Every key has all of :data:`server.i18n.SUPPORTED` (a test checks it); a
translation may leave out placeholders the English has (e.g. a library's English
detail), never add one.
"""

from __future__ import annotations

import string

from . import FALLBACK_ORDER

CATALOGUE: dict[str, dict[str, str]] = {
    # --- one per error code ------------------------------------------------------
    "bad_request": {
        "en": "bad request",
        "ru": "Неверный запрос",
        "tt": "Сорау дөрес түгел",
    },
    "invalid_parameter": {
        "en": "invalid query parameter",
        "ru": "Неверный параметр запроса",
        "tt": "Сорау параметры дөрес түгел",
    },
    "unsupported_language": {
        "en": "unsupported language '{value}'; use one of: {supported}",
        "ru": "Язык «{value}» не поддерживается; можно: {supported}",
        "tt": "«{value}» теле юк; сайлап була: {supported}",
    },
    "unauthorized": {
        "en": "Unauthorized",
        "ru": "Нужно войти",
        "tt": "Керергә кирәк",
    },
    "forbidden": {
        "en": "Forbidden",
        "ru": "Доступ запрещён",
        "tt": "Керү тыелган",
    },
    # accounts and roles (server/auth)
    "unauthorized.missing": {
        "en": "sign in, or send Authorization: Bearer <token>",
        "ru": "Войдите или передайте Authorization: Bearer <токен>",
        "tt": "Керегез яки Authorization: Bearer <токен> җибәрегез",
    },
    "unauthorized.invalid": {
        "en": "the token or session is wrong, expired or revoked",
        "ru": "Токен или сеанс неверен, истёк или отозван",
        "tt": "Токен яки сеанс дөрес түгел, вакыты чыккан яки кире алынган",
    },
    "forbidden.role": {
        "en": "this token may not do that for this institution",
        "ru": "С этим токеном нельзя делать это для этой организации",
        "tt": "Бу токен белән бу оешма өчен моны эшләп булмый",
    },
    "cross_site": {
        "en": "a write from another site is refused",
        "ru": "Запись с другого сайта отклонена",
        "tt": "Башка сайттан язу кире кагылды",
    },
    "invalid_body": {
        "en": "the request body is not valid",
        "ru": "Тело запроса заполнено неверно",
        "tt": "Сорау эчтәлеге дөрес тутырылмаган",
    },
    "forbidden.host_token": {
        "en": "only this event's host token may do that",
        "ru": "Это можно сделать только с токеном ведущего этого мероприятия",
        "tt": "Моны бу чараның алып баручы токены белән генә эшләп була",
    },
    "not_found": {
        "en": "not found",
        "ru": "Не найдено",
        "tt": "Табылмады",
    },
    "method_not_allowed": {
        "en": "Method Not Allowed",
        "ru": "Этот метод не разрешён",
        "tt": "Бу ысул рөхсәт ителми",
    },
    "not_acceptable": {
        "en": "Not Acceptable",
        "ru": "Нет ответа в нужном формате",
        "tt": "Кирәкле форматта җавап юк",
    },
    "payload_too_large": {
        "en": "Payload Too Large",
        "ru": "Запрос слишком большой",
        "tt": "Сорау артык зур",
    },
    "unsupported_media_type": {
        "en": "Unsupported Media Type",
        "ru": "Этот тип данных не поддерживается",
        "tt": "Бу мәгълүмат төре кабул ителми",
    },
    "too_many_requests": {
        "en": "Too Many Requests",
        "ru": "Слишком много запросов",
        "tt": "Сораулар артык күп",
    },
    "unavailable": {
        "en": "Service Unavailable",
        "ru": "Сервис временно недоступен",
        "tt": "Хезмәт вакытлыча эшләми",
    },
    "client_missing": {
        "en": "web client page {name} is not installed",
        "ru": "Страница веб-клиента {name} не установлена",
        "tt": "{name} веб-клиент бите урнаштырылмаган",
    },
    # --- live streams (server/media/live, docs/hosts-live-stream.md) ---------------
    "invalid_stream": {
        "en": "This stream cannot be used",
        "ru": "Этот поток нельзя использовать",
        "tt": "Бу агымны кулланып булмый",
    },
    "invalid_stream_url": {
        "en": "The stream URL must be an http:// or https:// address",
        "ru": "Адрес потока должен начинаться с http:// или https://",
        "tt": "Агым адресы http:// яки https:// белән башланырга тиеш",
    },
    "origin_not_allowed": {
        "en": "Streams from {origin} are not allowed on this server "
        "(its operator lists the allowed sites in ZAL_MEDIA_ORIGINS)",
        "ru": "Потоки с {origin} на этом сервере не разрешены "
        "(разрешённые сайты администратор перечисляет в ZAL_MEDIA_ORIGINS)",
        "tt": "{origin} сайтыннан агымнар бу серверда рөхсәт ителми "
        "(рөхсәт ителгән сайтларны администратор ZAL_MEDIA_ORIGINS эчендә күрсәтә)",
    },
    "not_hls": {
        "en": "This address is not an HLS stream (no #EXTM3U playlist there)",
        "ru": "По этому адресу нет HLS-потока (нет плейлиста #EXTM3U)",
        "tt": "Бу адреста HLS агымы юк (#EXTM3U плейлисты табылмады)",
    },
    "not_hls.playlist_name": {
        "en": "An HLS stream's URL ends in .m3u8",
        "ru": "Адрес HLS-потока оканчивается на .m3u8",
        "tt": "HLS агымының адресы .m3u8 белән тәмамлана",
    },
    "stream_unreachable": {
        "en": "The stream URL answered {status}; check the address and that the stream is on",
        "ru": "Адрес потока ответил {status}; проверьте адрес и что трансляция идёт",
        "tt": "Агым адресы {status} дип җавап бирде; адресны һәм трансляциянең баруын тикшерегез",
    },
    "stream_unreachable.no_answer": {
        "en": "The stream URL did not answer; check the address and that the stream is on",
        "ru": "Адрес потока не ответил; проверьте адрес и что трансляция идёт",
        "tt": "Агым адресы җавап бирмәде; адресны һәм трансляциянең баруын тикшерегез",
    },
    "stream_key_unknown": {
        "en": "Unknown stream key",
        "ru": "Неизвестный ключ трансляции",
        "tt": "Трансляциянең мондый ачкычы юк",
    },
    "invalid_parameter.json": {
        "en": "The request body must be JSON",
        "ru": "Тело запроса должно быть в формате JSON",
        "tt": "Сорау эчтәлеге JSON форматында булырга тиеш",
    },
    # --- the kind of an event, drawn on its poster (server/posters.py) --------------
    "poster.kind.concert": {"en": "Concert", "ru": "Концерт", "tt": "Концерт"},
    "poster.kind.performance": {"en": "Performance", "ru": "Спектакль", "tt": "Спектакль"},
    "poster.kind.lecture": {"en": "Lecture", "ru": "Лекция", "tt": "Лекция"},
    "poster.kind.masterclass": {"en": "Master class", "ru": "Мастер-класс", "tt": "Остаханә"},
    "poster.kind.qa": {
        "en": "Questions & answers",
        "ru": "Вопросы и ответы",
        "tt": "Сораулар һәм җаваплар",
    },
    "poster.kind.excursion": {"en": "Guided tour", "ru": "Экскурсия", "tt": "Экскурсия"},
    "http_error": {
        "en": "HTTP error",
        "ru": "Ошибка HTTP",
        "tt": "HTTP хатасы",
    },
    "internal_error": {
        "en": "internal server error",
        "ru": "Внутренняя ошибка сервера",
        "tt": "Серверның эчке хатасы",
    },
    # --- stage media (server/media, docs/media.md) -----------------------------------
    "not_media": {
        "en": "This file is not audio or video",
        "ru": "Этот файл не аудио и не видео",
        "tt": "Бу файл аудио да, видео да түгел",
    },
    "corrupt_media": {
        "en": "The file is damaged or cut short",
        "ru": "Файл повреждён или обрезан",
        "tt": "Файл бозылган яки өзелеп калган",
    },
    "empty_file": {
        "en": "The file is empty",
        "ru": "Файл пустой",
        "tt": "Файл буш",
    },
    # collection uploads (server/collections): the problems name rows and files
    "bad_collection": {
        "en": "The collection cannot be hung: {problems}",
        "ru": "Коллекцию нельзя развесить: {problems}",
        "tt": "Коллекцияне элеп булмый: {problems}",
    },
    # scene uploads (server/scene_uploads): the precise English text names the
    # rule and the numbers; these are the texts in every language
    "scene_refused": {
        "en": "the model was refused",
        "ru": "Модель не принята",
        "tt": "Модель кабул ителмәде",
    },
    "bad_layout": {
        "en": "the spawn points or the screen are not inside the venue",
        "ru": "Точки появления или экран находятся за пределами зала",
        "tt": "Пәйда булу урыннары яки экран зал эчендә түгел",
    },
    "bad_layout.spawn_off_floor": {
        "en": "spawn point '{id}' at {position} is outside the venue's walkable floor",
        "ru": "Точка появления «{id}» в {position} — вне пола зала, по которому можно ходить",
        "tt": "«{id}» пәйда булу урыны {position} — залның йөреп була торган идәненнән читтә",
    },
    "bad_layout.spawn_facing": {
        "en": "spawn point '{id}' must face along the floor, not straight up or down",
        "ru": "Точка появления «{id}» должна смотреть вдоль пола, а не вверх или вниз",
        "tt": "«{id}» пәйда булу урыны өскә яки аска түгел, идән буйлап карарга тиеш",
    },
    "bad_layout.duplicate_spawn": {
        "en": "two spawn points are called '{id}'; give each its own name",
        "ru": "Две точки появления называются «{id}»; дайте каждой своё имя",
        "tt": "Ике пәйда булу урыны «{id}» дип атала; һәрберсенә үз исемен бирегез",
    },
    "bad_layout.screen_outside": {
        "en": (
            "the screen centred at {center} reaches outside the venue at {point}; "
            "the venue spans {low} to {high}"
        ),
        "ru": (
            "Экран с центром в {center} выходит за пределы зала в точке {point}; "
            "границы зала: {low} – {high}"
        ),
        "tt": (
            "Үзәге {center} булган экран {point} ноктасында залдан чыга; "
            "зал чикләре: {low} – {high}"
        ),
    },
    "bad_layout.screen_direction": {
        "en": "the screen's normal and up must be directions at right angles to each other",
        "ru": "Нормаль экрана и его направление вверх должны быть перпендикулярны",
        "tt": "Экранның нормале белән өскә юнәлеше үзара перпендикуляр булырга тиеш",
    },
    "bad_layout.screen_corners": {
        "en": (
            "the screen's corners do not match its centre, width and height; "
            "leave them out and they are worked out"
        ),
        "ru": (
            "Углы экрана не совпадают с его центром, шириной и высотой; "
            "не передавайте их, и они будут вычислены"
        ),
        "tt": (
            "Экранның почмаклары аның үзәгенә, киңлегенә һәм биеклегенә туры килми; "
            "аларны җибәрмәгез, алар исәпләп чыгарылыр"
        ),
    },
    "venue_taken": {
        "en": "This venue id is taken; choose another",
        "ru": "Такой идентификатор площадки уже занят; выберите другой",
        "tt": "Мондый мәйдан идентификаторы инде алынган; башкасын сайлагыз",
    },
    "media_too_long": {
        "en": "The recording is too long (at most {max} s)",
        "ru": "Запись слишком длинная (не больше {max} с)",
        "tt": "Язма артык озын ({max} с тан артык түгел)",
    },
    "too_many_pages": {
        "en": "Too many pages (at most {max})",
        "ru": "Слишком много страниц (не больше {max})",
        "tt": "Битләр артык күп ({max} дән артык түгел)",
    },
    "image_too_large": {
        "en": "The image is too large",
        "ru": "Изображение слишком большое",
        "tt": "Рәсем артык зур",
    },
    "not_slides": {
        "en": "Slides must be a PDF, PNG or JPEG file",
        "ru": "Слайды должны быть файлом PDF, PNG или JPEG",
        "tt": "Слайдлар PDF, PNG яки JPEG файлы булырга тиеш",
    },
    "transcode_failed": {
        "en": "The recording could not be converted",
        "ru": "Не удалось преобразовать запись",
        "tt": "Язманы үзгәртеп булмады",
    },
    "media_timeout": {
        "en": "Processing the file took too long",
        "ru": "Обработка файла заняла слишком много времени",
        "tt": "Файлны эшкәртү артык озакка сузылды",
    },
    "media_failed": {
        "en": "The file could not be processed",
        "ru": "Не удалось обработать файл",
        "tt": "Файлны эшкәртеп булмады",
    },
    "too_many_files": {
        "en": "Too many files (at most {max})",
        "ru": "Слишком много файлов (не больше {max})",
        "tt": "Файллар артык күп ({max} дән артык түгел)",
    },
    "interrupted": {
        "en": "Processing was interrupted by a server restart; upload the file again",
        "ru": "Обработку прервал перезапуск сервера; загрузите файл ещё раз",
        "tt": "Эшкәртүне сервер яңадан башлануы өзде; файлны тагын бер тапкыр йөкләгез",
    },
    # --- precise messages ----------------------------------------------------------
    "invalid_parameter.value": {
        "en": "{name}: {detail}",
        "ru": "Недопустимое значение параметра «{name}»",
        "tt": "«{name}» параметрының кыйммәте дөрес түгел",
    },
    "invalid_parameter.unknown": {
        "en": "{name}: unknown parameter",
        "ru": "Неизвестный параметр «{name}»",
        "tt": "«{name}» дигән параметр билгесез",
    },
    "invalid_parameter.repeated": {
        "en": "each query parameter may appear once",
        "ru": "Каждый параметр запроса можно указать только один раз",
        "tt": "Һәр сорау параметры бер генә тапкыр күрсәтелә ала",
    },
    "not_found.venue": {
        "en": "no venue '{id}'",
        "ru": "Площадки «{id}» нет",
        "tt": "«{id}» мәйданчыгы юк",
    },
    "event_clash": {
        "en": (
            "the venue already has '{title}' ({id}) from {starts} to {ends}: "
            "choose another time or venue"
        ),
        "ru": (
            "В это время на площадке уже идёт «{title}» ({id}), с {starts} до {ends}: "
            "выберите другое время или площадку"
        ),
        "tt": (
            "Бу вакытта мәйданчыкта «{title}» ({id}) бара, {starts} – {ends}: "
            "башка вакыт яки мәйданчык сайлагыз"
        ),
    },
    "not_found.institution": {
        "en": "no institution '{id}'",
        "ru": "Учреждения «{id}» нет",
        "tt": "«{id}» учреждениесе юк",
    },
    "not_found.event": {
        "en": "no event '{id}'",
        "ru": "Мероприятия «{id}» нет",
        "tt": "«{id}» чарасы юк",
    },
    "not_found.course": {
        "en": "no course '{id}'",
        "ru": "Курса «{id}» нет",
        "tt": "«{id}» курсы юк",
    },
    "not_found.course_page": {
        "en": "There is no course '{id}'. The lobby lists every course.",
        "ru": "Курса «{id}» нет. Все курсы перечислены в фойе.",
        "tt": "«{id}» курсы юк. Барлык курслар фойеда күрсәтелгән.",
    },
    "not_found.file": {
        "en": "no such file",
        "ru": "Такого файла нет",
        "tt": "Мондый файл юк",
    },
    "not_found.package": {
        "en": "no package '{name}'",
        "ru": "Пакета «{name}» нет",
        "tt": "«{name}» пакеты юк",
    },
    "not_found.media": {
        "en": "no media '{id}'",
        "ru": "Медиафайла «{id}» нет",
        "tt": "«{id}» медиафайлы юк",
    },
    "payload_too_large.limit": {
        "en": "The file is too large (at most {max} bytes)",
        "ru": "Файл слишком большой (не больше {max} байт)",
        "tt": "Файл артык зур ({max} байттан артык түгел)",
    },
    "not_found.venue_page": {
        "en": "There is no venue called '{id}'. The lobby lists every hall.",
        "ru": "Площадки «{id}» нет. Все залы перечислены в фойе.",
        "tt": "«{id}» исемле мәйданчык юк. Барлык заллар фойеда күрсәтелгән.",
    },
    "not_found.event_at_venue": {
        "en": "There is no event '{id}' at this venue.",
        "ru": "На этой площадке нет мероприятия «{id}».",
        "tt": "Бу мәйданчыкта «{id}» чарасы юк.",
    },
    # --- the HTML error page -----------------------------------------------------
    "page.title.404": {
        "en": "This page is not in our programme",
        "ru": "Этой страницы нет в нашей программе",
        "tt": "Бу бит безнең программада юк",
    },
    "page.title.500": {
        "en": "Something went wrong backstage",
        "ru": "За кулисами что-то пошло не так",
        "tt": "Сәхнә артында нәрсәдер дөрес бармады",
    },
    "page.title.other": {
        "en": "This did not work",
        "ru": "Не получилось",
        "tt": "Барып чыкмады",
    },
    "page.back": {
        "en": "Back to the lobby",
        "ru": "Вернуться в фойе",
        "tt": "Фойега кайту",
    },
    # tours and audio guides (issue 11, server/api/tours.py)
    "invalid_tour": {
        "en": "the tour does not fit its venue",
        "ru": "Экскурсия не подходит к своему залу",
        "tt": "Экскурсия үз залына туры килми",
    },
    "invalid_tour.exhibit": {
        "en": "stop {stop}: exhibit '{exhibit}' is not in this gallery",
        "ru": "Остановка {stop}: экспоната «{exhibit}» нет в этой галерее",
        "tt": "{stop} тукталыш: «{exhibit}» экспонаты бу галереядә юк",
    },
    "invalid_tour.place": {
        "en": "stop {stop}: the place {place} is not on the venue's walkable floor",
        "ru": "Остановка {stop}: место {place} не на полу зала, где можно ходить",
        "tt": "{stop} тукталыш: {place} урыны залның йөреп була торган идәнендә түгел",
    },
    "invalid_tour.narration": {
        "en": "stop {stop}: the narration in {language} has {chars} characters; "
        "the speech limit is {limit}",
        "ru": "Остановка {stop}: рассказ на языке {language} длиной {chars} знаков; "
        "синтез речи читает не больше {limit}",
        "tt": "{stop} тукталыш: {language} телендәге сөйләм {chars} билге; "
        "сөйләм синтезы {limit} билгедән артык укымый",
    },
    "invalid_tour.stop_twice": {
        "en": "stop {stop}: stop id '{id}' is in the tour twice",
        "ru": "Остановка {stop}: идентификатор «{id}» встречается в экскурсии дважды",
        "tt": "{stop} тукталыш: «{id}» идентификаторы экскурсиядә ике тапкыр бар",
    },
    "invalid_tour.audio": {
        "en": "not an MP3, Ogg or M4A audio file",
        "ru": "Это не аудиофайл MP3, Ogg или M4A",
        "tt": "Бу MP3, Ogg яки M4A аудиофайлы түгел",
    },
    "not_found.tour": {
        "en": "no tour '{id}'",
        "ru": "Экскурсии «{id}» нет",
        "tt": "«{id}» экскурсиясе юк",
    },
    "not_found.tour_stop": {
        "en": "the tour has no stop '{stop}'",
        "ru": "В экскурсии нет остановки «{stop}»",
        "tt": "Экскурсиядә «{stop}» тукталышы юк",
    },
    "not_found.default_tour": {
        "en": "venue '{id}' hangs no works, so it has no default tour",
        "ru": "В зале «{id}» нет работ, поэтому нет и экскурсии по умолчанию",
        "tt": "«{id}» залында әсәрләр юк, шуңа күрә гадәттәге экскурсия дә юк",
    },
}


class _Keep(dict):
    """Format mapping that leaves an unknown ``{name}`` as it is."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def has(key: str) -> bool:
    return key in CATALOGUE


def text(key: str, lang: str, **params: object) -> str:
    """The message ``key`` in ``lang`` (else along the fallback order), filled in.

    An unknown ``key`` falls back to its code (the part before the first dot)."""
    entry = CATALOGUE.get(key) or CATALOGUE.get(key.split(".", 1)[0]) or CATALOGUE["http_error"]
    template = next(
        (entry[c] for c in (lang, *FALLBACK_ORDER) if c in entry), next(iter(entry.values()))
    )
    return template.format_map(_Keep({k: str(v) for k, v in params.items()}))
