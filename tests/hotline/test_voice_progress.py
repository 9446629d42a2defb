"""查询进度 by phone: key 8 reads where the caller's own requests stand, then offers 0."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from fastapi.testclient import TestClient

from dispatch.database import Database
from hotline.voice.script import IvrConfigError, parse_script
from tests.builders.desk import leader, operator
from tests.hotline.lookups import call_record, order_count
from tests.hotline.twilio_builders import Call, twiml

IVR_YAML = Path(__file__).parents[2] / "config" / "ivr.yaml"


def said(root: ElementTree.Element) -> list[str]:
    return [s.text or "" for s in root.iter("Say")]


def _accepted_fire_lane(client: TestClient) -> str:
    number = str(operator(client).create_order()["number"])  # the caller is +8613812345678
    assert leader(client, "jindi").act(number, "accept").status_code == 200
    return number


def _asks_after_the_fire_lane(client: TestClient, **asked: str) -> tuple[Call, ElementTree.Element]:
    """The fire-lane caller, whose order jindi accepted, asks at the menu: what they heard."""
    number = _accepted_fire_lane(client)
    call = Call(client)
    heard = twiml(call.post("menu", **asked))
    assert f"{number} 消防通道堵塞：金地物业已签收，正在处理" in said(heard)
    return call, heard


def test_caller_presses_8_and_hears_that_jindi_property_is_on_it(
    client: TestClient, db: Database
) -> None:
    call, heard = _asks_after_the_fire_lane(client, Digits="8")
    gather = heard.find("Gather")
    assert gather is not None and gather.get("numDigits") == "1"
    assert gather.get("action") == "https://hotline.example.gov.cn/hotline/voice/menu"
    assert "请按0" in "".join(said(gather))
    assert heard.find("Hangup") is not None  # no key: a polite goodbye, not the queue
    assert order_count(db) == 1
    record = call_record(db, call.sid)
    assert record is not None and (record.step, record.order_id) == ("progress", None)

    assert twiml(call.post("menu", Digits="0")).find("Enqueue") is not None


def test_an_english_caller_hears_the_status_in_english(client: TestClient) -> None:
    number = _accepted_fire_lane(client)
    call = Call(client)
    call.post("menu", Digits="9")
    heard = twiml(call.post("menu", Digits="8"))
    line = f"{number}, Fire lane blocked: Jindi Property Management has taken it on"
    assert any(s.startswith(line) for s in said(heard))
    assert all(s.get("language") == "en-US" for s in heard.iter("Say"))


def test_a_caller_with_nothing_on_record_is_told_so_and_offered_an_operator(
    client: TestClient, db: Database
) -> None:
    heard = twiml(Call(client, caller="+8613812340066").post("menu", Digits="8"))
    assert any("没有查到" in s for s in said(heard))
    assert heard.find("Gather") is not None
    assert order_count(db) == 0


def test_a_withheld_number_cannot_be_looked_up_and_is_offered_an_operator(
    client: TestClient, db: Database
) -> None:
    _accepted_fire_lane(client)
    call = Call(client, caller="anonymous")
    heard = twiml(call.post("menu", Digits="8"))
    assert any("无法查询" in s for s in said(heard))
    assert not any("WO-" in s for s in said(heard))
    gather = heard.find("Gather")
    assert gather is not None and "请按0" in "".join(said(gather))
    assert order_count(db) == 1


def test_a_misspelt_placeholder_in_the_progress_lines_stops_the_start() -> None:
    raw = yaml.safe_load(IVR_YAML.read_text(encoding="utf-8"))
    raw["progress"]["lines"]["en-US"]["dispatched"] = "{number}: sent to {teem}"
    with pytest.raises(IvrConfigError, match="teem"):
        parse_script(raw)


def test_caller_who_says_she_wants_the_progress_hears_it_instead_of_making_a_request(
    client: TestClient, db: Database
) -> None:
    call, _ = _asks_after_the_fire_lane(client, SpeechResult="喂，我想查询一下进度。")
    assert order_count(db) == 1
    record = call_record(db, call.sid)
    assert record is not None and (record.step, record.order_id) == ("progress", None)


def test_an_english_caller_may_ask_for_the_status_aloud(client: TestClient) -> None:
    number = _accepted_fire_lane(client)
    call = Call(client)
    call.post("menu", Digits="9")
    heard = twiml(call.post("menu", SpeechResult="Hi, could you check my request?"))
    assert any(s.startswith(f"{number}, Fire lane blocked") for s in said(heard))


def test_a_caller_describing_a_new_problem_is_still_taken_as_a_request(
    client: TestClient, db: Database
) -> None:
    call = Call(client, caller="+8613812340077")
    heard = twiml(call.post("menu", SpeechResult="楼顶漏水了，物业说会处理，一直没人来"))
    assert heard.find("Enqueue") is not None
    assert order_count(db) == 1


def test_the_menu_asks_recognition_to_listen_for_the_progress_phrases(client: TestClient) -> None:
    gather = twiml(Call(client).post("incoming")).find("Gather")
    assert gather is not None
    assert "查询进度" in (gather.get("hints") or "")
    assert "check my request" in (gather.get("hints") or "")
