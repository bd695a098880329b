import json
import logging

from server.logging import JsonFormatter, TextFormatter


def record_with_extra() -> logging.LogRecord:
    logger = logging.getLogger("zal.test")
    return logger.makeRecord(
        "zal.test",
        logging.INFO,
        __file__,
        1,
        "venue %s ready",
        ("gallery",),
        None,
        extra={"venue": "gallery", "build_s": 0.25},
    )


def test_json_log_line_carries_message_and_extra_fields():
    line = JsonFormatter().format(record_with_extra())
    doc = json.loads(line)
    assert doc["msg"] == "venue gallery ready"
    assert doc["level"] == "INFO" and doc["logger"] == "zal.test"
    assert doc["venue"] == "gallery" and doc["build_s"] == 0.25
    assert doc["ts"].endswith("Z")


def test_text_log_line_ends_with_key_value_fields():
    line = TextFormatter().format(record_with_extra())
    assert line.endswith("venue gallery ready venue=gallery build_s=0.25")
