"""A stock Open311 GeoReport v2 client against /open311/v2/, in JSON and XML."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

from fastapi.testclient import TestClient

from dispatch.database import Database
from tests.builders.desk import leader, operator
from tests.hotline.conftest import OPEN311_KEY
from tests.hotline.lookups import order_count

V2 = "/open311/v2"
REPORT = {
    "api_key": OPEN311_KEY,
    "service_code": "fire_lane",
    "address_string": "金地花园D区8号楼",
    "attribute[compound]": "jindi-garden",
    "attribute[building]": "D区8号楼",
    "description": "电动车堵住了消防通道",
    "first_name": "晓明",
    "last_name": "刘",
    "phone": "13812349999",
}


def xml(response: Any) -> ElementTree.Element:
    assert response.headers["content-type"].startswith("text/xml"), response.text
    return ElementTree.fromstring(response.content)


def report(client: TestClient, fmt: str = "json", **changes: str) -> Any:
    return client.post(f"{V2}/requests.{fmt}", data={**REPORT, **changes})


def test_discovery_in_json_and_xml(client: TestClient) -> None:
    body = client.get(f"{V2}/discovery.json").json()
    (endpoint,) = body["endpoints"]
    assert endpoint["url"] == "https://hotline.example.gov.cn/open311/v2"
    assert "application/json" in endpoint["formats"]
    root = xml(client.get(f"{V2}/discovery.xml"))
    assert root.tag == "discovery"
    assert (
        root.findtext("endpoints/endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"
    )
    assert [f.text for f in root.iterfind("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_list_our_categories_in_json_and_xml(client: TestClient) -> None:
    services = client.get(f"{V2}/services.json").json()
    fire = next(s for s in services if s["service_code"] == "fire_lane")
    assert fire["service_name"] == "消防通道堵塞"
    assert (fire["metadata"], fire["type"], fire["group"]) == (True, "realtime", "safety")
    root = xml(client.get(f"{V2}/services.xml"))
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.iterfind("service")]
    assert codes == [s["service_code"] for s in services]
    assert root.findtext("service/metadata") == "true"


def test_a_service_definition_in_json_and_xml(client: TestClient) -> None:
    definition = client.get(f"{V2}/services/fire_lane.json").json()
    compound = definition["attributes"][0]
    assert (compound["code"], compound["datatype"]) == ("compound", "singlevaluelist")
    assert {"key": "jindi-garden", "name": "金地花园"} in compound["values"]
    root = xml(client.get(f"{V2}/services/fire_lane.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "fire_lane"
    keys = [v.findtext("key") for v in root.iterfind("attributes/attribute/values/value")]
    assert "jindi-garden" in keys


def test_posting_a_request_makes_a_routed_work_order(client: TestClient, db: Database) -> None:
    created = report(client)
    assert created.status_code == 201, created.text
    (ack,) = created.json()
    assert ack["service_request_id"] == "WO-20261122-0001"
    order = operator(client).get("/api/v1/orders/WO-20261122-0001").json()
    assert order["channel"] == "open311"
    assert order["routing"]["lead_team"] == "jindi-property"
    assert order["address"]["building"] == "D区8号楼"
    assert order["caller"]["name"] == "刘 晓明"

    as_xml = report(client, "xml", description="又被堵上了")
    assert as_xml.status_code == 201
    root = xml(as_xml)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == "WO-20261122-0002"


def test_requests_can_be_read_back_with_the_specs_filters(client: TestClient) -> None:
    report(client)
    report(client, service_code="noise", description="楼上装修噪音", **{"attribute[compound]": ""})
    team = leader(client, "jindi")
    team.act("WO-20261122-0001", "accept")
    team.act("WO-20261122-0001", "resolve", {"result": "已清理"})

    every = client.get(f"{V2}/requests.json").json()
    assert [r["service_request_id"] for r in every] == ["WO-20261122-0002", "WO-20261122-0001"]
    closed = client.get(f"{V2}/requests.json", params={"status": "closed"}).json()
    assert [(r["service_request_id"], r["status"]) for r in closed] == [
        ("WO-20261122-0001", "closed")
    ]
    assert closed[0]["status_notes"] == "已清理"
    assert closed[0]["agency_responsible"] == "金地物业"
    by_code = client.get(f"{V2}/requests.json", params={"service_code": "noise"}).json()
    assert [r["service_code"] for r in by_code] == ["noise"]
    by_id = client.get(
        f"{V2}/requests.json", params={"service_request_id": "WO-20261122-0001,WO-X"}
    ).json()
    assert [r["service_request_id"] for r in by_id] == ["WO-20261122-0001"]
    window = {"start_date": "2026-11-23T00:00:00+08:00", "end_date": "2026-11-24T00:00:00+08:00"}
    assert client.get(f"{V2}/requests.json", params=window).json() == []
    root = xml(client.get(f"{V2}/requests.xml", params={"status": "open"}))
    assert [r.findtext("service_request_id") for r in root.iterfind("request")] == [
        "WO-20261122-0002"
    ]
    assert root.findtext("request/requested_datetime") == "2026-11-22T10:30:00+08:00"


def test_one_request_in_json_and_xml(client: TestClient) -> None:
    report(client)
    (one,) = client.get(f"{V2}/requests/WO-20261122-0001.json").json()
    assert (one["service_code"], one["status"]) == ("fire_lane", "open")
    assert "13812349999" not in str(one)  # the public view never shows the caller's phone
    root = xml(client.get(f"{V2}/requests/WO-20261122-0001.xml"))
    assert root.findtext("request/description") == "电动车堵住了消防通道"


def test_errors_come_in_the_specs_format_in_json_and_xml(client: TestClient, db: Database) -> None:
    bad_key = report(client, api_key="wrong")
    assert bad_key.status_code == 403
    assert bad_key.json() == [{"code": 403, "description": "invalid or missing api_key"}]
    no_key = client.post(
        f"{V2}/requests.xml", data={k: v for k, v in REPORT.items() if k != "api_key"}
    )
    assert no_key.status_code == 403
    assert xml(no_key).findtext("error/code") == "403"

    unknown_service = report(client, "xml", service_code="flying_saucer")
    assert unknown_service.status_code == 400
    assert "flying_saucer" in (xml(unknown_service).findtext("error/description") or "")
    no_place = report(client, **{"address_string": "", "attribute[compound]": ""})
    assert no_place.status_code == 400 and "location" in no_place.json()[0]["description"]
    bad_compound = report(client, **{"attribute[compound]": "atlantis"})
    assert bad_compound.status_code == 400 and "atlantis" in bad_compound.json()[0]["description"]

    missing = client.get(f"{V2}/requests/WO-19990101-0001.xml")
    assert missing.status_code == 404 and xml(missing).findtext("error/code") == "404"
    assert client.get(f"{V2}/services/nothing.json").json()[0]["code"] == 404
    bad_date = client.get(f"{V2}/requests.json", params={"start_date": "yesterday"})
    assert bad_date.status_code == 400 and bad_date.json()[0]["code"] == 400
    bad_format = client.get(f"{V2}/services.csv")
    assert bad_format.status_code == 404 and bad_format.json()[0]["code"] == 404
    assert order_count(db) == 0
